#pragma once

// The statements both backends run, in the one dialect SQLite 3.40 and PostgreSQL 15 share: $n
// parameters (SQLite reads them as ?n), INSERT … ON CONFLICT, RETURNING, partial indexes. Only the
// schema (SqliteSchema.cpp, PostgresSchema.cpp) and row locking differ between the two.
namespace cplink::relay::sql {

// Messages. A row is pending, delivered or expired; `state_changed_at` dates the last change, so that
// retention can purge settled rows. `id` only grows (never reused), which makes it the arrival order
// and the <n> of "expired.<n>" unique forever.
inline constexpr const char* kFindBySender = "SELECT id, recipient, kind, state, sha256, received_at FROM "
                                             "messages WHERE sender = $1 AND message_id = $2";
inline constexpr const char* kFindBySenderForUpdate =
    "SELECT id, recipient, kind, state, sha256, received_at FROM messages WHERE sender = $1 AND message_id = "
    "$2 "
    "FOR UPDATE";
inline constexpr const char* kPendingForRecipient =
    "SELECT sender FROM messages WHERE recipient = $1 AND message_id = $2 AND state = 'pending'";
// DO NOTHING: another relay process inserted the same key since we looked; the caller looks again.
inline constexpr const char* kInsertMessage =
    "INSERT INTO messages (sender, recipient, message_id, kind, state, body, size, sha256, received_at, "
    "state_changed_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING";
// The same with the body in the body log (SQLite): the row says where it lies.
inline constexpr const char* kInsertMessageInLog =
    "INSERT INTO messages (sender, recipient, message_id, kind, state, body_segment, body_offset, size, "
    "sha256, "
    "received_at, state_changed_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $9) "
    "ON CONFLICT DO NOTHING";
inline constexpr const char* kDeleteMessage = "DELETE FROM messages WHERE id = $1";
inline constexpr const char* kInbox =
    "SELECT message_id, sender, kind, size, sha256, received_at FROM messages "
    "WHERE recipient = $1 AND state = 'pending' ORDER BY id LIMIT $2";
inline constexpr const char* kDownload = "SELECT body, sender, kind, sha256, body_segment, body_offset, size "
                                         "FROM messages WHERE recipient = $1 AND message_id = $2 AND "
                                         "state = 'pending'";
inline constexpr const char* kAcknowledge =
    "UPDATE messages SET state = 'delivered', body = NULL, body_segment = NULL, body_offset = NULL, "
    "state_changed_at = $3 "
    "WHERE recipient = $1 AND message_id = $2 AND state = 'pending'";
inline constexpr const char* kPendingCount = "SELECT count(*) FROM messages WHERE state = 'pending'";

// Housekeeping. A pending row whose notice id ("expired.<id>") is itself pending for the sender from
// someone else waits: the notice could not be told apart from that message. Another relay process
// running the same UPDATE waits for our row locks and then no longer sees the rows as pending.
inline constexpr const char* kExpirePending =
    "UPDATE messages SET state = 'expired', body = NULL, body_segment = NULL, body_offset = NULL, "
    "state_changed_at = $1 "
    "WHERE state = 'pending' AND received_at < $2 AND NOT EXISTS (SELECT 1 FROM messages AS taken "
    "WHERE taken.recipient = messages.sender AND taken.message_id = 'expired.' || messages.id "
    "AND taken.state = 'pending') RETURNING id, sender, recipient, message_id, received_at";
// The body-log segments rows still point into (SQLite; body_segment is NULL in PostgreSQL).
inline constexpr const char* kLiveBodySegments =
    "SELECT DISTINCT body_segment FROM messages WHERE body_segment IS NOT NULL";
inline constexpr const char* kPurgeSettled =
    "DELETE FROM messages WHERE state <> 'pending' AND state_changed_at < $1";

// Offices and the certificates they connected with.
// Asked for both parties of an upload.
inline constexpr const char* kOfficeEnabled = "SELECT enabled FROM offices WHERE number = $1";
inline constexpr const char* kOfficeSeen =
    "INSERT INTO offices (number, name, enabled, first_seen, last_seen) VALUES ($1, $2, TRUE, $3, $3) "
    "ON CONFLICT (number) DO UPDATE SET last_seen = excluded.last_seen, "
    "name = CASE WHEN offices.name = '' THEN excluded.name ELSE offices.name END";
// seen_at: the last time the office connected with it, which orders certificates of equal notAfter.
inline constexpr const char* kCertificateSeen =
    "INSERT INTO office_certificates (office, fingerprint, pem, not_after, seen_at) VALUES ($1, $2, $3, $4, "
    "$5) "
    "ON CONFLICT (office, fingerprint) DO UPDATE SET seen_at = excluded.seen_at";
inline constexpr const char* kAddOffice =
    "INSERT INTO offices (number, name, enabled, first_seen, last_seen) VALUES ($1, $2, TRUE, $3, 0) "
    "ON CONFLICT (number) DO NOTHING RETURNING number";
inline constexpr const char* kRenameOffice = "UPDATE offices SET name = $2 WHERE number = $1";
inline constexpr const char* kSetOfficeEnabled = "UPDATE offices SET enabled = $2 WHERE number = $1";
inline constexpr const char* kOffice =
    "SELECT number, name, enabled, first_seen, last_seen FROM offices WHERE number = $1";
inline constexpr const char* kOffices =
    "SELECT number, name, enabled, first_seen, last_seen FROM offices ORDER BY number";
inline constexpr const char* kOfficeCertificates = "SELECT fingerprint, pem, not_after, seen_at FROM "
                                                   "office_certificates WHERE office = $1 AND not_after > $2 "
                                                   "ORDER BY not_after DESC, seen_at DESC";

} // namespace cplink::relay::sql
