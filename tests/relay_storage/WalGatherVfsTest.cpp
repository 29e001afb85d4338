// The writer's WAL-gathering VFS (src/relay/storage/WalGatherVfs.h) against plain SQLite: a writer
// connection through it, readers and checkpoints through SQLite's own VFS on the same file. Every
// commit must be visible and intact to the others at once, the writer must read back what it wrote
// within a transaction, a full disk must fail the commit and keep every earlier one, and the writes
// must really be gathered.
#include "relay/storage/WalGatherVfs.h"

#include "StorageTestSupport.h"
#include "relay/storage/SqliteConnection.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <string>

namespace cplink::test {
namespace {

using relay::SqlitePtr;

SqlitePtr openDatabase(const std::string& path, const char* vfs) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
    SqlitePtr owned(db);
    if (rc != SQLITE_OK)
        throw std::runtime_error("cannot open " + path + ": " + sqlite3_errstr(rc));
    return owned;
}

int exec(sqlite3* db, const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

// The single value of a query (text), or the error message.
std::string value(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
        return std::string("error: ") + sqlite3_errmsg(db);
    relay::SqliteStatementPtr owned(statement);
    if (sqlite3_step(statement) != SQLITE_ROW)
        return std::string("no row: ") + sqlite3_errmsg(db);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    return text ? text : "";
}

// Rows of `count` bytes whose content follows from their id, so that a reader can check each one.
std::string insertRows(int first, int count, int size) {
    return "WITH RECURSIVE n(i) AS (SELECT " + std::to_string(first) +
           " UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(first + count - 1) +
           ") INSERT INTO t (id, v) SELECT i, printf('%0" + std::to_string(size) + "d', i) FROM n";
}
// Every row still holds the content its id says (and how many there are).
std::string checkRows() {
    return "SELECT count(*) || ':' || sum(v = printf('%0' || length(v) || 'd', id)) FROM t";
}

class WalGatherVfs : public ::testing::Test {
protected:
    // Copies the database and its WAL (not the -shm) while the connections are open and checks that a
    // fresh connection recovers `rows` intact rows from them.
    void expectRecoveredFromWal(int rows) {
        namespace fs = std::filesystem;
        const std::string copy = dir.path() + "/crash-" + std::to_string(++copies);
        fs::create_directory(copy);
        fs::copy_file(path, copy + "/gather.db");
        fs::copy_file(path + "-wal", copy + "/gather.db-wal");
        auto recovered = openDatabase(copy + "/gather.db", nullptr);
        EXPECT_EQ(value(recovered.get(), checkRows()), std::to_string(rows) + ":" + std::to_string(rows))
            << "recovered from the WAL";
        EXPECT_EQ(value(recovered.get(), "PRAGMA integrity_check"), "ok");
    }
    int copies = 0;

    void SetUp() override {
        ASSERT_NE(relay::walGatherVfsName(), nullptr) << "the VFS did not register";
        path = dir.path() + "/gather.db";
        writer = openDatabase(path, relay::walGatherVfsName());
        ASSERT_EQ(exec(writer.get(), "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                     "PRAGMA wal_autocheckpoint = 0; "
                                     "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL); "
                                     "CREATE INDEX t_v ON t (v);"),
                  SQLITE_OK)
            << sqlite3_errmsg(writer.get());
        reader = openDatabase(path, nullptr);
    }

    TempDir dir;
    std::string path;
    SqlitePtr writer;
    SqlitePtr reader;
};

TEST_F(WalGatherVfs, EveryCommitIsOneWriteAndAtOnceWholeForAReader) {
    const relay::WalGatherCounts before = relay::walGatherCounts();
    int rows = 0;
    for (int commit = 0; commit < 200; ++commit) {
        ASSERT_EQ(exec(writer.get(), "BEGIN; " + insertRows(rows + 1, 5, 300) + "; COMMIT;"), SQLITE_OK)
            << sqlite3_errmsg(writer.get());
        rows += 5;
        ASSERT_EQ(value(reader.get(), checkRows()), std::to_string(rows) + ":" + std::to_string(rows))
            << "after commit " << commit;
    }
    const relay::WalGatherCounts after = relay::walGatherCounts();
    const auto requested = after.requested - before.requested;
    const auto written = after.written - before.written;
    // Each commit writes a few frames (table and index pages), two writes each, and the header once.
    EXPECT_GE(requested, 200u * 4);
    EXPECT_EQ(written, 200u) << "one write per commit (all fit in one piece)";
    EXPECT_EQ(value(reader.get(), "PRAGMA integrity_check"), "ok");
    expectRecoveredFromWal(rows);
}

TEST_F(WalGatherVfs, ACommitLargerThanOneWriteGoesOutInPieces) {
    // Megabytes of frames (table, index and its overflow pages) in one commit, within the page cache:
    // gathered whole, then written in pieces the real VFS accepts (it takes at most 128 KiB − 1 per call).
    ASSERT_EQ(exec(writer.get(), "PRAGMA cache_size = -16384"), SQLITE_OK); // no spill before the commit
    const auto walBefore = std::filesystem::file_size(path + "-wal");
    const relay::WalGatherCounts before = relay::walGatherCounts();
    ASSERT_EQ(exec(writer.get(), "BEGIN; " + insertRows(1, 1000, 1000) + "; COMMIT;"), SQLITE_OK)
        << sqlite3_errmsg(writer.get());
    const auto written = relay::walGatherCounts().written - before.written;
    const auto appended = std::filesystem::file_size(path + "-wal") - walBefore;
    constexpr std::uintmax_t kPiece = 31 * 4096; // WalGatherVfs.cpp, kLargestWrite
    EXPECT_GT(appended, 1u << 20);
    EXPECT_EQ(written, (appended + kPiece - 1) / kPiece) << appended << " bytes appended";
    EXPECT_EQ(value(reader.get(), checkRows()), "1000:1000");
    EXPECT_EQ(value(reader.get(), "PRAGMA integrity_check"), "ok");
}

TEST_F(WalGatherVfs, ATransactionLargerThanThePageCacheReadsBackWhatItWrote) {
    // A ten-page cache spills frames into the WAL before the commit, rewrites some of them in place and
    // reads them back: all through the gathered file.
    ASSERT_EQ(exec(writer.get(), "PRAGMA cache_size = 10"), SQLITE_OK);
    ASSERT_EQ(exec(writer.get(), "BEGIN; " + insertRows(1, 3000, 900) + ";"), SQLITE_OK)
        << sqlite3_errmsg(writer.get());
    ASSERT_EQ(exec(writer.get(), "UPDATE t SET v = printf('%0800d', id) WHERE id % 3 = 0"), SQLITE_OK);
    EXPECT_EQ(value(writer.get(), checkRows()), "3000:3000")
        << "the writer's own reads inside the transaction";
    EXPECT_EQ(value(reader.get(), "SELECT count(*) FROM t"), "0") << "nothing visible before the commit";
    ASSERT_EQ(exec(writer.get(), "COMMIT"), SQLITE_OK) << sqlite3_errmsg(writer.get());
    EXPECT_EQ(value(reader.get(), checkRows()), "3000:3000");
    EXPECT_EQ(value(reader.get(), "SELECT count(*) FROM t WHERE length(v) = 800"), "1000");
    EXPECT_EQ(value(reader.get(), "PRAGMA integrity_check"), "ok");
    // What a crash would leave: the database and its WAL, without the wal-index. Recovery reads the WAL
    // alone and keeps frames only up to the last commit whose checksums hold, so the frame headers
    // that SQLite rewrote in place at the commit (new checksums) must be in the file.
    expectRecoveredFromWal(3000);

    writer.reset();
    reader.reset();
    auto reopened = openDatabase(path, nullptr);
    EXPECT_EQ(value(reopened.get(), checkRows()), "3000:3000") << "after closing and opening again";
}

TEST_F(WalGatherVfs, FramesOfARolledBackTransactionNeverLandOnAnotherWritersCommit) {
    // A spills frames into the WAL and rolls back; what it still holds of them belongs to nobody. Then
    // another writer (another process, in production) commits at those offsets, and A commits again:
    // had A written its leftovers out late, they would overwrite the other writer's frames.
    auto other = openDatabase(path, relay::walGatherVfsName());
    ASSERT_EQ(exec(writer.get(), "PRAGMA cache_size = 10"), SQLITE_OK);
    ASSERT_EQ(exec(writer.get(), "BEGIN; " + insertRows(1, 400, 900) + ";"), SQLITE_OK)
        << sqlite3_errmsg(writer.get());
    ASSERT_EQ(exec(writer.get(), "ROLLBACK"), SQLITE_OK);
    ASSERT_EQ(exec(other.get(), "BEGIN; " + insertRows(1001, 50, 700) + "; COMMIT;"), SQLITE_OK)
        << sqlite3_errmsg(other.get());
    ASSERT_EQ(exec(writer.get(), "BEGIN; " + insertRows(2001, 5, 300) + "; COMMIT;"), SQLITE_OK)
        << sqlite3_errmsg(writer.get());
    EXPECT_EQ(value(reader.get(), checkRows()), "55:55");
    EXPECT_EQ(value(reader.get(), "PRAGMA integrity_check"), "ok");
    expectRecoveredFromWal(55);
    other.reset();
    writer.reset();
    reader.reset();
    auto reopened = openDatabase(path, nullptr); // after the last close checkpointed the WAL
    EXPECT_EQ(value(reopened.get(), checkRows()), "55:55");
    EXPECT_EQ(value(reopened.get(), "PRAGMA integrity_check"), "ok");
}

TEST_F(WalGatherVfs, CheckpointsAndWalRestartsBetweenCommitsKeepEveryRow) {
    auto checkpointer = openDatabase(path, nullptr);
    int rows = 0;
    for (int round = 0; round < 60; ++round) {
        ASSERT_EQ(exec(writer.get(), "BEGIN; " + insertRows(rows + 1, 20, 500) + "; COMMIT;"), SQLITE_OK)
            << sqlite3_errmsg(writer.get());
        rows += 20;
        // TRUNCATE empties the WAL: the next commit starts it again with its header at offset 0.
        const char* mode = round % 3 == 0 ? "TRUNCATE" : round % 3 == 1 ? "RESTART" : "PASSIVE";
        ASSERT_EQ(value(checkpointer.get(), std::string("PRAGMA wal_checkpoint(") + mode + ")").rfind("0", 0),
                  0u)
            << "checkpoint " << mode << " in round " << round << " was busy or failed";
        ASSERT_EQ(value(reader.get(), checkRows()), std::to_string(rows) + ":" + std::to_string(rows))
            << "round " << round;
        if (round % 10 == 9)
            expectRecoveredFromWal(rows);
    }
    EXPECT_EQ(value(reader.get(), "PRAGMA integrity_check"), "ok");
}

TEST_F(WalGatherVfs, AFullDiskFailsTheCommitAndKeepsEveryEarlierOne) {
    SmallFilesystem disk(dir.path() + "/small", "2m");
    if (!disk.mounted())
        GTEST_SKIP() << "cannot mount a 2 MiB tmpfs here (" << disk.error() << "); needs CAP_SYS_ADMIN";
    const std::string small = dir.path() + "/small/full.db";
    {
        auto setup = openDatabase(small, nullptr);
        ASSERT_EQ(
            exec(setup.get(), "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"),
            SQLITE_OK);
    }
    auto full = openDatabase(small, relay::walGatherVfsName());
    ASSERT_EQ(exec(full.get(), "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;"), SQLITE_OK);
    int committed = 0;
    int failure = SQLITE_OK;
    for (int commit = 0; commit < 1000 && failure == SQLITE_OK; ++commit) {
        failure = exec(full.get(), "BEGIN; " + insertRows(committed + 1, 10, 2000) + "; COMMIT;");
        if (failure == SQLITE_OK)
            committed += 10;
        else
            exec(full.get(), "ROLLBACK");
    }
    ASSERT_NE(failure, SQLITE_OK) << "2 MiB never filled up";
    EXPECT_TRUE((failure & 0xff) == SQLITE_FULL || (failure & 0xff) == SQLITE_IOERR)
        << sqlite3_errstr(failure);
    EXPECT_GT(committed, 0);
    auto check = openDatabase(small, nullptr);
    EXPECT_EQ(value(check.get(), checkRows()), std::to_string(committed) + ":" + std::to_string(committed))
        << "exactly the commits that said so";
    full.reset(); // the writer goes first, so that the reader's close may checkpoint (or fail to) last
    EXPECT_EQ(value(check.get(), "PRAGMA integrity_check"), "ok");
}

} // namespace
} // namespace cplink::test
