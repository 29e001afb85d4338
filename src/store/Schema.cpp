// The store's schema, one migration per version (see Migrations.h). Never edit a released migration:
// add the next one.
#include "store/Migrations.h"

namespace cplink::store {

namespace {

// Version 1.
//
// messages holds everything the history screen shows; the envelope and receipt bytes live in
// `envelopes`, so paging through history never reads a blob. Each index below serves one history
// shape (filter, then newest first; or one sort column); the rowid at the end of every index is the
// final tie-break, so "ORDER BY x, created_at, id" is read straight from the index with no sort step.
// The unique key is (direction, message_id, peer_office) — the same constraint as (direction,
// peer_office, message_id), in the order that also finds an outgoing message by its id alone.
//
// message_search is a trigram index over file name and message id for the history text filter: LIKE
// '%x%' has to read every row when x is rare. It is only a pre-filter; the LIKE decides (see
// HistorySql.cpp). detail=none keeps it small: no positions, so a query is an AND of trigrams.
//
// audit_log is append-only: the triggers make UPDATE and DELETE fail for every writer, not just ours.
//
// sqlite_stat1 is written by hand rather than by ANALYZE: the shape of the data is known (two
// directions, a dozen states, a few hundred partners, months, a handful of kinds, nearly unique file
// names), and without statistics SQLite prefers any equality filter, e.g. reading half the table through
// messages_direction and sorting it rather than walking messages_size in order and stopping after one
// page (262 ms against 1 ms on 1,000,000 rows). Fixed numbers keep plans the same at every table size,
// so tests on small files check the plans of large ones. A migration that adds an index adds its row.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    own_office TEXT NOT NULL,
    peer_office TEXT NOT NULL,
    kind TEXT NOT NULL,
    month TEXT NOT NULL,
    send_unit TEXT NOT NULL,
    sequence TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'relayed', 'delivered', 'failed', 'cancelled',
        'downloaded', 'verified', 'saving', 'saved', 'receipt_sent', 'acknowledged', 'quarantined')),
    error TEXT NOT NULL,
    finding_errors INTEGER NOT NULL,
    finding_warnings INTEGER NOT NULL,
    saved_path TEXT NOT NULL,
    source_path TEXT NOT NULL,
    receipt_status TEXT NOT NULL CHECK (receipt_status IN ('none', 'verified', 'invalid')),
    receipt_signer TEXT NOT NULL,
    receipt_at INTEGER NOT NULL,
    relay_received_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (direction, message_id, peer_office)
);
CREATE INDEX messages_created ON messages (created_at);
CREATE INDEX messages_direction ON messages (direction, created_at);
CREATE INDEX messages_state ON messages (state, created_at);
CREATE INDEX messages_peer ON messages (peer_office, created_at);
CREATE INDEX messages_month ON messages (month, created_at);
CREATE INDEX messages_kind ON messages (kind, created_at);
CREATE INDEX messages_file_name ON messages (file_name, created_at);
CREATE INDEX messages_size ON messages (size, created_at);
-- Problems first (failed, quarantined): the expression must stay identical to HistorySql.cpp's.
CREATE INDEX messages_problems ON messages ((state IN ('failed', 'quarantined')), created_at);

CREATE VIRTUAL TABLE message_search USING fts5 (
    file_name, message_id, content = 'messages', content_rowid = 'id', tokenize = 'trigram', detail = 'none');
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, file_name, message_id) VALUES (new.id, new.file_name, new.message_id);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, file_name, message_id)
        VALUES ('delete', old.id, old.file_name, old.message_id);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF file_name, message_id ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, file_name, message_id)
        VALUES ('delete', old.id, old.file_name, old.message_id);
    INSERT INTO message_search (rowid, file_name, message_id) VALUES (new.id, new.file_name, new.message_id);
END;

CREATE TABLE message_transitions (
    id INTEGER PRIMARY KEY,
    message_row INTEGER NOT NULL REFERENCES messages (id),
    state TEXT NOT NULL,
    at INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX message_transitions_message ON message_transitions (message_row);

CREATE TABLE envelopes (
    message_row INTEGER PRIMARY KEY REFERENCES messages (id),
    envelope BLOB NOT NULL,
    receipt BLOB
);

CREATE TABLE partners (
    office TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    favourite INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    certificates_at INTEGER NOT NULL
);
CREATE TABLE partner_certificates (
    id INTEGER PRIMARY KEY,
    office TEXT NOT NULL REFERENCES partners (office) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    pem TEXT NOT NULL,
    not_before INTEGER NOT NULL,
    not_after INTEGER NOT NULL,
    UNIQUE (office, fingerprint)
);

CREATE TABLE identities (
    office TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    identity_path TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    added_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

ANALYZE sqlite_schema;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('messages', 'messages_created', '1000000 2'),
    ('messages', 'messages_direction', '1000000 500000 2'),
    ('messages', 'messages_state', '1000000 100000 2'),
    ('messages', 'messages_peer', '1000000 5000 2'),
    ('messages', 'messages_month', '1000000 20000 2'),
    ('messages', 'messages_kind', '1000000 150000 2'),
    ('messages', 'messages_file_name', '1000000 1 1'),
    ('messages', 'messages_size', '1000000 50 2'),
    ('messages', 'messages_problems', '1000000 500000 2'),
    ('messages', 'sqlite_autoindex_messages_1', '1000000 500000 1 1'),
    ('message_transitions', 'message_transitions_message', '3000000 3');
ANALYZE sqlite_schema;
)sql";

constexpr Migration kMigrations[] = {
    {1, kVersion1},
};

} // namespace

std::span<const Migration> storeMigrations() {
    return kMigrations;
}

} // namespace cplink::store
