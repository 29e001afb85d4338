#pragma once

#include "store/Database.h"
#include "store/Store.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::store {

// Messages, their transitions and their envelopes (Store's message operations; see Store.h for the
// contract of each).
class MessageRepository {
public:
    explicit MessageRepository(Database& db) : m_db(db) {}

    std::int64_t add(const NewMessage& message, UnixTime now, std::string_view detail);
    std::optional<MessageRecord> byId(std::int64_t id);
    std::optional<MessageRecord> find(Direction direction, std::string_view peerOffice,
                                      std::string_view messageId);
    std::optional<MessageRecord> findOutgoing(std::string_view messageId);
    std::vector<MessageRecord> outgoingWithFileName(std::string_view fileName);
    std::string envelope(std::int64_t id);
    std::optional<std::string> receipt(std::int64_t id);

    bool transition(std::int64_t id, std::initializer_list<MessageState> from, MessageState to, UnixTime now,
                    std::string_view detail, const MessageUpdate& update);
    void update(std::int64_t id, const MessageUpdate& update, UnixTime now);
    std::vector<Transition> transitions(std::int64_t id);

    std::vector<MessageRecord> inStates(Direction direction, const std::vector<MessageState>& states,
                                        int limit);
    std::vector<MessageRecord> ofMonth(std::string_view month);

private:
    // Writes the update's fields (and the state, if given) of an existing row; false if there is none.
    bool apply(std::int64_t id, std::optional<MessageState> state, const MessageUpdate& update, UnixTime now);
    void recordTransition(std::int64_t id, MessageState state, UnixTime at, std::string_view detail);
    [[noreturn]] void noSuchMessage(std::int64_t id, std::string_view doing) const;

    Database& m_db;
};

} // namespace cplink::store
