#pragma once

#include "store/Database.h"
#include "store/StoreTypes.h"

#include <optional>
#include <string_view>
#include <vector>

namespace cplink::store {

// The columns of a MessageRecord, in the order readMessage() reads them (columns 0…N-1 of a SELECT).
inline constexpr std::string_view kMessageColumns =
    "id, message_id, direction, own_office, peer_office, kind, month, send_unit, sequence, file_name, size, "
    "sha256, state, error, finding_errors, finding_warnings, saved_path, source_path, receipt_status, "
    "receipt_signer, receipt_at, relay_received_at, attempts, created_at, updated_at";

MessageRecord readMessage(const Query& row);
// Every remaining row of a query that selects kMessageColumns.
std::vector<MessageRecord> readMessages(Query& query);
std::optional<MessageRecord> readFirstMessage(Query& query);

// Stored spellings back to enums; a value no version writes means the file was altered: Corrupt.
MessageState stateColumn(const Query& row, int column);

// INSERT of a new message row: the record's fields with created_at = updated_at = now.
extern const std::string_view kInsertMessage;
void bindNewMessage(Query& insert, const MessageRecord& record, UnixTime now);

} // namespace cplink::store
