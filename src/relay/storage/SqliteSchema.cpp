#include "relay/storage/Migrations.h"

namespace cplink::relay {

namespace {

// `body` is the last column: SQLite reads a row's columns in order, and a 20 KB body in overflow pages
// would otherwise be walked for every lookup of the small columns after it.
constexpr Migration kSqliteMigrations[] = {
    {1, R"sql(
CREATE TABLE offices (
    number TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE office_certificates (
    office TEXT NOT NULL REFERENCES offices (number) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    pem TEXT NOT NULL,
    not_after INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (office, fingerprint)
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('envelope', 'receipt', 'expiry-notice')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'expired')),
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    state_changed_at INTEGER NOT NULL,
    body BLOB,
    UNIQUE (sender, message_id)
);
CREATE UNIQUE INDEX messages_pending_by_recipient ON messages (recipient, message_id) WHERE state = 'pending';
CREATE INDEX messages_inbox ON messages (recipient, id) WHERE state = 'pending';
CREATE INDEX messages_pending_age ON messages (received_at) WHERE state = 'pending';
CREATE INDEX messages_settled_age ON messages (state_changed_at) WHERE state <> 'pending';
)sql"},
    // Bodies move to the body log (BodyLog.h); rows of version 1 keep theirs in `body`.
    {2, R"sql(
ALTER TABLE messages ADD COLUMN body_segment INTEGER;
ALTER TABLE messages ADD COLUMN body_offset INTEGER;
CREATE INDEX messages_body_segment ON messages (body_segment) WHERE body_segment IS NOT NULL;
)sql"},
    // One index keyed by the message id instead of two. Message ids are random (UUIDs), so each index
    // that starts with one puts every upload on a page of its own: with (sender, message_id) and the
    // recipient's (recipient, message_id) that was two of the 3.5 pages an upload dirtied, each written
    // to the WAL and again by the checkpoint. (message_id, sender) still makes (sender, id) unique and
    // also finds a recipient's message by id (nearly always one row to look at); that an id is pending
    // for a recipient only once is now checked by the upload itself, in the writer's transaction (one
    // writer at a time in SQLite, so no other upload can come between the check and the insert).
    // A UNIQUE of the table cannot be changed in place: the table is copied, ids and the AUTOINCREMENT
    // counter kept (`id` is never reused). The planner is told that an id is selective and a recipient
    // is not: without statistics it would look a recipient's message up by scanning its inbox.
    {3, R"sql(
CREATE TABLE messages_v3 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('envelope', 'receipt', 'expiry-notice')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'expired')),
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    state_changed_at INTEGER NOT NULL,
    body_segment INTEGER,
    body_offset INTEGER,
    body BLOB,
    UNIQUE (message_id, sender)
);
INSERT INTO messages_v3 (id, sender, recipient, message_id, kind, state, size, sha256, received_at,
                         state_changed_at, body_segment, body_offset, body)
    SELECT id, sender, recipient, message_id, kind, state, size, sha256, received_at, state_changed_at,
           body_segment, body_offset, body FROM messages;
DELETE FROM sqlite_sequence WHERE name = 'messages_v3';
UPDATE sqlite_sequence SET name = 'messages_v3' WHERE name = 'messages';
DROP TABLE messages;
ALTER TABLE messages_v3 RENAME TO messages;
CREATE INDEX messages_inbox ON messages (recipient, id) WHERE state = 'pending';
CREATE INDEX messages_pending_age ON messages (received_at) WHERE state = 'pending';
CREATE INDEX messages_settled_age ON messages (state_changed_at) WHERE state <> 'pending';
CREATE INDEX messages_body_segment ON messages (body_segment) WHERE body_segment IS NOT NULL;
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl = 'messages';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('messages', 'sqlite_autoindex_messages_1', '1000000 1 1'),
    ('messages', 'messages_inbox', '1000000 10000 1');
)sql"},
    // The same table, its CHECKs written as comparisons. SQLite evaluates `x IN (a, b, c)` of three or
    // more constants through a temporary index it builds for each statement run: the upload's INSERT
    // built two (kind and state), each a B-tree and a pager allocated and freed again, about 5 µs of the
    // writer's CPU per upload (12 %). Two constants or comparisons need none. The constraints mean
    // exactly what they did, every stored row still meets them, and the file's format does not change,
    // so only the CREATE text is replaced (SQLite's documented procedure for changing a CHECK), instead
    // of copying the table as migration 3 did.
    {4, R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE "messages" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = ''envelope'' OR kind = ''receipt'' OR kind = ''expiry-notice''),
    state TEXT NOT NULL CHECK (state = ''pending'' OR state = ''delivered'' OR state = ''expired''),
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    state_changed_at INTEGER NOT NULL,
    body_segment INTEGER,
    body_offset INTEGER,
    body BLOB,
    UNIQUE (message_id, sender)
)' WHERE type = 'table' AND name = 'messages';
PRAGMA writable_schema = OFF;
)sql",
     true},
};

} // namespace

std::span<const Migration> sqliteMigrations() {
    return kSqliteMigrations;
}

} // namespace cplink::relay
