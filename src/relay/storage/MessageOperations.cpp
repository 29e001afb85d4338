#include "crypto/Digest.h"
#include "relay/storage/SqlOperations.h"
#include "relay/storage/StorageSql.h"

namespace cplink::relay::ops {

namespace {

// What storage holds for the (sender, id) of an upload.
struct ExistingRow {
    std::int64_t row = 0;
    std::string recipient;
    std::string kind;
    std::string state;
    UploadReceipt receipt;
};

std::optional<ExistingRow> findBySender(SqlSession& session, const Upload& upload) {
    SqlResult result = session.run(session.hasRowLocks() ? sql::kFindBySenderForUpdate : sql::kFindBySender,
                                   {upload.sender, upload.messageId});
    if (result.rows.empty())
        return std::nullopt;
    const SqlRow& row = result.rows.front();
    return ExistingRow{row.integer(0), row.text(1), row.text(2), row.text(3),
                       UploadReceipt{upload.messageId, row.text(4), row.integer(5)}};
}

// A retry is the same request again: same addressee, same kind, same bytes.
bool isRetryOf(const ExistingRow& stored, const Upload& upload) {
    return stored.recipient == upload.recipient && stored.kind == toString(upload.kind) &&
           stored.receipt.sha256 == upload.sha256;
}

std::optional<UploadOutcome> refusalFor(SqlSession& session, const std::string& recipient) {
    const SqlResult result = session.run(sql::kOfficeEnabled, {recipient});
    if (result.rows.empty())
        return UploadOutcome::UnknownRecipient;
    if (!result.rows.front().flag(0))
        return UploadOutcome::RecipientDisabled;
    return std::nullopt;
}

// The sender of the message pending for the upload's recipient under the upload's id, if any.
std::optional<std::string> pendingSenderOfId(SqlSession& session, const Upload& upload) {
    const SqlResult result = session.run(sql::kPendingForRecipient, {upload.recipient, upload.messageId});
    if (result.rows.empty())
        return std::nullopt;
    return result.rows.front().text(0);
}

// nullopt: another relay process stored the same key between our look and our insert; look again.
std::optional<UploadResult> tryUpload(SqlSession& session, const Upload& upload) {
    const std::optional<ExistingRow> stored = findBySender(session, upload);
    if (stored && stored->state != toString(MessageState::Expired)) {
        if (isRetryOf(*stored, upload))
            return UploadResult{UploadOutcome::Duplicate, stored->receipt};
        return UploadResult{UploadOutcome::Conflict, {}};
    }
    if (const auto refusal = refusalFor(session, upload.recipient))
        return UploadResult{*refusal, {}};
    // The recipient addresses messages by id alone, so an id can be pending for it only once. On SQLite
    // this look is what keeps it so (schema version 3); PostgreSQL also has a unique index for it, which
    // several relay processes writing at once need.
    if (const auto pendingSender = pendingSenderOfId(session, upload)) {
        if (*pendingSender == upload.sender)
            return std::nullopt; // our own (sender, id), committed by another process since we looked
        return UploadResult{UploadOutcome::Conflict, {}};
    }
    // An expired message was never delivered: it is queued again as a new row, behind today's arrivals.
    if (stored)
        session.run(sql::kDeleteMessage, {stored->row});
    if (!insertPending(session, upload))
        return std::nullopt;
    return UploadResult{UploadOutcome::Stored, UploadReceipt{upload.messageId, upload.sha256, upload.now}};
}

MessageKind kindFromColumn(const std::string& text) {
    if (const auto kind = messageKindFromString(text))
        return *kind;
    throw StorageError("storage: unknown message kind in the database: " + text);
}

} // namespace

bool insertPending(SqlSession& session, const Upload& message) {
    if (const std::optional<BodyRef> placed = session.placeBody(message.body)) {
        return session
                   .run(sql::kInsertMessageInLog,
                        {message.sender, message.recipient, message.messageId,
                         std::string_view(toString(message.kind)), placed->segment, placed->offset,
                         static_cast<std::int64_t>(message.body.size()), message.sha256, message.now})
                   .affected > 0;
    }
    const SqlResult result = session.run(
        sql::kInsertMessage, {message.sender, message.recipient, message.messageId,
                              std::string_view(toString(message.kind)), SqlBytes{message.body},
                              static_cast<std::int64_t>(message.body.size()), message.sha256, message.now});
    return result.affected > 0;
}

UploadResult upload(SqlSession& session, const Upload& upload) {
    // In the same transaction as the insert, so that a disable by an administrator (or another relay
    // process) is never overtaken; an office the relay has not stored yet may send.
    if (const SqlResult sender = session.run(sql::kOfficeEnabled, {upload.sender});
        !sender.rows.empty() && !sender.rows.front().flag(0))
        return UploadResult{UploadOutcome::SenderDisabled, {}};
    // After a lost race the winner's row exists, so the second look decides; a third is never needed.
    for (int look = 0; look < 3; ++look) {
        if (auto result = tryUpload(session, upload))
            return *result;
    }
    throw StorageError("storage: upload of message " + upload.messageId +
                       " kept colliding with other writers");
}

std::vector<InboxEntry> inbox(SqlSession& session, const std::string& office, int limit) {
    std::vector<InboxEntry> entries;
    if (limit <= 0)
        return entries;
    const SqlResult result = session.run(sql::kInbox, {office, std::int64_t{limit}});
    entries.reserve(result.rows.size());
    for (const SqlRow& row : result.rows) {
        entries.push_back(InboxEntry{row.text(0), row.text(1), kindFromColumn(row.text(2)), row.integer(3),
                                     row.text(4), row.integer(5)});
    }
    return entries;
}

std::optional<StoredMessage> download(SqlSession& session, const std::string& office,
                                      const std::string& messageId) {
    SqlResult result = session.run(sql::kDownload, {office, messageId});
    if (result.rows.empty())
        return std::nullopt;
    SqlRow& row = result.rows.front();
    if (row.isNull(4))
        return StoredMessage{row.takeBytes(0), row.text(1), kindFromColumn(row.text(2)), row.text(3)};
    std::string body = session.readBody(BodyRef{row.integer(4), row.integer(5)}, row.integer(6));
    // The log is a file beside the database: bytes that no longer match the row are refused, never served.
    if (crypto::sha256Hex(body) != row.text(3))
        throw StorageError("storage: the body of message " + messageId + " in segment " +
                           std::to_string(row.integer(4)) + " does not match its SHA-256");
    return StoredMessage{std::move(body), row.text(1), kindFromColumn(row.text(2)), row.text(3)};
}

bool acknowledge(SqlSession& session, const std::string& office, const std::string& messageId, UnixTime now) {
    return session.run(sql::kAcknowledge, {office, messageId, now}).affected > 0;
}

std::int64_t pendingCount(SqlSession& session) {
    return session.run(sql::kPendingCount).rows.at(0).integer(0);
}

} // namespace cplink::relay::ops
