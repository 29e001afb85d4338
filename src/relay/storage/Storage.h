#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cplink::relay {

// Seconds since the epoch, UTC. The relay's times come from an injectable crypto::Clock; storage only
// ever receives them as numbers, so both backends store and compare the same integers.
using UnixTime = std::int64_t;

// What the relay keeps for one uploaded envelope. It never sees plaintext: `body` is the sealed CMS.
enum class MessageKind { Envelope, Receipt, ExpiryNotice };

// pending: waiting for the addressee. delivered: acknowledged; the body is gone, the row stays until
// retention ends so that a retried upload gets its original answer and is not queued twice.
// expired: retention ended undelivered; the body is gone and the sender has an ExpiryNotice.
enum class MessageState { Pending, Delivered, Expired };

const char* toString(MessageKind kind);
const char* toString(MessageState state);
std::optional<MessageKind> messageKindFromString(const std::string& text);

// The answer to an upload. Returned again, unchanged, for a retry of the same bytes.
struct UploadReceipt {
    std::string messageId;
    std::string sha256; // lowercase hex of the body
    UnixTime receivedAt = 0;
};

struct Upload {
    std::string sender;    // office number, always the TLS identity
    std::string recipient; // office number from the request
    std::string messageId; // the sender's id, fixed when the sender first committed the message
    MessageKind kind = MessageKind::Envelope;
    std::string body;
    std::string sha256; // of body, computed by the caller
    UnixTime now = 0;
};

enum class UploadOutcome {
    Stored,            // new (or an expired one queued again), durably committed
    Duplicate,         // same sender, id and bytes as before: the original receipt
    Conflict,          // same sender and id, other bytes; or the id is taken for this recipient
    UnknownRecipient,  // the relay has never heard of the office
    RecipientDisabled, // an administrator disabled it
    SenderDisabled,    // an administrator disabled the sending office
};

struct UploadResult {
    UploadOutcome outcome = UploadOutcome::Stored;
    UploadReceipt receipt; // for Stored and Duplicate
};

struct InboxEntry {
    std::string messageId;
    std::string sender;
    MessageKind kind = MessageKind::Envelope;
    std::int64_t size = 0;
    std::string sha256;
    UnixTime receivedAt = 0;
};

// A pending message as its addressee downloads it.
struct StoredMessage {
    std::string body;
    std::string sender;
    MessageKind kind = MessageKind::Envelope;
    std::string sha256;
};

struct Office {
    std::string number;
    std::string name;
    bool enabled = true;
    UnixTime firstSeen = 0;
    UnixTime lastSeen = 0; // 0: added by an administrator, never connected
};

struct OfficeCertificate {
    std::string fingerprint; // SHA-256 of the DER, lowercase hex
    std::string pem;
    UnixTime notAfter = 0;
    UnixTime seenAt = 0;
};

struct ExpiryResult {
    int expired = 0;         // pending messages turned into expiry notices for their senders
    int purged = 0;          // delivered/expired rows and acknowledged notices removed after retention
    int segmentsRemoved = 0; // SQLite: body-log segments no row points into any more
};

// A storage failure (I/O, constraint, connection): the request fails with 503 and nothing is half-done,
// because every operation below is one transaction.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The relay's persistent state behind one interface, two backends (SQLite, PostgreSQL). Every method
// is thread-safe and is one transaction; a method that returns has committed durably. Offices are
// keyed by their ten-digit number; messages by (sender, messageId). A recipient sees a message by
// (recipient, messageId): an id already pending for that recipient from another sender is a Conflict.
class Storage {
public:
    virtual ~Storage() = default;

    // SenderDisabled if an administrator disabled the sender (checked in the same transaction).
    virtual UploadResult upload(const Upload& upload) = 0;
    // The same as upload(), told through `done` (with the result, or the exception upload() would have
    // thrown) once durably committed. A backend that can wait without a thread (the SQLite group commit)
    // returns at once and says so in uploadsWithoutBlocking(); by default this is upload() itself.
    using UploadCompletion = std::function<void(UploadResult result, std::exception_ptr error)>;
    virtual void uploadAsync(Upload upload, UploadCompletion done);
    virtual bool uploadsWithoutBlocking() const { return false; }
    // Pending messages addressed to `office`, oldest first, at most `limit`.
    virtual std::vector<InboxEntry> inbox(const std::string& office, int limit) = 0;
    // A pending message addressed to `office`; nullopt if there is none (not found, not
    // the addressee, already acknowledged or expired: the caller cannot tell these apart, by design).
    virtual std::optional<StoredMessage> download(const std::string& office,
                                                  const std::string& messageId) = 0;
    // Marks a pending message addressed to `office` delivered and drops its body. True if it was
    // pending; acknowledging twice is harmless and returns false the second time.
    virtual bool acknowledge(const std::string& office, const std::string& messageId, UnixTime now) = 0;

    // An office that connected with a valid certificate: known from now on (enabled), name taken from
    // the certificate if the office had none, certificate remembered for the directory.
    // `office.lastSeen` is the time of this connection (also firstSeen of a new office; office.enabled
    // and office.firstSeen are not read); `certificate.seenAt` dates the certificate's last use. A
    // certificate without a fingerprint is not remembered.
    virtual void officeSeen(const Office& office, const OfficeCertificate& certificate) = 0;
    // Administrator: add or rename an office (enabled); returns false if it existed (name updated).
    virtual bool addOffice(const std::string& number, const std::string& name, UnixTime now) = 0;
    // Administrator: returns false if there is no such office.
    virtual bool setOfficeEnabled(const std::string& number, bool enabled) = 0;
    virtual std::optional<Office> office(const std::string& number) = 0;
    virtual std::vector<Office> offices() = 0;
    // Certificates seen for the office whose notAfter is after `now`, newest first.
    virtual std::vector<OfficeCertificate> officeCertificates(const std::string& number, UnixTime now) = 0;

    // Housekeeping: pending messages received before `now - retention` become Expired (body dropped)
    // and each sender gets one ExpiryNotice (sender "relay", id "expired.<n>", body JSON as in
    // docs/protocol.md); delivered and expired rows older than the retention are purged. An upload of
    // an Expired (sender, id) is queued again as Stored, with any bytes: it was never delivered.
    virtual ExpiryResult expire(UnixTime now, std::chrono::seconds retention) = 0;

    virtual std::int64_t pendingCount() = 0;
    // "sqlite" or "postgresql", for logs and metrics.
    virtual std::string backendName() const = 0;
};

// Opens the backend `location` names: "postgresql://…" or "postgres://…" (libpq connection URI) or a
// path to a SQLite file (created if missing). Creates or migrates the schema. Throws StorageError.
std::unique_ptr<Storage> openStorage(const std::string& location);

// The sender office of expiry notices: not a valid office number, so no certificate can claim it.
inline const char* const kRelaySender = "relay";

} // namespace cplink::relay
