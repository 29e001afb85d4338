#include "store/MessageRow.h"

#include "store/SqliteError.h"
#include "store/Store.h"

namespace cplink::store {

namespace {

template <typename Enum>
Enum parsed(const Query& row, int column, std::optional<Enum> (*parse)(std::string_view)) {
    const std::string text = row.text(column);
    if (const auto value = parse(text))
        return *value;
    throwStoreError(StoreError::Kind::Corrupt, row.database().path(), "read a message",
                    "unknown value '" + text + "' in the messages table");
}

} // namespace

const std::string_view kInsertMessage =
    "INSERT INTO messages (message_id, direction, own_office, peer_office, kind, month, send_unit, sequence, "
    "file_name, size, sha256, state, error, finding_errors, finding_warnings, saved_path, source_path, "
    "receipt_status, receipt_signer, receipt_at, relay_received_at, attempts, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
    "?22, ?23, ?23)";

MessageState stateColumn(const Query& row, int column) {
    return parsed(row, column, &messageStateFromString);
}

MessageRecord readMessage(const Query& row) {
    MessageRecord r;
    r.id = row.int64(0);
    r.messageId = row.text(1);
    r.direction = parsed(row, 2, &directionFromString);
    r.ownOffice = row.text(3);
    r.peerOffice = row.text(4);
    r.kind = row.text(5);
    r.month = row.text(6);
    r.sendUnit = row.text(7);
    r.sequence = row.text(8);
    r.fileName = row.text(9);
    r.size = row.int64(10);
    r.sha256 = row.text(11);
    r.state = stateColumn(row, 12);
    r.error = row.text(13);
    r.findingErrors = row.int32(14);
    r.findingWarnings = row.int32(15);
    r.savedPath = row.text(16);
    r.sourcePath = row.text(17);
    r.receiptStatus = parsed(row, 18, &receiptStatusFromString);
    r.receiptSigner = row.text(19);
    r.receiptAt = row.int64(20);
    r.relayReceivedAt = row.int64(21);
    r.attempts = row.int32(22);
    r.createdAt = row.int64(23);
    r.updatedAt = row.int64(24);
    return r;
}

std::vector<MessageRecord> readMessages(Query& query) {
    std::vector<MessageRecord> rows;
    while (query.next())
        rows.push_back(readMessage(query));
    return rows;
}

std::optional<MessageRecord> readFirstMessage(Query& query) {
    if (!query.next())
        return std::nullopt;
    return readMessage(query);
}

void bindNewMessage(Query& insert, const MessageRecord& r, UnixTime now) {
    insert.bind(1, r.messageId)
        .bind(2, toString(r.direction))
        .bind(3, r.ownOffice)
        .bind(4, r.peerOffice)
        .bind(5, r.kind)
        .bind(6, r.month)
        .bind(7, r.sendUnit)
        .bind(8, r.sequence)
        .bind(9, r.fileName)
        .bind(10, r.size)
        .bind(11, r.sha256)
        .bind(12, toString(r.state))
        .bind(13, r.error)
        .bind(14, r.findingErrors)
        .bind(15, r.findingWarnings)
        .bind(16, r.savedPath)
        .bind(17, r.sourcePath)
        .bind(18, toString(r.receiptStatus))
        .bind(19, r.receiptSigner)
        .bind(20, r.receiptAt)
        .bind(21, r.relayReceivedAt)
        .bind(22, r.attempts)
        .bind(23, now);
}

} // namespace cplink::store
