// What survives a restart, the schema's version bookkeeping, and failures reported as StorageError.
#include "StorageTestSupport.h"

namespace cplink::test {
namespace {

using relay::UploadOutcome;

TEST_P(StorageTest, EverythingCommittedSurvivesReopening) {
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "pending", "pending body", 1000)).outcome,
              UploadOutcome::Stored);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "delivered", "delivered body", 1001)).outcome,
              UploadOutcome::Stored);
    ASSERT_TRUE(storage->acknowledge(kHimawari, "delivered", 1002));
    storage->officeSeen(relay::Office{kStranger, "Seen", true, 1003, 1003},
                        relay::OfficeCertificate{"ff", "pem", 9000, 1003});
    ASSERT_TRUE(storage->setOfficeEnabled(kTsubaki, false));

    reopen();

    EXPECT_EQ(bodyOf(storage->download(kHimawari, "pending")), "pending body");
    EXPECT_EQ(storage->pendingCount(), 1);
    const relay::UploadResult retry =
        storage->upload(envelope(kSakura, kHimawari, "delivered", "delivered body"));
    EXPECT_EQ(retry.outcome, UploadOutcome::Duplicate);
    EXPECT_EQ(retry.receipt.receivedAt, 1001);
    EXPECT_EQ(storage->office(kStranger)->name, "Seen");
    EXPECT_EQ(storage->officeCertificates(kStranger, 1000).size(), 1u);
    EXPECT_FALSE(storage->office(kTsubaki)->enabled);
    // A disabled office sends nothing (storage checks the sender in the upload's transaction).
    EXPECT_EQ(storage->upload(envelope(kTsubaki, kHimawari, "refused", "x", 900)).outcome,
              UploadOutcome::SenderDisabled);
    // The arrival order continues after the old rows.
    ASSERT_EQ(storage->upload(envelope(kStranger, kHimawari, "later", "x", 900)).outcome,
              UploadOutcome::Stored);
    EXPECT_EQ(storage->inbox(kHimawari, 10).back().messageId, "later");
}

TEST_P(StorageTest, SchemaIsAtTheLatestVersionAndReopeningMigratesNothing) {
    const int latest = isPostgres() ? 2 : 4;
    EXPECT_EQ(schemaVersionOf(*storage), latest);
    ASSERT_EQ(storage->upload(envelope(kSakura, kHimawari, "m-1", "kept")).outcome, UploadOutcome::Stored);
    // The migrations create tables without IF NOT EXISTS: running them again would fail the open.
    reopen();
    EXPECT_EQ(schemaVersionOf(*storage), latest);
    EXPECT_EQ(bodyOf(storage->download(kHimawari, "m-1")), "kept");
    if (isPostgres())
        EXPECT_EQ(queryRawInteger(location, "SELECT count(*) FROM schema_version"), latest);
    else
        EXPECT_EQ(queryRawInteger(location, "PRAGMA user_version"), latest);
}

TEST_P(StorageTest, DatabaseOfANewerRelayIsRefused) {
    storage.reset();
    executeRaw(location,
               isPostgres() ? "INSERT INTO schema_version VALUES (99, 0)" : "PRAGMA user_version = 99");
    try {
        relay::openStorage(location);
        FAIL() << "opened a database with a newer schema";
    } catch (const relay::StorageError& error) {
        EXPECT_NE(std::string(error.what()).find("newer"), std::string::npos) << error.what();
    }
}

TEST_P(StorageTest, UnreachableLocationIsAStorageErrorWithAClearMessage) {
    const std::string bad = isPostgres() ? "postgresql://postgres@127.0.0.1:1/nowhere"
                                         : dir.path() + "/missing-directory/relay.db";
    try {
        relay::openStorage(bad);
        FAIL() << "opened " << bad;
    } catch (const relay::StorageError& error) {
        const std::string message = error.what();
        if (isPostgres()) {
            EXPECT_NE(message.find("postgresql: cannot connect"), std::string::npos) << message;
        } else {
            EXPECT_NE(message.find(bad), std::string::npos) << message;
            EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
        }
    }
}

TEST_P(StorageTest, BackendNamesItself) {
    EXPECT_EQ(storage->backendName(), isPostgres() ? "postgresql" : "sqlite");
}

} // namespace
} // namespace cplink::test
