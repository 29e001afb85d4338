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
};

} // namespace

std::span<const Migration> sqliteMigrations() {
    return kSqliteMigrations;
}

} // namespace cplink::relay
