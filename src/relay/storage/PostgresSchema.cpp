#include "relay/storage/Migrations.h"

namespace cplink::relay {

namespace {

// Identity values are never reused, like SQLite's AUTOINCREMENT: arrival order and "expired.<n>".
// Bodies are sealed CMS and do not compress: EXTERNAL storage skips the attempt.
constexpr Migration kPostgresMigrations[] = {
    {1, R"sql(
CREATE TABLE offices (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE office_certificates (
    office TEXT NOT NULL REFERENCES offices (number) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    pem TEXT NOT NULL,
    not_after BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (office, fingerprint)
);
CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('envelope', 'receipt', 'expiry-notice')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'expired')),
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    state_changed_at BIGINT NOT NULL,
    body BYTEA,
    UNIQUE (sender, message_id)
);
ALTER TABLE messages ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE UNIQUE INDEX messages_pending_by_recipient ON messages (recipient, message_id) WHERE state = 'pending';
CREATE INDEX messages_inbox ON messages (recipient, id) WHERE state = 'pending';
CREATE INDEX messages_pending_age ON messages (received_at) WHERE state = 'pending';
CREATE INDEX messages_settled_age ON messages (state_changed_at) WHERE state <> 'pending';
)sql"},
    // The columns the SQLite body log uses (StorageSql.h is shared); always NULL here.
    {2, R"sql(
ALTER TABLE messages ADD COLUMN body_segment BIGINT, ADD COLUMN body_offset BIGINT;
)sql"},
};

} // namespace

std::span<const Migration> postgresMigrations() {
    return kPostgresMigrations;
}

} // namespace cplink::relay
