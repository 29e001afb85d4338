// PostgreSQL only: several relay processes (Storage objects) on one database, racing each other, and a
// server restart under a running relay.
#include "StorageTestSupport.h"
#include "relay/storage/PostgresStorage.h"

namespace cplink::test {
namespace {

using relay::UploadOutcome;

class PostgresTogether : public ::testing::Test {
protected:
    void SetUp() override {
        url = postgresServer().createDatabase();
        first = relay::openStorage(url);
        second = relay::openStorage(url);
        ASSERT_TRUE(first->addOffice(kSakura, "さくら居宅", 10));
        ASSERT_FALSE(second->addOffice(kSakura, "さくら居宅", 10));
        ASSERT_TRUE(second->addOffice(kHimawari, "ひまわり", 10));
        ASSERT_TRUE(second->addOffice(kTsubaki, "つばき", 10));
    }

    std::string url;
    std::unique_ptr<relay::Storage> first;
    std::unique_ptr<relay::Storage> second;
};

TEST_F(PostgresTogether, UploadThroughOneIsDeliveredThroughTheOther) {
    const relay::UploadResult stored =
        first->upload(envelope(kSakura, kHimawari, "m-1", "shared body", 1000));
    ASSERT_EQ(stored.outcome, UploadOutcome::Stored);
    ASSERT_EQ(second->inbox(kHimawari, 10).size(), 1u);
    EXPECT_EQ(bodyOf(second->download(kHimawari, "m-1")), "shared body");
    EXPECT_TRUE(second->acknowledge(kHimawari, "m-1", 1100));
    EXPECT_FALSE(first->acknowledge(kHimawari, "m-1", 1101));
    const relay::UploadResult retry = first->upload(envelope(kSakura, kHimawari, "m-1", "shared body", 1200));
    EXPECT_EQ(retry.outcome, UploadOutcome::Duplicate);
    EXPECT_EQ(retry.receipt.receivedAt, 1000);
    EXPECT_EQ(second->pendingCount(), 0);
}

TEST_F(PostgresTogether, SameUploadRacedThroughBothIsStoredOnce) {
    std::atomic<int> stored{0};
    std::atomic<int> duplicates{0};
    Failures failures;
    runTogether(16, [&](int i) {
        try {
            relay::Storage& storage = i % 2 ? *first : *second;
            const auto result = storage.upload(envelope(kSakura, kHimawari, "raced", "same", 1000));
            (result.outcome == UploadOutcome::Stored ? stored : duplicates).fetch_add(1);
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });
    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(stored.load(), 1);
    EXPECT_EQ(duplicates.load(), 15);
    EXPECT_EQ(first->pendingCount(), 1);
}

TEST_F(PostgresTogether, SameIdToOneRecipientFromTwoSendersRacedIsStoredOnce) {
    constexpr int kRounds = 20;
    std::atomic<int> stored{0};
    std::atomic<int> conflicts{0};
    Failures failures;
    for (int round = 0; round < kRounds; ++round) {
        const std::string id = "same-id-" + std::to_string(round);
        runTogether(2, [&](int i) {
            try {
                relay::Storage& storage = i ? *first : *second;
                const auto result =
                    storage.upload(envelope(i ? kSakura : kTsubaki, kHimawari, id, "b", 1000));
                if (result.outcome == UploadOutcome::Stored)
                    stored.fetch_add(1);
                else if (result.outcome == UploadOutcome::Conflict)
                    conflicts.fetch_add(1);
            } catch (const std::exception& error) {
                failures.add(error.what());
            }
        });
    }
    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(stored.load(), kRounds);
    EXPECT_EQ(conflicts.load(), kRounds);
    EXPECT_EQ(first->inbox(kHimawari, 100).size(), static_cast<std::size_t>(kRounds));
}

TEST_F(PostgresTogether, RacingAcknowledgementsSucceedOncePerMessage) {
    constexpr int kMessages = 60;
    for (int i = 0; i < kMessages; ++i)
        ASSERT_EQ(first->upload(envelope(kSakura, kHimawari, "m-" + std::to_string(i), "b")).outcome,
                  UploadOutcome::Stored);
    std::atomic<int> acknowledged{0};
    Failures failures;
    runTogether(8, [&](int thread) {
        try {
            relay::Storage& storage = thread % 2 ? *first : *second;
            for (int i = 0; i < kMessages; ++i) {
                if (storage.acknowledge(kHimawari, "m-" + std::to_string(i), 2000))
                    acknowledged.fetch_add(1);
            }
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });
    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(acknowledged.load(), kMessages);
    EXPECT_EQ(second->pendingCount(), 0);
}

TEST_F(PostgresTogether, RacingHousekeepingSendsOneNoticePerExpiredMessage) {
    constexpr int kMessages = 80;
    for (int i = 0; i < kMessages; ++i)
        ASSERT_EQ(first->upload(envelope(kSakura, kHimawari, "m-" + std::to_string(i), "b", 1000)).outcome,
                  UploadOutcome::Stored);
    std::atomic<int> expired{0};
    Failures failures;
    runTogether(6, [&](int thread) {
        try {
            relay::Storage& storage = thread % 2 ? *first : *second;
            expired.fetch_add(storage.expire(5000, std::chrono::seconds(100)).expired);
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });
    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(expired.load(), kMessages);
    const auto notices = first->inbox(kSakura, 1000);
    EXPECT_EQ(notices.size(), static_cast<std::size_t>(kMessages));
    EXPECT_EQ(second->pendingCount(), kMessages);
}

TEST_F(PostgresTogether, TwoRelaysOpeningAFreshDatabaseTogetherMigrateItOnce) {
    const std::string fresh = postgresServer().createDatabase();
    Failures failures;
    std::vector<std::unique_ptr<relay::Storage>> opened(4);
    runTogether(4, [&](int i) {
        try {
            opened[static_cast<std::size_t>(i)] = relay::openStorage(fresh);
        } catch (const std::exception& error) {
            failures.add(error.what());
        }
    });
    EXPECT_EQ(failures.count(), 0u) << failures.summary();
    EXPECT_EQ(queryRawInteger(fresh, "SELECT count(*) FROM schema_version"),
              2); // migrations 1 and 2, each once
    EXPECT_EQ(schemaVersionOf(*opened[0]), 2);
}

TEST_F(PostgresTogether, SmallPoolServesManyThreads) {
    relay::PostgresStorage small(url, relay::PostgresOptions{2});
    std::atomic<int> stored{0};
    runTogether(16, [&](int i) {
        if (small.upload(envelope(kSakura, kHimawari, "p-" + std::to_string(i), "b")).outcome ==
            UploadOutcome::Stored)
            stored.fetch_add(1);
    });
    EXPECT_EQ(stored.load(), 16);
    EXPECT_EQ(small.inbox(kHimawari, 100).size(), 16u);
}

TEST_F(PostgresTogether, RelayKeepsWorkingAcrossAServerRestart) {
    if (postgresServer().external())
        GTEST_SKIP() << "CPLINK_TEST_POSTGRES_URL: cannot restart a server we do not own";
    ASSERT_EQ(first->upload(envelope(kSakura, kHimawari, "before", "durable", 1000)).outcome,
              UploadOutcome::Stored);
    // Fill the pool with several idle connections that the restart will break.
    runTogether(4, [&](int) { first->pendingCount(); });

    postgresServer().restart();

    EXPECT_EQ(bodyOf(first->download(kHimawari, "before")), "durable");
    EXPECT_EQ(first->upload(envelope(kSakura, kHimawari, "after", "new", 1100)).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(second->pendingCount(), 2);
}

TEST(PostgresLocation, BothUrlSchemesOpenPostgres) {
    std::string url = postgresServer().createDatabase();
    EXPECT_EQ(relay::openStorage(url)->backendName(), "postgresql");
    ASSERT_EQ(url.rfind("postgresql://", 0), 0u);
    url.replace(0, std::string("postgresql").size(), "postgres");
    EXPECT_EQ(relay::openStorage(url)->backendName(), "postgresql");
}

TEST(PostgresLocation, MissingDatabaseIsAStorageError) {
    std::string url = postgresServer().createDatabase();
    url.insert(std::min(url.find('?'), url.size()), "_missing"); // before any ?parameters
    try {
        relay::openStorage(url);
        FAIL() << "opened a database that does not exist";
    } catch (const relay::StorageError& error) {
        EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
    }
}

} // namespace
} // namespace cplink::test
