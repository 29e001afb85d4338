// Retention: undelivered messages expire and their senders get a notice; an expired message can be
// sent again; settled rows are purged once the retention has passed for them too.
#include "StorageTestSupport.h"

#include <nlohmann/json.hpp>

namespace cplink::test {
namespace {

using relay::UploadOutcome;
using std::chrono::seconds;

constexpr seconds kRetention{100};

TEST_P(StorageTest, PendingMessageExpiresOnlyAfterTheRetention) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000)).outcome,
              UploadOutcome::Stored);

    // Received at 1000 with 100 s retention: still within it at 1100 (not received *before* 1000).
    EXPECT_EQ(storage->expire(1100, kRetention).expired, 0);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), "bytes");

    const relay::ExpiryResult result = storage->expire(1101, kRetention);
    EXPECT_EQ(result.expired, 1);
    EXPECT_EQ(result.purged, 0);
    EXPECT_TRUE(storage->inbox(kHimawari, 10).empty());
    EXPECT_FALSE(bodyOf(storage->download(kHimawari, "m-1")).has_value());
    EXPECT_FALSE(storage->acknowledge(kHimawari, "m-1", 1102));
}

TEST_P(StorageTest, SenderGetsOneDeliverableNoticeForAnExpiredMessage) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->expire(1200, kRetention).expired, 1);
    EXPECT_EQ(storage->expire(1201, kRetention).expired, 0); // no second notice

    const auto inbox = storage->inbox(kSakura, 10);
    ASSERT_EQ(inbox.size(), 1u);
    const relay::InboxEntry& notice = inbox[0];
    EXPECT_EQ(notice.sender, relay::kRelaySender);
    EXPECT_EQ(notice.kind, relay::MessageKind::ExpiryNotice);
    EXPECT_EQ(notice.receivedAt, 1200);
    ASSERT_EQ(notice.messageId.rfind("expired.", 0), 0u) << notice.messageId;
    const std::string number = notice.messageId.substr(8);
    EXPECT_FALSE(number.empty());
    EXPECT_EQ(number.find_first_not_of("0123456789"), std::string::npos) << notice.messageId;

    const std::optional<std::string> body = bodyOf(storage->download(kSakura, notice.messageId));
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ(notice.sha256, sha256Of(*body));
    EXPECT_EQ(notice.size, static_cast<std::int64_t>(body->size()));
    const nlohmann::json json = nlohmann::json::parse(*body);
    EXPECT_EQ(json.at("type"), "expired");
    EXPECT_EQ(json.at("message_id"), "m-1");
    EXPECT_EQ(json.at("recipient"), kHimawari);
    EXPECT_EQ(json.at("received_at"), 1000);
    EXPECT_EQ(json.at("expired_at"), 1200);
    EXPECT_EQ(json.size(), 5u);

    // Acknowledged like any other message, only by its addressee.
    EXPECT_FALSE(storage->acknowledge(kHimawari, notice.messageId, 1300));
    EXPECT_TRUE(storage->acknowledge(kSakura, notice.messageId, 1300));
    EXPECT_TRUE(storage->inbox(kSakura, 10).empty());
    EXPECT_EQ(storage->pendingCount(), 0);
}

TEST_P(StorageTest, EachExpiredMessageGetsItsOwnNoticeInArrivalOrder) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "1", 1000)).outcome, UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kSakura, kTsubaki, "m-2", "2", 1001)).outcome, UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kTsubaki, kHimawari, "m-3", "3", 1002)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-fresh", "4", 1150)).outcome,
              UploadOutcome::Stored);

    EXPECT_EQ(storage->expire(1200, kRetention).expired, 3);
    const auto sakura = storage->inbox(kSakura, 10);
    ASSERT_EQ(sakura.size(), 2u);
    EXPECT_NE(sakura[0].messageId, sakura[1].messageId);
    EXPECT_EQ(
        nlohmann::json::parse(*bodyOf(storage->download(kSakura, sakura[0].messageId))).at("message_id"),
        "m-1");
    EXPECT_EQ(
        nlohmann::json::parse(*bodyOf(storage->download(kSakura, sakura[1].messageId))).at("message_id"),
        "m-2");
    const auto tsubaki = storage->inbox(kTsubaki, 10);
    ASSERT_EQ(tsubaki.size(), 1u);
    EXPECT_EQ(
        nlohmann::json::parse(*bodyOf(storage->download(kTsubaki, tsubaki[0].messageId))).at("recipient"),
        kHimawari);
    // The fresh message is still there; pending: it plus three notices.
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-fresh")), "4");
    EXPECT_EQ(storage->pendingCount(), 4);
}

TEST_P(StorageTest, ExpiredMessageSentAgainIsQueuedAsNewWithAnyBytes) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "old bytes", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->expire(1200, kRetention).expired, 1);
    ASSERT_EQ(storage->upload(envelope(kTsubaki, kHimawari, "m-other", "x", 1250)).outcome,
              UploadOutcome::Stored);

    const relay::UploadResult again = storage->upload(envelope(kSakura, kHimawari, "m-1", "new bytes", 1300));
    EXPECT_EQ(again.outcome, UploadOutcome::Stored);
    EXPECT_EQ(again.receipt.receivedAt, 1300);
    EXPECT_EQ(again.receipt.sha256, sha256Of("new bytes"));
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), "new bytes");
    // It arrived after m-other, so it is queued behind it.
    const auto inbox = storage->inbox(kHimawari, 10);
    ASSERT_EQ(inbox.size(), 2u);
    EXPECT_EQ(inbox[0].messageId, "m-other");
    EXPECT_EQ(inbox[1].messageId, "m-1");
    EXPECT_EQ(inbox[1].receivedAt, 1300);
    // From now on it is an ordinary pending message: retries are duplicates, other bytes conflict.
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "new bytes", 1400)).receipt.receivedAt,
              1300);
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "old bytes", 1400)).outcome,
              UploadOutcome::Conflict);
}

TEST_P(StorageTest, ExpiredMessageSentAgainStillNeedsAnEnabledRecipient) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->expire(1200, kRetention).expired, 1);
    ASSERT_TRUE(storage->setOfficeEnabled(kHimawari, false));
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1300)).outcome,
              UploadOutcome::RecipientDisabled);
}

TEST_P(StorageTest, SettledRowsArePurgedAfterTheRetention) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "delivered", "1", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "expiring", "2", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_TRUE(storage->acknowledge(kHimawari, "delivered", 1050));
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "young", "3", 1140)).outcome,
              UploadOutcome::Stored);

    // 1101: "expiring" expires; "delivered" changed state at 1050, within the retention, so it stays.
    relay::ExpiryResult result = storage->expire(1101, kRetention);
    EXPECT_EQ(result.expired, 1);
    EXPECT_EQ(result.purged, 0);
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "delivered", "1", 1102)).outcome,
              UploadOutcome::Duplicate);

    // The notice is acknowledged at 1110.
    const auto notices = storage->inbox(kSakura, 10);
    ASSERT_EQ(notices.size(), 1u);
    ASSERT_TRUE(storage->acknowledge(kSakura, notices[0].messageId, 1110));

    // 1151: "delivered" (1050) goes; the expired row (1101) and the notice (1110) stay.
    result = storage->expire(1151, kRetention);
    EXPECT_EQ(result.expired, 0);
    EXPECT_EQ(result.purged, 1);
    // 1211: both go; "young" is pending (expires at 1241+), never purged.
    result = storage->expire(1211, kRetention);
    EXPECT_EQ(result.expired, 0);
    EXPECT_EQ(result.purged, 2);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "young")), "3");

    // Once purged a message is forgotten: the same id is a new message.
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "delivered", "other", 1300)).outcome,
              UploadOutcome::Stored);
}

TEST_P(StorageTest, NoticeWaitsWhileItsIdIsPendingFromAnotherSender) {
    // A fresh database numbers its first message 1, so its notice will be "expired.1" – an id an office
    // may also use. The inbox must never hold two messages under one id, so the expiry waits.
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kTsubaki, kSakura, "expired.1", "office", 1150)).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(storage->expire(1200, kRetention).expired, 0);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), "bytes");

    ASSERT_TRUE(storage->acknowledge(kSakura, "expired.1", 1201));
    EXPECT_EQ(storage->expire(1202, kRetention).expired, 1);
    const auto inbox = storage->inbox(kSakura, 10);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0].messageId, "expired.1");
    EXPECT_EQ(inbox[0].sender, relay::kRelaySender);
}

TEST_P(StorageTest, UndeliveredNoticeExpiresWithoutANoticeOfItsOwn) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->expire(1200, kRetention).expired, 1);
    ASSERT_EQ(storage->pendingCount(), 1); // the notice

    EXPECT_EQ(storage->expire(1400, kRetention).expired, 1); // the notice itself
    EXPECT_EQ(storage->pendingCount(), 0);
    EXPECT_TRUE(storage->inbox(kSakura, 10).empty());
    EXPECT_TRUE(storage->inbox(relay::kRelaySender, 10).empty());
}

} // namespace
} // namespace cplink::test
