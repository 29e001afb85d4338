#include "relay/storage/Storage.h"

#include "relay/storage/PostgresStorage.h"
#include "relay/storage/SqliteStorage.h"

#include <string_view>

namespace cplink::relay {

const char* toString(MessageKind kind) {
    switch (kind) {
    case MessageKind::Envelope:
        return "envelope";
    case MessageKind::Receipt:
        return "receipt";
    case MessageKind::ExpiryNotice:
        return "expiry-notice";
    }
    return "envelope";
}

const char* toString(MessageState state) {
    switch (state) {
    case MessageState::Pending:
        return "pending";
    case MessageState::Delivered:
        return "delivered";
    case MessageState::Expired:
        return "expired";
    }
    return "pending";
}

std::optional<MessageKind> messageKindFromString(const std::string& text) {
    for (const MessageKind kind : {MessageKind::Envelope, MessageKind::Receipt, MessageKind::ExpiryNotice}) {
        if (text == toString(kind))
            return kind;
    }
    return std::nullopt;
}

void Storage::uploadAsync(Upload upload, UploadCompletion done) {
    UploadResult result;
    try {
        result = this->upload(upload);
    } catch (...) {
        return done({}, std::current_exception());
    }
    done(std::move(result), nullptr);
}

std::unique_ptr<Storage> openStorage(const std::string& location) {
    const std::string_view text = location;
    if (text.starts_with("postgresql://") || text.starts_with("postgres://"))
        return std::make_unique<PostgresStorage>(location);
    return std::make_unique<SqliteStorage>(location);
}

} // namespace cplink::relay
