// The recipient's side: inbox order and limit, downloads and acknowledgements only by the addressee
// and only while the message is pending.
#include "StorageTestSupport.h"

namespace cplink::test {
namespace {

using relay::UploadOutcome;

std::vector<std::string> ids(const std::vector<relay::InboxEntry>& inbox) {
    std::vector<std::string> out;
    for (const auto& entry : inbox)
        out.push_back(entry.messageId);
    return out;
}

TEST_P(StorageTest, InboxIsOldestFirstByArrivalAndHonoursTheLimit) {
    // Same second for all: arrival order, not the clock, decides.
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "z-first", "1", 500)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kTsubaki, kHimawari, "a-second", "2", 500)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-third", "3", 500)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kTsubaki, kHimawari, "b-fourth", "4", 500)).outcome,
              UploadOutcome::Stored);

    EXPECT_EQ(ids(storage->inbox(kHimawari, 10)),
              (std::vector<std::string>{"z-first", "a-second", "m-third", "b-fourth"}));
    EXPECT_EQ(ids(storage->inbox(kHimawari, 2)), (std::vector<std::string>{"z-first", "a-second"}));
    EXPECT_TRUE(storage->inbox(kHimawari, 0).empty());
    ASSERT_TRUE(storage->acknowledge(kHimawari, "a-second", 600));
    EXPECT_EQ(ids(storage->inbox(kHimawari, 2)), (std::vector<std::string>{"z-first", "m-third"}));
}

TEST_P(StorageTest, InboxShowsOnlyTheOfficesOwnMessages) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "to-himawari", "1")).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kHimawari, kTsubaki, "to-tsubaki", "2")).outcome,
              UploadOutcome::Stored);

    EXPECT_EQ(ids(storage->inbox(kHimawari, 10)), (std::vector<std::string>{"to-himawari"}));
    EXPECT_EQ(ids(storage->inbox(kTsubaki, 10)), (std::vector<std::string>{"to-tsubaki"}));
    EXPECT_TRUE(storage->inbox(kSakura, 10).empty()); // its own upload is not in its inbox
    EXPECT_TRUE(storage->inbox(kStranger, 10).empty());
}

TEST_P(StorageTest, OnlyTheAddresseeDownloadsAndOnlyWhilePending) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "the body")).outcome,
              UploadOutcome::Stored);

    const auto message = storage->download(kHimawari, "m-1");
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(message->body, "the body");
    EXPECT_EQ(message->sender, kSakura);
    EXPECT_EQ(message->kind, relay::MessageKind::Envelope);
    EXPECT_EQ(message->sha256, sha256Of("the body"));
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), "the body");  // downloading does not consume
    EXPECT_FALSE(bodyOf(storage->download(kSakura, "m-1")).has_value()); // the sender is not the addressee
    EXPECT_FALSE(bodyOf(storage->download(kTsubaki, "m-1")).has_value());
    EXPECT_FALSE(bodyOf(storage->download(kHimawari, "no-such-id")).has_value());

    ASSERT_TRUE(storage->acknowledge(kHimawari, "m-1", 1100));
    EXPECT_FALSE(bodyOf(storage->download(kHimawari, "m-1")).has_value());
}

TEST_P(StorageTest, OnlyTheAddresseeAcknowledgesAndOnlyOnce) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "the body")).outcome,
              UploadOutcome::Stored);

    EXPECT_FALSE(storage->acknowledge(kSakura, "m-1", 1100));
    EXPECT_FALSE(storage->acknowledge(kTsubaki, "m-1", 1100));
    EXPECT_FALSE(storage->acknowledge(kHimawari, "no-such-id", 1100));
    EXPECT_EQ(storage->pendingCount(), 1); // the wrong offices changed nothing

    EXPECT_TRUE(storage->acknowledge(kHimawari, "m-1", 1100));
    EXPECT_FALSE(storage->acknowledge(kHimawari, "m-1", 1101));
    EXPECT_EQ(storage->pendingCount(), 0);
    EXPECT_TRUE(storage->inbox(kHimawari, 10).empty());
}

TEST_P(StorageTest, PendingCountCountsOnlyPendingMessagesOfAllOffices) {
    EXPECT_EQ(storage->pendingCount(), 0);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "1")).outcome, UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kSakura, kTsubaki, "m-2", "2")).outcome, UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kTsubaki, kSakura, "m-3", "3")).outcome, UploadOutcome::Stored);
    EXPECT_EQ(storage->pendingCount(), 3);
    ASSERT_TRUE(storage->acknowledge(kTsubaki, "m-2", 1100));
    EXPECT_EQ(storage->pendingCount(), 2);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "1")).outcome, UploadOutcome::Duplicate);
    EXPECT_EQ(storage->pendingCount(), 2);
}

} // namespace
} // namespace cplink::test
