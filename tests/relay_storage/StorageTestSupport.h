#pragma once

// The conformance suite's fixture: every TEST_P(StorageTest, …) runs once on SQLite (a file in a
// temporary directory) and once on PostgreSQL (a fresh database on the binary's one test server).
#include "PostgresServer.h"
#include "TestSupport.h"
#include "relay/storage/Storage.h"

#include <atomic>
#include <gtest/gtest.h>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace cplink::relay {
// Readable names in failure messages.
void PrintTo(UploadOutcome outcome, std::ostream* out);
void PrintTo(MessageKind kind, std::ostream* out);
} // namespace cplink::relay

namespace cplink::test {

enum class Backend { Sqlite, Postgres };
void PrintTo(Backend backend, std::ostream* out);

std::string backendName(const ::testing::TestParamInfo<Backend>& info);

// The binary's PostgreSQL, started on first use (SQLite-only runs never start one).
PostgresServer& postgresServer();

// Offices the fixture adds before each test, and one it never adds.
inline const std::string kSakura = "0300000100";
inline const std::string kHimawari = "0300000005";
inline const std::string kTsubaki = "0310000001";
inline const std::string kStranger = "0399999999";

std::string sha256Of(const std::string& bytes);

// The body of a downloaded message, for comparisons (nullopt stays nullopt).
inline std::optional<std::string> bodyOf(std::optional<relay::StoredMessage> message) {
    if (!message)
        return std::nullopt;
    return std::move(message->body);
}

// An envelope upload with the digest the relay's HTTP layer would compute.
relay::Upload envelope(const std::string& from, const std::string& to, const std::string& id,
                       const std::string& body, relay::UnixTime now = 1000);

// Runs SQL directly on a location through plain sqlite3/libpq calls, bypassing Storage and its SQL
// layer (to check what is on disk, or to set up states the API cannot reach).
void executeRaw(const std::string& location, const std::string& sql);
// The single integer a query returns, read directly.
long long queryRawInteger(const std::string& location, const std::string& sql);
// Every row's last column as text, read directly (SQLite only; EXPLAIN QUERY PLAN's details, say).
std::vector<std::string> queryRawSqliteTexts(const std::string& path, const std::string& sql);

// SqliteStorage::schemaVersion or PostgresStorage::schemaVersion, whichever `storage` is.
int schemaVersionOf(relay::Storage& storage);

// What went wrong on worker threads, reported once by the test thread with every message.
class Failures {
public:
    void add(const std::string& what);
    std::size_t count() const;
    std::string summary() const;

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_messages;
};

// Runs body(index) on `count` threads released together, as concurrent requests arrive; joins them.
template <typename Body> void runTogether(int count, Body body) {
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back([&, i] {
            ready.fetch_add(1);
            while (ready.load() < count)
                std::this_thread::yield();
            body(i);
        });
    }
    for (auto& thread : threads)
        thread.join();
}

class StorageTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override;

    // Another Storage object on the same location: for SQLite a second handle on the file, for
    // PostgreSQL what a second relay process would open.
    std::unique_ptr<relay::Storage> openAgain() const;
    // Closes the storage and opens the location again, as after a relay restart.
    void reopen();
    // A new empty location of this test's backend (for tests that need a database of their own).
    std::string freshLocation();
    bool isPostgres() const { return GetParam() == Backend::Postgres; }

    TempDir dir;
    std::string location;
    std::unique_ptr<relay::Storage> storage;

private:
    int m_files = 0;
};

} // namespace cplink::test
