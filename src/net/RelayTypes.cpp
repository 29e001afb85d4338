#include "net/RelayTypes.h"

#include <algorithm>

namespace cplink::net {

const char* toString(MessageKind kind) {
    switch (kind) {
    case MessageKind::Envelope:
        return "envelope";
    case MessageKind::Receipt:
        return "receipt";
    case MessageKind::ExpiryNotice:
        return "expiry-notice";
    case MessageKind::Unknown:
        break;
    }
    return "unknown";
}

MessageKind parseMessageKind(std::string_view text) {
    for (const MessageKind kind : {MessageKind::Envelope, MessageKind::Receipt, MessageKind::ExpiryNotice}) {
        if (text == toString(kind))
            return kind;
    }
    return MessageKind::Unknown;
}

bool isValidMessageId(std::string_view id) {
    const auto allowed = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
               c == '_' || c == '-';
    };
    // "." and ".." are allowed by the character rule but would be path segments in a URL.
    return !id.empty() && id.size() <= 64 && id != "." && id != ".." &&
           std::all_of(id.begin(), id.end(), allowed);
}

bool isValidOfficeNumber(std::string_view number) {
    return number.size() == 10 &&
           std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace cplink::net
