#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::store {

// Seconds since the epoch, UTC (the engine's injectable clock decides what "now" is).
using UnixTime = std::int64_t;

enum class Direction { Outgoing, Incoming };

// DESIGN.md §6. Outgoing: queued → sending → relayed → delivered | failed | cancelled.
// Incoming: downloaded → verified → saving → saved → receipt_sent → acknowledged; quarantined when the
// envelope does not open or verify (kept, never saved).
enum class MessageState {
    Queued,
    Sending,
    Relayed,
    Delivered,
    Failed,
    Cancelled,
    Downloaded,
    Verified,
    Saving,
    Saved,
    ReceiptSent,
    Acknowledged,
    Quarantined,
};

// "queued", "sending", …, "receipt_sent", … — the spelling stored in the database and shown by --json.
const char* toString(MessageState state);
std::optional<MessageState> messageStateFromString(std::string_view text);
const char* toString(Direction direction);
std::optional<Direction> directionFromString(std::string_view text);

// Whether a state is final for its direction (nothing more will happen without a person).
bool isFinal(MessageState state);

enum class ReceiptStatus { None, Verified, Invalid };
const char* toString(ReceiptStatus status);
std::optional<ReceiptStatus> receiptStatusFromString(std::string_view text);

// One message: one CSV file sent or received. `id` is the store's row id; `messageId` the protocol id
// (fixed when the message is first committed, reused on every retry).
struct MessageRecord {
    std::int64_t id = 0;
    std::string messageId;
    Direction direction = Direction::Outgoing;
    std::string ownOffice;  // our identity that sends / receives it
    std::string peerOffice; // recipient (outgoing) or sender (incoming)
    std::string kind;       // standard file kind code from the name, e.g. "UPPLAN", "DLTPLAN"; "" if unknown
    std::string month;      // YYYYMM from the name, "" if none
    std::string sendUnit;   // spec::StandardFileName::unitKey()
    std::string sequence;   // the 14-digit sequence of the send unit
    std::string fileName;   // the original (standard) file name
    std::int64_t size = 0;  // bytes of the CSV file
    std::string sha256;     // of the CSV file, lowercase hex
    MessageState state = MessageState::Queued;
    std::string error;     // why failed / quarantined, for people
    int findingErrors = 0; // validation of the CSV (incoming: a file breaking the standard is flagged)
    int findingWarnings = 0;
    std::string savedPath;  // incoming: where the file was written
    std::string sourcePath; // outgoing: the file it was read from
    ReceiptStatus receiptStatus = ReceiptStatus::None;
    std::string receiptSigner; // office that signed the receipt (when verified)
    UnixTime receiptAt = 0;
    UnixTime relayReceivedAt = 0; // the relay's time of the upload
    int attempts = 0;             // uploads / downloads tried
    UnixTime createdAt = 0;
    UnixTime updatedAt = 0;
};

// A new message as the engine commits it, with its first state and (kept encrypted) envelope.
struct NewMessage {
    MessageRecord record; // id, createdAt, updatedAt are set by the store
    std::string envelope; // CMS bytes: sealed (outgoing) or downloaded (incoming)
};

struct Transition {
    MessageState state = MessageState::Queued;
    UnixTime at = 0;
    std::string detail;
};

// Filters and order of the history screen and `cplink history`. Empty optionals / strings: no filter.
struct HistoryQuery {
    std::optional<Direction> direction;
    std::vector<MessageState> states; // any of these
    std::string peerOffice;
    std::string month; // YYYYMM
    std::string kind;
    std::string text;                 // substring of the file name or the message id
    std::optional<UnixTime> from, to; // createdAt within [from, to)
    bool problemsFirst = false;       // failed and quarantined rows before the others
    enum class SortBy { Time, FileName, Peer, State, Size } sortBy = SortBy::Time;
    bool descending = true;
    int offset = 0;
    int limit = 100; // at most 1000
};

struct PartnerCertificate {
    std::string fingerprint; // SHA-256 of the DER, lowercase hex
    std::string pem;
    UnixTime notBefore = 0;
    UnixTime notAfter = 0;
};

struct Partner {
    std::string office;
    std::string name;
    bool favourite = false;
    UnixTime lastSeen = 0;       // last message sent to or received from it
    UnixTime certificatesAt = 0; // when the certificates were last fetched from the directory
    std::vector<PartnerCertificate> certificates;
};

// One of our own office identities (an organisation may run several office numbers from one client).
struct OwnIdentity {
    std::string office;
    std::string name;
    std::string identityPath; // the identity file in the profile (encrypted private key, 0600)
    std::string certificatePem;
    UnixTime addedAt = 0;
};

struct AuditEntry {
    std::int64_t id = 0;
    UnixTime at = 0;
    std::string actor;   // OS user or "engine"
    std::string action;  // "send", "cancel", "resend", "receive", "quarantine", "init", …
    std::string subject; // message id, office number, …
    std::string detail;
};

} // namespace cplink::store
