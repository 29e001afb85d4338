// Several connections on one file, as when the CLI's `receive` and `watch` run at once.
#include "StoreTestSupport.h"
#include "store/Database.h"

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <thread>

namespace cplink::store::test {
namespace {

using cplink::test::TempDir;

TEST(StoreConcurrency, ExactlyOneCompareAndSetWinsAcrossConnections) {
    TempDir dir;
    const std::string path = dir.path() + "/profile.sqlite";
    constexpr int kMessages = 150;
    std::vector<std::int64_t> ids;
    {
        Store setup(path);
        for (int i = 0; i < kMessages; ++i)
            ids.push_back(setup.addMessage(
                sampleMessage(Direction::Outgoing, "0300000100", "M" + std::to_string(i)), i));
    }

    std::atomic<int> ready{0};
    std::vector<int> wins(2, 0);
    std::vector<std::vector<std::int64_t>> won(2);
    const auto worker = [&](int index) {
        Store store(path); // one Store per thread, as Store.h requires
        ready.fetch_add(1);
        while (ready.load() < 2) {
        }
        const std::string detail = "worker " + std::to_string(index);
        for (const std::int64_t id : ids) {
            // Both try the same moves on the same message at the same time.
            if (store.transition(id, {MessageState::Queued}, MessageState::Sending, 1000, detail,
                                 updateWith([](MessageUpdate& u) { u.countAttempt = true; }))) {
                ++wins[static_cast<std::size_t>(index)];
                won[static_cast<std::size_t>(index)].push_back(id);
            }
        }
    };
    std::thread a(worker, 0);
    std::thread b(worker, 1);
    a.join();
    b.join();

    EXPECT_EQ(wins[0] + wins[1], kMessages);
    Store check(path);
    for (std::size_t w = 0; w < 2; ++w) {
        for (const std::int64_t id : won[w]) {
            const auto transitions = check.transitions(id);
            ASSERT_EQ(transitions.size(), 2u) << id;
            EXPECT_EQ(transitions[1].detail, "worker " + std::to_string(w));
            EXPECT_EQ(check.message(id)->attempts, 1);
            EXPECT_EQ(check.message(id)->state, MessageState::Sending);
        }
    }
}

TEST(StoreConcurrency, ConcurrentOpensOfANewFileMigrateOnce) {
    TempDir dir;
    const std::string path = dir.path() + "/profile.sqlite";
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            try {
                Store store(path);
                store.setSetting("opened by " + std::to_string(i), "yes");
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
                failures.fetch_add(1);
            }
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    Store store(path);
    EXPECT_EQ(store.schemaVersion(), Store::kSchemaVersion);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(store.setting("opened by " + std::to_string(i)), "yes");
}

// The deterministic form of the race above. The conversion to WAL reads the file, then upgrades to a
// write; SQLite does not run the busy handler for that upgrade (it could deadlock), so while another
// connection was writing (as the one converting the file first does) the open failed at once.
TEST(StoreConcurrency, OpeningANewFileWaitsForAWriterToFinish) {
    TempDir dir;
    const std::string path = dir.path() + "/profile.sqlite";
    Database writer(path);
    writer.execute("BEGIN IMMEDIATE", "begin");
    std::thread finisher([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        writer.execute("COMMIT", "commit");
    });
    const auto started = std::chrono::steady_clock::now();
    try {
        Store store(path);
        store.setSetting("opened", "yes");
    } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
    }
    finisher.join();
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(150));
    Store store(path);
    EXPECT_EQ(store.setting("opened"), "yes");
    // A connection learns the mode from the file when it first reads it.
    Database check(path);
    EXPECT_EQ(check.userVersion(), Store::kSchemaVersion);
    Query mode(check, "PRAGMA journal_mode", "read the journal mode");
    ASSERT_TRUE(mode.next());
    EXPECT_EQ(mode.text(0), "wal");
}

TEST(StoreConcurrency, AReaderSeesCommittedWritesOfAnotherConnection) {
    TempDir dir;
    const std::string path = dir.path() + "/profile.sqlite";
    Store writer(path);
    Store reader(path);
    const std::int64_t id = writer.addMessage(sampleMessage(Direction::Incoming, "0300000100", "X"), 1);
    EXPECT_EQ(reader.message(id)->state, MessageState::Downloaded);
    ASSERT_TRUE(writer.transition(id, {MessageState::Downloaded}, MessageState::Verified, 2));
    EXPECT_EQ(reader.message(id)->state, MessageState::Verified);
    EXPECT_FALSE(reader.transition(id, {MessageState::Downloaded}, MessageState::Quarantined, 3));
}

} // namespace
} // namespace cplink::store::test
