// Many request threads at once, as the HTTP server calls storage: no lost, doubled or half-done work.
#include "StorageTestSupport.h"

namespace cplink::test {
namespace {

using relay::UploadOutcome;

constexpr int kThreads = 64;

const std::vector<std::string>& offices() {
    static const std::vector<std::string> all{kSakura, kHimawari, kTsubaki};
    return all;
}

TEST_P(StorageTest, SixtyFourThreadsUploadWithoutLossAndOneIdRacedFromEightIsStoredOnce) {
    constexpr int kPerThread = 12;
    const std::string body(2048, 'x');
    std::atomic<int> stored{0};
    std::atomic<int> racedStored{0};
    std::atomic<int> racedDuplicate{0};
    Failures failures;

    runTogether(kThreads, [&](int thread) {
        try {
            if (thread < 8) { // eight threads send the very same upload
                const auto result =
                    storage->upload(envelope(kSakura, kHimawari, "raced", "same bytes", 1000));
                (result.outcome == UploadOutcome::Stored ? racedStored : racedDuplicate).fetch_add(1);
                if (result.receipt.receivedAt != 1000 || result.receipt.sha256 != sha256Of("same bytes"))
                    failures.add("raced upload answered with another receipt, outcome " +
                                 std::to_string(static_cast<int>(result.outcome)));
            }
            for (int i = 0; i < kPerThread; ++i) {
                const std::string& from = offices()[static_cast<std::size_t>(thread) % 3];
                const std::string& to = offices()[static_cast<std::size_t>(thread + 1) % 3];
                const std::string id = "t" + std::to_string(thread) + "-" + std::to_string(i);
                if (storage->upload(envelope(from, to, id, body + id, 1000 + i)).outcome ==
                    UploadOutcome::Stored)
                    stored.fetch_add(1);
            }
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });

    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(racedStored.load(), 1);
    EXPECT_EQ(racedDuplicate.load(), 7);
    EXPECT_EQ(stored.load(), kThreads * kPerThread);
    EXPECT_EQ(storage->pendingCount(), kThreads * kPerThread + 1);
    std::size_t inboxTotal = 0;
    for (const std::string& office : offices())
        inboxTotal += storage->inbox(office, 1000).size();
    EXPECT_EQ(inboxTotal, static_cast<std::size_t>(kThreads * kPerThread + 1));
}

TEST_P(StorageTest, SixtyFourThreadsMixUploadsInboxPollsDownloadsAndAcknowledgements) {
    // Half the threads send; the other half act as the offices' clients, polling and acknowledging
    // until every message sent has been acknowledged exactly once.
    constexpr int kSenders = kThreads / 2;
    constexpr int kPerSender = 10;
    constexpr int kTotal = kSenders * kPerSender;
    std::atomic<int> acknowledged{0};
    Failures failures;

    runTogether(kThreads, [&](int thread) {
        try {
            if (thread < kSenders) {
                for (int i = 0; i < kPerSender; ++i) {
                    const std::string id = "s" + std::to_string(thread) + "-" + std::to_string(i);
                    const auto& to = offices()[static_cast<std::size_t>(thread + i) % 3];
                    const auto& from = offices()[static_cast<std::size_t>(thread + i + 1) % 3];
                    if (storage->upload(envelope(from, to, id, "body " + id)).outcome !=
                        UploadOutcome::Stored)
                        failures.add("upload " + id + " not stored");
                }
                return;
            }
            const std::string& office = offices()[static_cast<std::size_t>(thread) % 3];
            while (acknowledged.load() < kTotal && failures.count() == 0) {
                for (const relay::InboxEntry& entry : storage->inbox(office, 20)) {
                    // Another client thread of the same office may have acknowledged it meanwhile.
                    const std::optional<std::string> body =
                        bodyOf(storage->download(office, entry.messageId));
                    if (body && *body != "body " + entry.messageId)
                        failures.add("download " + entry.messageId + " returned other bytes");
                    if (storage->acknowledge(office, entry.messageId, 2000))
                        acknowledged.fetch_add(1);
                }
                std::this_thread::yield();
            }
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });

    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(acknowledged.load(), kTotal);
    EXPECT_EQ(storage->pendingCount(), 0);
    // Every message is remembered as delivered: a late retry is a duplicate, not a new message.
    EXPECT_EQ(storage->upload(envelope(offices()[1], offices()[0], "s0-0", "body s0-0")).outcome,
              UploadOutcome::Duplicate);
}

TEST_P(StorageTest, ConcurrentExpiryAcknowledgementsAndUploadsLeaveConsistentCounts) {
    constexpr int kOld = 120;
    for (int i = 0; i < kOld; ++i) {
        ASSERT_EQ(
            storage->upload(envelope(kSakura, kHimawari, "old-" + std::to_string(i), "b", 1000)).outcome,
            UploadOutcome::Stored);
    }
    std::atomic<int> acknowledged{0};
    std::atomic<int> expired{0};
    Failures failures;
    runTogether(16, [&](int thread) {
        try {
            if (thread < 4) {
                expired.fetch_add(storage->expire(5000, std::chrono::seconds(100)).expired);
                return;
            }
            for (int i = thread - 4; i < kOld; i += 12) {
                if (storage->acknowledge(kHimawari, "old-" + std::to_string(i), 5000))
                    acknowledged.fetch_add(1);
                storage->upload(envelope(kTsubaki, kHimawari, "new-" + std::to_string(i), "n", 4990));
            }
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });
    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    // Each old message was either acknowledged or expired, never both, never neither.
    EXPECT_EQ(acknowledged.load() + expired.load(), kOld);
    // One notice per expired message; the new uploads are all pending.
    EXPECT_EQ(static_cast<int>(storage->inbox(kSakura, 1000).size()), expired.load());
    EXPECT_EQ(storage->pendingCount(), expired.load() + kOld);
}

} // namespace
} // namespace cplink::test
