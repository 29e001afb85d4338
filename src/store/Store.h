#pragma once

#include "store/StoreTypes.h"

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::store {

class StoreError : public std::runtime_error {
public:
    enum class Kind { Io, DiskFull, Busy, Corrupt, NewerSchema, Duplicate, Other };
    StoreError(Kind kind, const std::string& what) : std::runtime_error(what), m_kind(kind) {}
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

// What a transition changes besides the state. Unset fields stay as they are.
struct MessageUpdate {
    std::optional<std::string> error;
    std::optional<std::string> savedPath;
    std::optional<ReceiptStatus> receiptStatus;
    std::optional<std::string> receiptSigner;
    std::optional<UnixTime> receiptAt;
    std::optional<UnixTime> relayReceivedAt;
    std::optional<int> findingErrors;
    std::optional<int> findingWarnings;
    std::optional<std::string> receipt; // receipt bytes: the one we made (incoming) or got (outgoing)
    bool countAttempt = false;          // attempts + 1
};

struct HistoryPage {
    std::vector<MessageRecord> rows;
    bool more = false; // rows beyond offset + limit exist
};

// The client's local state (DESIGN.md §6): one SQLite file per profile, WAL, foreign keys, a busy
// timeout (the CLI's `receive` and `watch` may run at once on one profile), prepared statements, a
// versioned schema migrated on open. Envelopes are kept as the encrypted CMS bytes; no plaintext CSV is
// ever stored here. Every write is one transaction, durable when the call returns (synchronous=FULL).
//
// One Store per thread: the object is not shared between threads (open another on the same file).
class Store {
public:
    static constexpr int kSchemaVersion = 1;

    // Opens or creates the file (mode 0600) and migrates it. Throws StoreError (NewerSchema for a file
    // written by a newer version: it is left untouched).
    explicit Store(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    int schemaVersion();
    const std::string& path() const;

    // --- messages --------------------------------------------------------------------------------------
    // Commits a new message with its envelope and first transition. Throws StoreError(Duplicate) if the
    // direction, peer office and message id are already stored (receiving is idempotent by them).
    std::int64_t addMessage(const NewMessage& message, UnixTime now, std::string_view detail = {});
    std::optional<MessageRecord> message(std::int64_t id);
    std::optional<MessageRecord> findMessage(Direction direction, std::string_view peerOffice,
                                             std::string_view messageId);
    // Outgoing message ids are ours and unique among them.
    std::optional<MessageRecord> findOutgoing(std::string_view messageId);
    // Every outgoing message of a file name (exact), oldest first: has this file been sent before?
    std::vector<MessageRecord> outgoingWithFileName(std::string_view fileName);
    std::string envelope(std::int64_t id);
    std::optional<std::string> receipt(std::int64_t id);

    // Compare-and-set: moves the message to `to` only if its state is one of `from`, applying `update`
    // and recording the transition (time, detail), all in one transaction. False if the state was not
    // one of `from` (another process got there first, or the user cancelled): nothing is changed.
    bool transition(std::int64_t id, std::initializer_list<MessageState> from, MessageState to, UnixTime now,
                    std::string_view detail = {}, const MessageUpdate& update = {});
    // Changes fields without a state change (e.g. a counted attempt that will be retried).
    void update(std::int64_t id, const MessageUpdate& update, UnixTime now);
    std::vector<Transition> transitions(std::int64_t id);

    // Work lists for the engine, oldest first.
    std::vector<MessageRecord> messagesInStates(Direction direction, const std::vector<MessageState>& states,
                                                int limit = 1000);

    HistoryPage history(const HistoryQuery& query);
    std::int64_t countHistory(const HistoryQuery& query);
    // Every message (both directions) whose file belongs to the month (name month), or that was created
    // in it when the name has none; by creation time. For evidence exports.
    std::vector<MessageRecord> monthMessages(std::string_view month);

    // --- partners --------------------------------------------------------------------------------------
    // Inserts or replaces name and certificates (favourite and lastSeen are kept).
    void savePartner(const Partner& partner);
    std::optional<Partner> partner(std::string_view office);
    // Matching office number prefix or name substring; favourites first, then by last seen.
    std::vector<Partner> partners(std::string_view query = {});
    void setFavourite(std::string_view office, bool favourite);
    void touchPartner(std::string_view office, UnixTime now); // creates a bare entry if unknown

    // --- own identities --------------------------------------------------------------------------------
    void addIdentity(const OwnIdentity& identity); // replaces the entry of the same office
    std::vector<OwnIdentity> identities();
    std::optional<OwnIdentity> identity(std::string_view office);

    // --- audit log (append-only: the schema refuses UPDATE and DELETE) -------------------------------
    void audit(std::string_view actor, std::string_view action, std::string_view subject,
               std::string_view detail, UnixTime now);
    std::vector<AuditEntry> auditLog(int limit = 1000, std::int64_t afterId = 0);

    // --- settings --------------------------------------------------------------------------------------
    void setSetting(std::string_view key, std::string_view value);
    std::optional<std::string> setting(std::string_view key);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace cplink::store
