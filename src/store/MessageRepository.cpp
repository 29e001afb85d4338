#include "store/MessageRepository.h"

#include "store/MessageRow.h"
#include "store/MonthRange.h"
#include "store/SqlBuilder.h"
#include "store/SqliteError.h"
#include "store/Transaction.h"

#include <algorithm>
#include <type_traits>

namespace cplink::store {

namespace {

std::string selectMessages(std::string_view rest) {
    std::string sql = "SELECT ";
    sql.append(kMessageColumns).append(" FROM messages ").append(rest);
    return sql;
}

const std::string kById = selectMessages("WHERE id = ?1");
const std::string kFind = selectMessages("WHERE direction = ?1 AND message_id = ?2 AND peer_office = ?3");
const std::string kFindOutgoing = selectMessages("WHERE direction = 'outgoing' AND message_id = ?1");
const std::string kOutgoingWithFileName =
    selectMessages("WHERE file_name = ?1 AND direction = 'outgoing' ORDER BY created_at, id");
// A month's files by the month in their name, and files without one by when they were committed.
const std::string kOfMonth = selectMessages("WHERE month = ?1 OR (month = '' AND created_at >= ?2 AND "
                                            "created_at < ?3) ORDER BY created_at, id");

// One statement for both transition() and update(): NULL leaves a column as it is.
constexpr std::string_view kApply =
    "UPDATE messages SET state = COALESCE(?2, state), updated_at = ?3, error = COALESCE(?4, error), "
    "saved_path = COALESCE(?5, saved_path), receipt_status = COALESCE(?6, receipt_status), "
    "receipt_signer = COALESCE(?7, receipt_signer), receipt_at = COALESCE(?8, receipt_at), "
    "relay_received_at = COALESCE(?9, relay_received_at), finding_errors = COALESCE(?10, finding_errors), "
    "finding_warnings = COALESCE(?11, finding_warnings), attempts = attempts + ?12 WHERE id = ?1";

template <typename T> void bindOptional(Query& query, int index, const std::optional<T>& value) {
    if (!value)
        query.bindNull(index);
    else if constexpr (std::is_same_v<T, ReceiptStatus> || std::is_same_v<T, MessageState>)
        query.bind(index, toString(*value));
    else
        query.bind(index, *value);
}

} // namespace

void MessageRepository::noSuchMessage(std::int64_t id, std::string_view doing) const {
    throwStoreError(StoreError::Kind::Other, m_db.path(), doing, "no message with id " + std::to_string(id));
}

std::int64_t MessageRepository::add(const NewMessage& message, UnixTime now, std::string_view detail) {
    Transaction transaction(m_db);
    {
        Query insert(m_db, kInsertMessage, "add a message");
        bindNewMessage(insert, message.record, now);
        insert.run();
    }
    const std::int64_t id = m_db.lastInsertId();
    Query(m_db, "INSERT INTO envelopes (message_row, envelope) VALUES (?1, ?2)", "store an envelope")
        .bind(1, id)
        .bindBlob(2, message.envelope)
        .run();
    recordTransition(id, message.record.state, now, detail);
    transaction.commit();
    return id;
}

std::optional<MessageRecord> MessageRepository::byId(std::int64_t id) {
    Query query(m_db, kById, "read a message");
    query.bind(1, id);
    return readFirstMessage(query);
}

std::optional<MessageRecord> MessageRepository::find(Direction direction, std::string_view peerOffice,
                                                     std::string_view messageId) {
    Query query(m_db, kFind, "find a message");
    query.bind(1, toString(direction)).bind(2, messageId).bind(3, peerOffice);
    return readFirstMessage(query);
}

std::optional<MessageRecord> MessageRepository::findOutgoing(std::string_view messageId) {
    Query query(m_db, kFindOutgoing, "find an outgoing message");
    query.bind(1, messageId);
    return readFirstMessage(query);
}

std::vector<MessageRecord> MessageRepository::outgoingWithFileName(std::string_view fileName) {
    Query query(m_db, kOutgoingWithFileName, "find outgoing messages by file name");
    query.bind(1, fileName);
    return readMessages(query);
}

std::string MessageRepository::envelope(std::int64_t id) {
    Query query(m_db, "SELECT envelope FROM envelopes WHERE message_row = ?1", "read an envelope");
    if (!query.bind(1, id).next())
        noSuchMessage(id, "read an envelope");
    return query.text(0);
}

std::optional<std::string> MessageRepository::receipt(std::int64_t id) {
    Query query(m_db, "SELECT receipt FROM envelopes WHERE message_row = ?1", "read a receipt");
    if (!query.bind(1, id).next() || query.isNull(0))
        return std::nullopt;
    return query.text(0);
}

bool MessageRepository::transition(std::int64_t id, std::initializer_list<MessageState> from, MessageState to,
                                   UnixTime now, std::string_view detail, const MessageUpdate& update) {
    // The read and the write are one IMMEDIATE transaction: no other process can move the message in
    // between, so of two concurrent callers with the same `from` exactly one wins.
    Transaction transaction(m_db);
    MessageState current{};
    {
        Query read(m_db, "SELECT state FROM messages WHERE id = ?1", "read a message's state");
        if (!read.bind(1, id).next())
            noSuchMessage(id, "change a message's state");
        current = stateColumn(read, 0);
    }
    if (std::find(from.begin(), from.end(), current) == from.end())
        return false;
    apply(id, to, update, now);
    recordTransition(id, to, now, detail);
    transaction.commit();
    return true;
}

void MessageRepository::update(std::int64_t id, const MessageUpdate& update, UnixTime now) {
    Transaction transaction(m_db);
    if (!apply(id, std::nullopt, update, now))
        noSuchMessage(id, "update a message");
    transaction.commit();
}

bool MessageRepository::apply(std::int64_t id, std::optional<MessageState> state, const MessageUpdate& update,
                              UnixTime now) {
    {
        Query query(m_db, kApply, "update a message");
        query.bind(1, id);
        bindOptional(query, 2, state);
        query.bind(3, now);
        bindOptional(query, 4, update.error);
        bindOptional(query, 5, update.savedPath);
        bindOptional(query, 6, update.receiptStatus);
        bindOptional(query, 7, update.receiptSigner);
        bindOptional(query, 8, update.receiptAt);
        bindOptional(query, 9, update.relayReceivedAt);
        bindOptional(query, 10, update.findingErrors);
        bindOptional(query, 11, update.findingWarnings);
        query.bind(12, update.countAttempt ? 1 : 0);
        query.run();
    }
    if (m_db.changes() == 0)
        return false;
    if (update.receipt) {
        Query(m_db, "UPDATE envelopes SET receipt = ?2 WHERE message_row = ?1", "store a receipt")
            .bind(1, id)
            .bindBlob(2, *update.receipt)
            .run();
    }
    return true;
}

void MessageRepository::recordTransition(std::int64_t id, MessageState state, UnixTime at,
                                         std::string_view detail) {
    Query(m_db, "INSERT INTO message_transitions (message_row, state, at, detail) VALUES (?1, ?2, ?3, ?4)",
          "record a transition")
        .bind(1, id)
        .bind(2, toString(state))
        .bind(3, at)
        .bind(4, detail)
        .run();
}

std::vector<Transition> MessageRepository::transitions(std::int64_t id) {
    Query query(m_db, "SELECT state, at, detail FROM message_transitions WHERE message_row = ?1 ORDER BY id",
                "read transitions");
    query.bind(1, id);
    std::vector<Transition> out;
    while (query.next())
        out.push_back(Transition{stateColumn(query, 0), query.int64(1), query.text(2)});
    return out;
}

std::vector<MessageRecord> MessageRepository::inStates(Direction direction,
                                                       const std::vector<MessageState>& states, int limit) {
    if (states.empty() || limit <= 0)
        return {};
    SqlBuilder sql;
    sql.sql("SELECT ")
        .sql(kMessageColumns)
        .sql(" FROM messages WHERE direction = ")
        .param(toString(direction));
    sql.sql(" AND state IN (").paramList(states, [](MessageState s) { return SqlValue(toString(s)); });
    sql.sql(") ORDER BY created_at, id LIMIT ").param(std::int64_t{limit});
    Query query(m_db, sql.text(), "list messages to work on");
    query.bindAll(sql.values());
    return readMessages(query);
}

std::vector<MessageRecord> MessageRepository::ofMonth(std::string_view month) {
    // Every file of a month has that month in its name or a creation time in it; "" would match every
    // file without a month instead.
    const auto range = localMonthRange(month);
    if (!range)
        return {};
    Query query(m_db, kOfMonth, "list a month's messages");
    query.bind(1, month).bind(2, range->first).bind(3, range->second);
    return readMessages(query);
}

} // namespace cplink::store
