// The text forms of kinds and states, as the HTTP API and the database spell them.
#include "relay/storage/Storage.h"

#include <gtest/gtest.h>

namespace cplink::test {
namespace {

using relay::MessageKind;
using relay::MessageState;

TEST(StorageNames, KindsRoundTripThroughTheirNames) {
    EXPECT_STREQ(relay::toString(MessageKind::Envelope), "envelope");
    EXPECT_STREQ(relay::toString(MessageKind::Receipt), "receipt");
    EXPECT_STREQ(relay::toString(MessageKind::ExpiryNotice), "expiry-notice");
    for (const MessageKind kind : {MessageKind::Envelope, MessageKind::Receipt, MessageKind::ExpiryNotice})
        EXPECT_EQ(relay::messageKindFromString(relay::toString(kind)), kind);
    EXPECT_FALSE(relay::messageKindFromString("Envelope").has_value());
    EXPECT_FALSE(relay::messageKindFromString("").has_value());
}

TEST(StorageNames, StatesHaveTheirNames) {
    EXPECT_STREQ(relay::toString(MessageState::Pending), "pending");
    EXPECT_STREQ(relay::toString(MessageState::Delivered), "delivered");
    EXPECT_STREQ(relay::toString(MessageState::Expired), "expired");
}

TEST(StorageNames, RelaySenderIsNotAnOfficeNumber) {
    EXPECT_STREQ(relay::kRelaySender, "relay");
}

} // namespace
} // namespace cplink::test
