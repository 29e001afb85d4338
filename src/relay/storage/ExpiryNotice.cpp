#include "relay/storage/ExpiryNotice.h"

#include "crypto/Digest.h"

#include <nlohmann/json.hpp>

namespace cplink::relay {

Upload expiryNotice(const ExpiredMessage& expired, UnixTime now) {
    // ordered_json keeps the documented key order, which makes the body easy to read in a log.
    nlohmann::ordered_json body;
    body["type"] = "expired";
    body["message_id"] = expired.messageId;
    body["recipient"] = expired.recipient;
    body["received_at"] = expired.receivedAt;
    body["expired_at"] = now;

    Upload notice;
    notice.sender = kRelaySender;
    notice.recipient = expired.sender;
    notice.messageId = "expired." + std::to_string(expired.row);
    notice.kind = MessageKind::ExpiryNotice;
    notice.body = body.dump();
    notice.sha256 = crypto::sha256Hex(notice.body);
    notice.now = now;
    return notice;
}

} // namespace cplink::relay
