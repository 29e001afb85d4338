// A full disk: the store reports DiskFull and what was committed before stays intact.
#include "StoreTestSupport.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <random>

namespace cplink::store::test {
namespace {

using cplink::test::TempDir;

std::string randomBytes(std::size_t size, std::mt19937& random) {
    std::string out(size, '\0');
    for (char& c : out)
        c = static_cast<char>(random() & 0xff);
    return out;
}

TEST(StoreDiskFull, ReportsDiskFullAndKeepsWhatWasCommitted) {
    TempDir dir;
    cplink::test::SmallFilesystem disk(dir.path() + "/small", "512k");
    if (!disk.mounted())
        GTEST_SKIP() << "cannot mount a 512 KiB tmpfs here (" << disk.error() << "); needs CAP_SYS_ADMIN";
    const std::string path = dir.path() + "/small/profile.sqlite";
    std::mt19937 random(7);
    std::vector<std::pair<std::int64_t, std::string>> committed;
    {
        Store store(path);
        std::optional<StoreError> failure;
        for (int i = 0; i < 100 && !failure; ++i) {
            auto message = sampleMessage(Direction::Incoming, "0300000100", "M" + std::to_string(i));
            message.envelope = randomBytes(48 * 1024, random);
            try {
                committed.emplace_back(store.addMessage(message, 100 + i), message.envelope);
            } catch (const StoreError& e) {
                failure = e;
            }
        }
        ASSERT_TRUE(failure) << "512 KiB did not fill up";
        EXPECT_EQ(failure->kind(), StoreError::Kind::DiskFull) << failure->what();
        EXPECT_NE(std::string(failure->what()).find(path), std::string::npos) << failure->what();
        ASSERT_FALSE(committed.empty());

        // The same connection keeps working for reads, and small writes fail cleanly or succeed.
        EXPECT_EQ(store.countHistory({}), static_cast<std::int64_t>(committed.size()));
    }
    // A fresh connection sees exactly the committed messages, envelopes intact.
    Store reopened(path);
    EXPECT_EQ(reopened.countHistory({}), static_cast<std::int64_t>(committed.size()));
    for (const auto& [id, envelope] : committed) {
        ASSERT_TRUE(reopened.message(id)) << id;
        EXPECT_EQ(reopened.envelope(id), envelope) << id;
        EXPECT_EQ(reopened.transitions(id).size(), 1u) << id;
    }
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

} // namespace
} // namespace cplink::store::test
