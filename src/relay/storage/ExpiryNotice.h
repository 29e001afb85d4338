#pragma once

#include "relay/storage/Storage.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace cplink::relay {

// A pending message that retention just ended, as the expiry statement returns it.
struct ExpiredMessage {
    std::int64_t row = 0; // the relay's number for the message: the <n> of "expired.<n>"
    std::string sender;
    std::string recipient;
    std::string messageId;
    UnixTime receivedAt = 0;
};

// The message that tells the sender (docs/protocol.md, "Retention"): from "relay", id "expired.<n>",
// kind expiry-notice, a JSON body naming the expired message.
Upload expiryNotice(const ExpiredMessage& expired, UnixTime now);

} // namespace cplink::relay
