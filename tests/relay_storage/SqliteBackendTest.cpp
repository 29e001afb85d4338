// SQLite only: the file's permissions, two Storage objects on one file, and group commit keeping a
// failing operation from undoing the others committed with it.
#include "StorageTestSupport.h"
#include "crypto/Digest.h"
#include "relay/storage/Migrations.h"
#include "relay/storage/SqliteGroupCommit.h"
#include "relay/storage/SqliteStorage.h"
#include "relay/storage/StorageSql.h"
#include "relay/storage/WalSync.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <sqlite3.h>
#include <sys/stat.h>
#include <thread>

namespace cplink::test {
namespace {

using relay::UploadOutcome;

unsigned permissions(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return 0;
    return st.st_mode & 0777;
}

TEST(SqliteBackend, DatabaseFilesAreReadableByTheRelayUserOnly) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    auto storage = relay::openStorage(path);
    ASSERT_EQ(storage->backendName(), "sqlite");
    ASSERT_TRUE(storage->addOffice(kSakura, "", 1));
    EXPECT_EQ(permissions(path), 0600u);
    EXPECT_EQ(permissions(path + "-wal"), 0600u);
}

std::uintmax_t fileSize(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uintmax_t>(st.st_size) : 0;
}

TEST(SqliteBackend, TheWalIsCopiedIntoTheDatabaseBesideTheWriter) {
    // The writer's own checkpoints are off; the checkpointer thread must keep the database current.
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    auto storage = relay::openStorage(path);
    ASSERT_TRUE(storage->addOffice(kSakura, "", 1));
    ASSERT_TRUE(storage->addOffice(kHimawari, "", 1));
    const std::uintmax_t before = fileSize(path);
    // Bodies go to the body log, so rows that stay in the database make the WAL grow: certificates.
    // 400 of them, together about twice the pages of WAL that ask for a checkpoint.
    constexpr int kCertificates = 400;
    const std::string pem(relay::SqliteCheckpointer::kAskAtPages * 2 / kCertificates * 4096, 'e');
    for (int i = 0; i < kCertificates; ++i)
        storage->officeSeen(relay::Office{kSakura, "", true, 2, 2},
                            relay::OfficeCertificate{"f" + std::to_string(i), pem, 9000, 2});
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "body")).outcome, UploadOutcome::Stored);
    constexpr std::uintmax_t kOneCheckpoint = std::uintmax_t{relay::SqliteCheckpointer::kAskAtPages} * 4096;
    std::uintmax_t after = fileSize(path);
    for (int i = 0; i < 100 && after < before + kOneCheckpoint; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        after = fileSize(path);
    }
    EXPECT_GE(after, before + kOneCheckpoint) << "no checkpoint copied the WAL into " << path;
    EXPECT_EQ(storage->officeCertificates(kSakura, 1).size(), std::size_t{kCertificates});
}

TEST(SqliteBackend, TwoStoragesOnOneFileSeeEachOthersWrites) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    auto first = relay::openStorage(path);
    auto second = relay::openStorage(path);
    ASSERT_TRUE(first->addOffice(kHimawari, "", 1));
    ASSERT_EQ(second->upload(envelope(kSakura, kHimawari, "m-1", "body")).outcome, UploadOutcome::Stored);
    EXPECT_EQ(bodyOf(first->download(kHimawari, "m-1")), "body");
    EXPECT_EQ(first->upload(envelope(kSakura, kHimawari, "m-1", "body")).outcome, UploadOutcome::Duplicate);
    EXPECT_TRUE(first->acknowledge(kHimawari, "m-1", 2));
    EXPECT_EQ(second->pendingCount(), 0);
}

// One column of every row `sql` gives on `connection`, prepared here rather than through
// SqliteConnection::run, whose statement cache is keyed by the address of a static string.
std::vector<std::string> columnOn(relay::SqliteConnection& connection, const std::string& sql, int column) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(connection.handle(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(connection.handle()));
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
    std::vector<std::string> values;
    while (sqlite3_step(statement.get()) == SQLITE_ROW)
        values.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), column)));
    return values;
}

// A recipient's message is found through the one index keyed by message id, never by walking the
// recipient's inbox (which is what SQLite's planner does without the statistics schema 3 writes). Seen
// by a connection of its own and by the writer's connection, which may be the one that migrated.
void expectRecipientLookupsUseTheMessageIdIndex(const std::string& path, relay::SqliteConnection& writer) {
    static constexpr const char* kExpected =
        "SEARCH messages USING INDEX sqlite_autoindex_messages_1 (message_id=?)";
    for (const char* statement :
         {relay::sql::kPendingForRecipient, relay::sql::kDownload, relay::sql::kAcknowledge}) {
        const std::string explain = std::string("EXPLAIN QUERY PLAN ") + statement;
        EXPECT_EQ(queryRawSqliteTexts(path, explain), std::vector<std::string>{kExpected}) << statement;
        EXPECT_EQ(columnOn(writer, explain, 3), std::vector<std::string>{kExpected})
            << "writer: " << statement;
    }
    EXPECT_EQ(queryRawInteger(path, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                    "'messages_pending_by_recipient'"),
              0);
}

TEST(SqliteBackend, RecipientLookupsUseTheMessageIdIndex) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    const auto writer = relay::openMigratedWriter(path); // migrates a new file from nothing
    expectRecipientLookupsUseTheMessageIdIndex(path, *writer);
}

// Schema 3 copies the messages table to change its unique key: every row, its id and the id counter
// survive, and uniqueness per sender and per recipient still holds.
TEST(SqliteBackend, AVersionTwoDatabaseIsRebuiltWithItsRowsAndIdsKept) {
    TempDir dir;
    const std::string path = dir.write("relay.db", ""); // an empty file is an empty database
    const auto migrations = relay::sqliteMigrations();
    ASSERT_GE(migrations.size(), 3u);
    ASSERT_EQ(migrations[1].version, 2);
    const auto row = [](const std::string& id, const std::string& state, const std::string& body,
                        int receivedAt) {
        return "INSERT INTO messages (sender, recipient, message_id, kind, state, size, sha256, received_at, "
               "state_changed_at, body) VALUES ('" +
               kSakura + "', '" + kHimawari + "', '" + id + "', 'envelope', '" + state + "', " +
               std::to_string(body.size()) + ", '" + crypto::sha256Hex(body) + "', " +
               std::to_string(receivedAt) + ", " + std::to_string(receivedAt) + ", CAST('" + body +
               "' AS BLOB));";
    };
    executeRaw(path, std::string(migrations[0].sql) + migrations[1].sql + "PRAGMA user_version = 2;" +
                         "INSERT INTO offices (number, first_seen) VALUES ('" + kHimawari + "', 1), ('" +
                         kSakura + "', 1);" + row("kept", "pending", "kept body", 1000) +
                         row("done", "delivered", "done body", 1001) + row("gone", "delivered", "x", 1002) +
                         "DELETE FROM messages WHERE message_id = 'gone';");
    ASSERT_EQ(queryRawInteger(path, "SELECT seq FROM sqlite_sequence WHERE name = 'messages'"), 3);

    {
        const auto writer = relay::openMigratedWriter(path); // the connection that runs migrations 3 and 4
        EXPECT_EQ(writer->userVersion(), 4);
        expectRecipientLookupsUseTheMessageIdIndex(path, *writer);
    }
    EXPECT_EQ(queryRawSqliteTexts(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    auto storage = relay::openStorage(path);
    EXPECT_EQ(schemaVersionOf(*storage), 4);
    EXPECT_EQ(queryRawInteger(path, "SELECT id FROM messages WHERE message_id = 'done'"), 2);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "kept")), "kept body");
    const relay::UploadResult retry = storage->upload(envelope(kSakura, kHimawari, "done", "done body"));
    EXPECT_EQ(retry.outcome, UploadOutcome::Duplicate);
    EXPECT_EQ(retry.receipt.receivedAt, 1001);
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "done", "other bytes")).outcome,
              UploadOutcome::Conflict);
    EXPECT_EQ(storage->upload(envelope(kTsubaki, kHimawari, "kept", "same id, other sender")).outcome,
              UploadOutcome::Conflict);
    // The counter went on from 3, not from the highest id left: ids are never reused.
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "new", "new body")).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(queryRawInteger(path, "SELECT id FROM messages WHERE message_id = 'new'"), 4);
    EXPECT_EQ(storage->inbox(kHimawari, 10).size(), 2u);
}

// How many temporary tables or indexes (OpenEphemeral) `connection` builds each time it runs `statement`.
long temporaryTablesOf(relay::SqliteConnection& connection, const char* statement) {
    const std::vector<std::string> opcodes = columnOn(connection, std::string("EXPLAIN ") + statement, 1);
    return std::count(opcodes.begin(), opcodes.end(), "OpenEphemeral");
}

// The statements of every upload and acknowledgement: schema 4's CHECKs need no temporary index and the
// insert has no RETURNING (each of those is a B-tree built and freed per row written).
void expectWritesOfAMessageBuildNoTemporaryTable(relay::SqliteConnection& connection) {
    for (const char* statement : {relay::sql::kInsertMessageInLog, relay::sql::kInsertMessage,
                                  relay::sql::kAcknowledge, relay::sql::kDeleteMessage})
        EXPECT_EQ(temporaryTablesOf(connection, statement), 0L) << statement;
}

// The constraints schema 4 rewrote still refuse what they refused.
void expectKindAndStateAreChecked(const std::string& path) {
    const auto insert = [&](const std::string& id, const std::string& kind, const std::string& state) {
        executeRaw(path, "INSERT INTO messages (sender, recipient, message_id, kind, state, size, sha256, "
                         "received_at, state_changed_at) VALUES ('" +
                             kSakura + "', '" + kHimawari + "', '" + id + "', '" + kind + "', '" + state +
                             "', 1, 'x', 1, 1)");
    };
    EXPECT_THROW(insert("checked", "parcel", "pending"), std::runtime_error);
    EXPECT_THROW(insert("checked", "envelope", "lost"), std::runtime_error);
    for (const char* kind : {"envelope", "receipt", "expiry-notice"}) {
        for (const char* state : {"pending", "delivered", "expired"})
            insert(std::string(kind) + "." + state, kind, state);
    }
    EXPECT_THROW(executeRaw(path, "UPDATE messages SET state = 'lost' WHERE message_id = 'envelope.pending'"),
                 std::runtime_error);
    EXPECT_EQ(queryRawInteger(path, "SELECT count(*) FROM messages WHERE message_id LIKE '%.%'"), 9);
    executeRaw(path, "DELETE FROM messages WHERE message_id LIKE '%.%'");
}

TEST(SqliteBackend, WritesOfAMessageBuildNoTemporaryTable) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    const auto writer = relay::openMigratedWriter(path);
    expectWritesOfAMessageBuildNoTemporaryTable(*writer);
    expectKindAndStateAreChecked(path);
}

// Schema 4 replaces only the CREATE text: rows and ids stay, and a connection that was open on the file
// before parses the new text (the schema version moved), so it builds no temporary index either.
TEST(SqliteBackend, AVersionThreeDatabaseGetsComparisonChecksWithItsRowsKept) {
    TempDir dir;
    const std::string path = dir.write("relay.db", "");
    const auto migrations = relay::sqliteMigrations();
    ASSERT_GE(migrations.size(), 4u);
    ASSERT_EQ(migrations[2].version, 3);
    executeRaw(path, std::string(migrations[0].sql) + migrations[1].sql + migrations[2].sql +
                         "PRAGMA user_version = 3;" + "INSERT INTO offices (number, first_seen) VALUES ('" +
                         kHimawari + "', 1), ('" + kSakura +
                         "', 1);"
                         "INSERT INTO messages (sender, recipient, message_id, kind, state, size, sha256, "
                         "received_at, state_changed_at, body) VALUES ('" +
                         kSakura + "', '" + kHimawari + "', 'kept', 'envelope', 'pending', 9, '" +
                         crypto::sha256Hex("kept body") + "', 1000, 1000, CAST('kept body' AS BLOB));");
    relay::SqliteConnection openBefore(path, relay::SqliteConnection::Role::Reader);
    ASSERT_EQ(temporaryTablesOf(openBefore, relay::sql::kInsertMessageInLog), 2L); // kind and state

    {
        const auto writer = relay::openMigratedWriter(path);
        EXPECT_EQ(writer->userVersion(), 4);
        expectWritesOfAMessageBuildNoTemporaryTable(*writer);
    }
    // A connection compares the schema version when it next reads; EXPLAIN alone does not read.
    EXPECT_EQ(openBefore.run(relay::sql::kPendingCount).rows.at(0).integer(0), 1);
    expectWritesOfAMessageBuildNoTemporaryTable(openBefore);
    EXPECT_EQ(queryRawSqliteTexts(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    auto storage = relay::openStorage(path);
    EXPECT_EQ(schemaVersionOf(*storage), 4);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "kept")), "kept body");
    EXPECT_EQ(storage->upload(envelope(kSakura, kHimawari, "kept", "kept body")).outcome,
              UploadOutcome::Duplicate);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "new", "new body")).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(queryRawInteger(path, "SELECT id FROM messages WHERE message_id = 'new'"), 2);
    EXPECT_TRUE(storage->acknowledge(kHimawari, "kept", 2000));
    EXPECT_EQ(storage->inbox(kHimawari, 10).size(), 1u);
    expectKindAndStateAreChecked(path);
}

TEST(SqliteBackend, PathThroughAFileIsAStorageError) {
    // Unlike an unwritable directory, this fails for root too.
    TempDir dir;
    const std::string path = dir.write("not-a-directory", "x") + "/relay.db";
    try {
        relay::openStorage(path);
        FAIL() << "opened " << path;
    } catch (const relay::StorageError& error) {
        EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("Not a directory"), std::string::npos) << error.what();
    }
}

TEST(SqliteBackend, NotADatabaseIsAStorageError) {
    TempDir dir;
    const std::string path = dir.write("relay.db", std::string(4096, 'x'));
    try {
        relay::openStorage(path);
        FAIL() << "opened a file that is not a database";
    } catch (const relay::StorageError& error) {
        EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    }
}

// Operations share a transaction only by arriving together; whichever way they are grouped, a failing
// one is undone alone. The first operation holds the writer so that the others queue up behind it
// and go into one group (this only makes the interesting case likely; the checks hold either way).
TEST(SqliteGroupCommit, FailingOperationIsUndoneAloneAndTheOthersCommit) {
    TempDir dir;
    const std::string path = dir.path() + "/group.db";
    { relay::SqliteStorage create(path); } // the file, in WAL mode
    auto connection = std::make_unique<relay::SqliteConnection>(path, relay::SqliteConnection::Role::Writer);
    connection->execute("CREATE TABLE t (v INTEGER)");
    relay::SqliteGroupCommit writer(std::move(connection));

    static constexpr const char* kInsert = "INSERT INTO t (v) VALUES ($1)";
    std::atomic<bool> release{false};
    std::thread holder([&] {
        writer.run([&](relay::SqlSession& session) {
            session.run(kInsert, {std::int64_t{0}});
            while (!release.load())
                std::this_thread::yield();
            return 0;
        });
    });
    std::vector<std::thread> threads;
    std::atomic<int> committed{0};
    std::atomic<int> refused{0};
    for (int i = 1; i <= 6; ++i) {
        threads.emplace_back([&, i] {
            try {
                writer.run([&](relay::SqlSession& session) {
                    session.run(kInsert, {std::int64_t{i}});
                    if (i == 3)
                        throw relay::StorageError("operation 3 fails after writing");
                    return 0;
                });
                committed.fetch_add(1);
            } catch (const relay::StorageError&) {
                refused.fetch_add(1);
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    release.store(true);
    holder.join();
    for (auto& thread : threads)
        thread.join();

    EXPECT_EQ(committed.load(), 5);
    EXPECT_EQ(refused.load(), 1);
    EXPECT_EQ(queryRawInteger(path, "SELECT count(*) FROM t"), 6);
    EXPECT_EQ(queryRawInteger(path, "SELECT count(*) FROM t WHERE v = 3"), 0);
}

// A barrier the test opens by hand: what the callers hear, and when, follows from it alone.
class HeldBarrier {
public:
    void operator()() {
        std::unique_lock lock(m_mutex);
        ++m_entered;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_open; });
        if (m_failNext) {
            m_failNext = false;
            throw relay::StorageError("injected: cannot sync the write-ahead log");
        }
    }
    bool waitEntered(int times) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(10), [&] { return m_entered >= times; });
    }
    void open(bool failNext = false) {
        const std::lock_guard lock(m_mutex);
        m_open = true;
        m_failNext = failNext;
        m_changed.notify_all();
    }
    int entered() {
        const std::lock_guard lock(m_mutex);
        return m_entered;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_entered = 0;
    bool m_open = false;
    bool m_failNext = false;
};

std::unique_ptr<relay::SqliteConnection> writerOnFreshTable(const std::string& path) {
    { relay::SqliteStorage create(path); } // the file, in WAL mode
    auto connection = std::make_unique<relay::SqliteConnection>(path, relay::SqliteConnection::Role::Writer);
    connection->execute("CREATE TABLE t (v INTEGER)");
    return connection;
}

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 1000; ++i) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

constexpr const char* kInsertValue = "INSERT INTO t (v) VALUES ($1)";

// With a barrier the COMMIT no longer holds the writer: the next group is committed while the first
// still waits for its sync, and neither caller hears anything before the barrier has returned.
TEST(SqliteGroupCommit, CallersHearOnlyAfterTheBarrierWhileTheWriterGoesOn) {
    TempDir dir;
    const std::string path = dir.path() + "/barrier.db";
    auto barrier = std::make_shared<HeldBarrier>();
    relay::SqliteGroupCommit writer(writerOnFreshTable(path), nullptr, [barrier] { (*barrier)(); });

    std::promise<std::exception_ptr> first;
    std::promise<std::exception_ptr> second;
    writer.submitAsync([](relay::SqlSession& s) { s.run(kInsertValue, {std::int64_t{1}}); },
                       [&](std::exception_ptr e) { first.set_value(e); });
    ASSERT_TRUE(barrier->waitEntered(1));
    writer.submitAsync([](relay::SqlSession& s) { s.run(kInsertValue, {std::int64_t{2}}); },
                       [&](std::exception_ptr e) { second.set_value(e); });
    // The second group commits (another connection reads it) while the first sync is still held.
    EXPECT_TRUE(eventually([&] { return queryRawInteger(path, "SELECT count(*) FROM t") == 2; }));
    auto firstAnswer = first.get_future();
    auto secondAnswer = second.get_future();
    EXPECT_EQ(firstAnswer.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
    EXPECT_EQ(secondAnswer.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
    EXPECT_EQ(barrier->entered(), 1);

    barrier->open();
    ASSERT_EQ(firstAnswer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    ASSERT_EQ(secondAnswer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(firstAnswer.get(), nullptr);
    EXPECT_EQ(secondAnswer.get(), nullptr);
    // The second group was committed after the first sync began, so it needed a sync of its own.
    EXPECT_EQ(barrier->entered(), 2);
}

// A sync that fails is the error of every caller whose commit it was to make durable; refusals are
// answered as they are, and the next group syncs again.
TEST(SqliteGroupCommit, AFailedBarrierIsTheErrorOfTheCallersItHeld) {
    TempDir dir;
    const std::string path = dir.path() + "/barrier-fails.db";
    auto barrier = std::make_shared<HeldBarrier>();
    relay::SqliteGroupCommit writer(writerOnFreshTable(path), nullptr, [barrier] { (*barrier)(); });

    barrier->open(/*failNext=*/true);
    try {
        writer.run([](relay::SqlSession& s) { return s.run(kInsertValue, {std::int64_t{1}}).affected; });
        FAIL() << "a failed sync must not be answered as durable";
    } catch (const relay::StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot sync"), std::string::npos) << e.what();
    }
    EXPECT_THROW(writer.run([](relay::SqlSession&) -> int { throw relay::StorageError("refused"); }),
                 relay::StorageError);
    EXPECT_EQ(barrier->entered(), 1) << "a group without a stored operation needs no sync";
    EXPECT_EQ(
        writer.run([](relay::SqlSession& s) { return s.run(kInsertValue, {std::int64_t{2}}).affected; }), 1);
    EXPECT_EQ(barrier->entered(), 2);
    EXPECT_EQ(queryRawInteger(path, "SELECT count(*) FROM t"), 2);
}

// The relay's barrier syncs the database's WAL; without one (not a WAL database) it says so.
TEST(WalSync, SyncsTheWriteAheadLogAndSaysWhenThereIsNone) {
    TempDir dir;
    const std::string path = dir.path() + "/wal.db";
    relay::WalSync missing(path);
    try {
        missing();
        FAIL() << "no WAL yet";
    } catch (const relay::StorageError& e) {
        EXPECT_NE(std::string(e.what()).find(path + "-wal"), std::string::npos) << e.what();
    }
    {
        auto storage = relay::openStorage(path);
        ASSERT_TRUE(storage->addOffice(kSakura, "", 1));
        EXPECT_NO_THROW(missing()); // opened now that SQLite has made it
    }
    // The last connection has closed: SQLite copied the WAL into the database and removed it. The
    // descriptor's file is gone, so the barrier looks for the file again instead of syncing in vain.
    EXPECT_THROW(missing(), relay::StorageError);
    auto again = relay::openStorage(path);
    ASSERT_TRUE(again->addOffice(kHimawari, "", 1));
    EXPECT_NO_THROW(missing());
}

} // namespace
} // namespace cplink::test
