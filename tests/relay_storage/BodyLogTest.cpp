// The SQLite backend's body log (src/relay/storage/BodyLog.h) on its own, and as SqliteStorage uses
// it: bodies written once beside the database, segments removed only when nothing points into them
// and nobody may still write them, a full disk refused before anything is written, and bytes changed
// on disk refused instead of served.
#include "relay/storage/BodyLog.h"

#include "StorageTestSupport.h"
#include "relay/storage/SqliteStorage.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace cplink::test {
namespace {

using relay::BodyLog;
using relay::BodyRef;
using relay::UploadOutcome;
namespace fs = std::filesystem;

std::set<std::string> segmentFiles(const std::string& directory) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory))
        names.insert(entry.path().filename().string());
    return names;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string readRange(const std::string& path, std::int64_t offset, std::size_t size) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(offset);
    std::string bytes(size, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

std::string bodyOfSize(std::size_t size, char seed) {
    std::string body(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        body[i] = static_cast<char>(seed + static_cast<char>(i % 61));
    return body;
}

TEST(BodyLog, PlacedBodiesReadBackAfterFlushAcrossSegmentsOfAnySize) {
    TempDir dir;
    BodyLog log(dir.path() + "/bodies", 16 * 1024); // small segments: several per group
    const std::vector<std::string> bodies = {bodyOfSize(1, 'a'),     bodyOfSize(4095, 'b'),
                                             bodyOfSize(4096, 'c'),  bodyOfSize(10000, 'd'),
                                             bodyOfSize(70000, 'e'), // > a segment
                                             bodyOfSize(20480, 'f')};
    std::vector<BodyRef> refs;
    for (const auto& body : bodies)
        refs.push_back(log.place(body));
    log.flush();
    log.committed();
    for (std::size_t i = 0; i < bodies.size(); ++i)
        EXPECT_EQ(log.read(refs[i], static_cast<std::int64_t>(bodies[i].size())), bodies[i]) << "body " << i;
    EXPECT_GE(segmentFiles(log.directory()).size(), 3u);
    // Every segment is private to the relay's user.
    for (const auto& name : segmentFiles(log.directory()))
        EXPECT_EQ(fs::status(log.directory() + "/" + name).permissions() & fs::perms::all,
                  fs::perms::owner_read | fs::perms::owner_write)
            << name;
    EXPECT_EQ(fs::status(log.directory()).permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(BodyLog, CollectRemovesOnlySegmentsNothingPointsIntoAndNobodyMayWrite) {
    TempDir dir;
    BodyLog log(dir.path() + "/bodies", 8192);
    const BodyRef first = log.place(bodyOfSize(8000, 'a'));
    const BodyRef second = log.place(bodyOfSize(8000, 'b')); // a new segment
    const BodyRef third = log.place(bodyOfSize(8000, 'c'));  // the active one
    log.flush();
    ASSERT_NE(first.segment, second.segment);
    ASSERT_NE(second.segment, third.segment);

    // Before the group has committed, a collector that thinks nothing is live removes nothing.
    EXPECT_EQ(log.collect([] { return std::set<std::int64_t>{}; }), 0);
    log.committed();
    // Now the finished segments may go; `second` is still live, the active one is held.
    EXPECT_EQ(log.collect([&] { return std::set<std::int64_t>{second.segment}; }), 1);
    EXPECT_EQ(segmentFiles(log.directory()).size(), 2u);
    EXPECT_EQ(log.read(second, 8000), bodyOfSize(8000, 'b'));
    EXPECT_EQ(log.read(third, 8000), bodyOfSize(8000, 'c'));
    EXPECT_THROW(log.read(first, 8000), relay::StorageError);

    // Files whose names the log never gives are not its to remove.
    for (const char* foreign : {"ffffffffffffffff.seg", "0000000000000000.seg", "notes.txt", "12.seg"})
        std::ofstream(log.directory() + "/" + foreign) << "x";
    EXPECT_EQ(log.collect([&] { return std::set<std::int64_t>{second.segment}; }), 0);
    EXPECT_EQ(segmentFiles(log.directory()).size(), 6u);

    // Another relay process on the same directory cannot remove what this one still writes.
    BodyLog other(log.directory(), 8192);
    EXPECT_EQ(other.collect([] { return std::set<std::int64_t>{}; }), 1); // `second` only
    EXPECT_EQ(log.read(third, 8000), bodyOfSize(8000, 'c'));
}

TEST(BodyLog, DiscardedGroupLeavesNothingThatIsPointedAt) {
    TempDir dir;
    BodyLog log(dir.path() + "/bodies", 1 << 20);
    const BodyRef kept = log.place("kept");
    log.flush();
    log.committed();
    log.place("never committed");
    log.discard();
    const BodyRef next = log.place("next");
    log.flush();
    log.committed();
    EXPECT_EQ(log.read(kept, 4), "kept");
    EXPECT_EQ(log.read(next, 4), "next");
    EXPECT_GT(next.offset, kept.offset);
}

TEST(BodyLog, FullDiskIsRefusedBeforeAnythingIsWritten) {
    TempDir dir;
    SmallFilesystem disk(dir.path() + "/small", "1m");
    if (!disk.mounted())
        GTEST_SKIP() << "cannot mount a 1 MiB tmpfs here (" << disk.error() << "); needs CAP_SYS_ADMIN";
    BodyLog log(dir.path() + "/small/bodies", 4 << 20); // a segment larger than the disk
    try {
        log.place("body");
        FAIL() << "placed a body on a full disk";
    } catch (const relay::StorageError& error) {
        EXPECT_NE(std::string(error.what()).find("No space left"), std::string::npos) << error.what();
    }
    EXPECT_TRUE(segmentFiles(log.directory()).empty()) << "a half-made segment was left behind";
}

// What SqliteStorage makes of it.

TEST(SqliteBodyLog, BodiesGoToTheLogAndNotIntoTheDatabase) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    auto storage = relay::openStorage(path);
    ASSERT_TRUE(storage->addOffice(kHimawari, "", 1));
    const std::string body = "UNIQUE-MARKER-" + bodyOfSize(20000, 'k');
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", body)).outcome, UploadOutcome::Stored);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), body);

    const auto segment = queryRawInteger(path, "SELECT body_segment FROM messages WHERE message_id = 'm-1'");
    const auto offset = queryRawInteger(path, "SELECT body_offset FROM messages WHERE message_id = 'm-1'");
    EXPECT_EQ(queryRawInteger(path, "SELECT body IS NULL FROM messages WHERE message_id = 'm-1'"), 1);
    const auto segments = segmentFiles(path + ".bodies");
    ASSERT_EQ(segments.size(), 1u);
    EXPECT_EQ(readRange(path + ".bodies/" + *segments.begin(), offset, body.size()), body);
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.seg", static_cast<unsigned long long>(segment));
    EXPECT_EQ(*segments.begin(), name);
    for (const char* file : {"", "-wal"})
        EXPECT_EQ(readFile(path + file).find("UNIQUE-MARKER-"), std::string::npos)
            << "body in relay.db" << file;
}

TEST(SqliteBodyLog, ABodyChangedOnDiskIsRefusedNotServed) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    auto storage = relay::openStorage(path);
    ASSERT_TRUE(storage->addOffice(kHimawari, "", 1));
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", bodyOfSize(5000, 'x'))).outcome,
              UploadOutcome::Stored);
    const auto offset = queryRawInteger(path, "SELECT body_offset FROM messages WHERE message_id = 'm-1'");
    const std::string segment = path + ".bodies/" + *segmentFiles(path + ".bodies").begin();
    {
        std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(offset + 100);
        file.put('!');
    }
    try {
        storage->download(kHimawari, "m-1");
        FAIL() << "served a body that no longer matches its SHA-256";
    } catch (const relay::StorageError& error) {
        EXPECT_NE(std::string(error.what()).find("does not match its SHA-256"), std::string::npos)
            << error.what();
    }
}

TEST(SqliteBodyLog, RowsOfTheFirstSchemaKeepTheirBodyInTheRow) {
    // Version 1 kept bodies in `body`; such rows stay readable after the migration.
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    auto storage = relay::openStorage(path);
    ASSERT_TRUE(storage->addOffice(kHimawari, "", 1));
    executeRaw(path,
               "INSERT INTO messages (sender, recipient, message_id, kind, state, size, sha256, received_at, "
               "state_changed_at, body) VALUES ('" +
                   std::string(kSakura) + "', '" + kHimawari +
                   "', 'old', 'envelope', 'pending', 8, 'aa', 1, 1, CAST('old body' AS BLOB))");
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "old")), "old body");
    EXPECT_TRUE(storage->acknowledge(kHimawari, "old", 2));
}

TEST(SqliteBodyLog, RetentionRemovesSegmentsOfSettledMessages) {
    TempDir dir;
    const std::string path = dir.path() + "/relay.db";
    std::string finishedSegment;
    {
        auto storage = relay::openStorage(path);
        ASSERT_TRUE(storage->addOffice(kHimawari, "", 1));
        ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "first life", 1000)).outcome,
                  UploadOutcome::Stored);
        ASSERT_TRUE(storage->acknowledge(kHimawari, "m-1", 1001));
        finishedSegment = *segmentFiles(path + ".bodies").begin();
    } // the relay stops: its segment is finished
    auto storage = relay::openStorage(path);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-2", "second life", 2000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(segmentFiles(path + ".bodies").size(), 2u);
    const relay::ExpiryResult result = storage->expire(2001, std::chrono::hours(24));
    EXPECT_EQ(result.segmentsRemoved, 1);
    const auto left = segmentFiles(path + ".bodies");
    EXPECT_EQ(left.size(), 1u);
    EXPECT_EQ(left.count(finishedSegment), 0u);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-2")), "second life");
}

} // namespace
} // namespace cplink::test
