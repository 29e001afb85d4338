// Uploads: stored once, retries answered with the original receipt, conflicts, unknown and disabled
// recipients, and bodies of any bytes.
#include "StorageTestSupport.h"

namespace cplink::test {
namespace {

using relay::UploadOutcome;
using namespace std::string_literals;

TEST_P(StorageTest, NewUploadIsStoredWithItsReceiptAndQueued) {
    const relay::Upload upload = envelope(kSakura, kHimawari, "m-1", "sealed envelope", 1234);
    const relay::UploadResult result = storage->upload(upload);
    EXPECT_EQ(result.outcome, UploadOutcome::Stored);
    EXPECT_EQ(result.receipt.messageId, "m-1");
    EXPECT_EQ(result.receipt.sha256, upload.sha256);
    EXPECT_EQ(result.receipt.receivedAt, 1234);
    EXPECT_EQ(storage->pendingCount(), 1);

    const auto inbox = storage->inbox(kHimawari, 10);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0].messageId, "m-1");
    EXPECT_EQ(inbox[0].sender, kSakura);
    EXPECT_EQ(inbox[0].kind, relay::MessageKind::Envelope);
    EXPECT_EQ(inbox[0].size, 15);
    EXPECT_EQ(inbox[0].sha256, upload.sha256);
    EXPECT_EQ(inbox[0].receivedAt, 1234);
}

TEST_P(StorageTest, ReceiptKindIsKept) {
    relay::Upload upload = envelope(kHimawari, kSakura, "r-1", "signed receipt");
    upload.kind = relay::MessageKind::Receipt;
    ASSERT_EQ(storage->upload(upload).outcome, UploadOutcome::Stored);
    const auto inbox = storage->inbox(kSakura, 10);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0].kind, relay::MessageKind::Receipt);
}

TEST_P(StorageTest, RetryOfTheSameBytesGetsTheOriginalReceipt) {
    const relay::UploadResult first = storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000));
    const relay::UploadResult retry = storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1500));
    EXPECT_EQ(retry.outcome, UploadOutcome::Duplicate);
    EXPECT_EQ(retry.receipt.messageId, first.receipt.messageId);
    EXPECT_EQ(retry.receipt.sha256, first.receipt.sha256);
    EXPECT_EQ(retry.receipt.receivedAt, 1000);
    EXPECT_EQ(storage->pendingCount(), 1);
    EXPECT_EQ(storage->inbox(kHimawari, 10).size(), 1u);
}

TEST_P(StorageTest, RetryAfterDeliveryGetsTheOriginalReceiptAndIsNotQueuedAgain) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_TRUE(storage->acknowledge(kHimawari, "m-1", 1100));

    const relay::UploadResult retry = storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes", 1200));
    EXPECT_EQ(retry.outcome, UploadOutcome::Duplicate);
    EXPECT_EQ(retry.receipt.receivedAt, 1000);
    EXPECT_EQ(retry.receipt.sha256, sha256Of("bytes"));
    EXPECT_TRUE(storage->inbox(kHimawari, 10).empty());
    EXPECT_EQ(storage->pendingCount(), 0);
}

TEST_P(StorageTest, RetryIsAnsweredEvenAfterTheRecipientWasDisabled) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes")).outcome, UploadOutcome::Stored);
    ASSERT_TRUE(storage->setOfficeEnabled(kHimawari, false));
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes")).outcome,
              UploadOutcome::Duplicate);
}

TEST_P(StorageTest, OtherBytesUnderTheSameIdConflict) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "first")).outcome, UploadOutcome::Stored);
    const relay::UploadResult other = storage->upload(envelope(kSakura, kHimawari, "m-1", "second"));
    EXPECT_EQ(other.outcome, UploadOutcome::Conflict);
    EXPECT_TRUE(other.receipt.messageId.empty());
    // The same bytes to another office under that id is not a retry either.
    EXPECT_EQ(storage->upload(envelope(kSakura, kTsubaki, "m-1", "first")).outcome, UploadOutcome::Conflict);
    // And the stored message is untouched.
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), "first");
    EXPECT_EQ(storage->pendingCount(), 1);
}

TEST_P(StorageTest, OtherBytesConflictAlsoAfterDelivery) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "first")).outcome, UploadOutcome::Stored);
    ASSERT_TRUE(storage->acknowledge(kHimawari, "m-1", 1100));
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "second")).outcome,
              UploadOutcome::Conflict);
    EXPECT_EQ(storage->pendingCount(), 0);
}

TEST_P(StorageTest, SameIdPendingForTheRecipientFromAnotherSenderConflicts) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kTsubaki, "shared", "from sakura")).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(storage->upload(envelope(kHimawari, kTsubaki, "shared", "from himawari")).outcome,
              UploadOutcome::Conflict);
    // The id is free for another recipient, and for this one once the first message is delivered.
    EXPECT_EQ(storage->upload(envelope(kTsubaki, kSakura, "shared", "to sakura")).outcome,
              UploadOutcome::Stored);
    ASSERT_TRUE(storage->acknowledge(kTsubaki, "shared", 1100));
    EXPECT_EQ(storage->upload(envelope(kHimawari, kTsubaki, "shared", "from himawari")).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(bodyOf(storage->download(kTsubaki, "shared")), "from himawari");
}

TEST_P(StorageTest, UnknownRecipientIsRefused) {
    const relay::UploadResult result = storage->upload(envelope(kSakura, kStranger, "m-1", "bytes"));
    EXPECT_EQ(result.outcome, UploadOutcome::UnknownRecipient);
    // "relay" only sends; nobody can send to it.
    EXPECT_EQ(storage->upload(envelope(kSakura, relay::kRelaySender, "m-2", "bytes")).outcome,
              UploadOutcome::UnknownRecipient);
    EXPECT_EQ(storage->pendingCount(), 0);
    // Nothing was kept: the same id can be used once the office is known.
    ASSERT_TRUE(storage->addOffice(kStranger, "new office", 2000));
    EXPECT_EQ(storage->upload(envelope(kSakura, kStranger, "m-1", "other bytes")).outcome,
              UploadOutcome::Stored);
}

TEST_P(StorageTest, DisabledRecipientIsRefusedUntilEnabledAgain) {
    ASSERT_TRUE(storage->setOfficeEnabled(kHimawari, false));
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes")).outcome,
              UploadOutcome::RecipientDisabled);
    EXPECT_EQ(storage->pendingCount(), 0);
    ASSERT_TRUE(storage->setOfficeEnabled(kHimawari, true));
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "bytes")).outcome, UploadOutcome::Stored);
}

TEST_P(StorageTest, HostileBytesAndTextRoundTripExactly) {
    std::string everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.push_back(static_cast<char>(i));
    const std::string quotes = "it's \"quoted\"; DROP TABLE messages; --\0after NUL"s;
    const std::string id = "id'with\"quotes;--";
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, id, everyByte + quotes)).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, id)), everyByte + quotes);
    EXPECT_EQ(storage->inbox(kHimawari, 10).at(0).messageId, id);

    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "empty", "")).outcome, UploadOutcome::Stored);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "empty")), std::string());

    ASSERT_TRUE(storage->addOffice(kStranger, "O'Brien \"ケア\" ; --", 10));
    EXPECT_EQ(storage->office(kStranger)->name, "O'Brien \"ケア\" ; --");
}

TEST_P(StorageTest, SixteenMebibyteBodyRoundTripsExactly) {
    std::string body(16 * 1024 * 1024, '\0');
    std::uint32_t state = 2463534242u; // xorshift: every byte value, no pattern a compressor would like
    for (char& byte : body) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        byte = static_cast<char>(state & 0xff);
    }
    const relay::UploadResult result = storage->upload(envelope(kSakura, kHimawari, "big", body));
    ASSERT_EQ(result.outcome, UploadOutcome::Stored);
    EXPECT_EQ(storage->inbox(kHimawari, 1).at(0).size, 16 * 1024 * 1024);
    const std::optional<std::string> downloaded = bodyOf(storage->download(kHimawari, "big"));
    ASSERT_TRUE(downloaded.has_value());
    EXPECT_TRUE(*downloaded == body) << "16 MiB body changed on the way";
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "big", body)).outcome, UploadOutcome::Duplicate);
}

} // namespace
} // namespace cplink::test
