// Received file names and the import folder: what a hostile sender may sign cannot leave the folder, and
// a file appears once, complete, never over another file.
#include "exchange/ImportFolder.h"

#include "TestSupport.h"
#include "crypto/Digest.h"
#include "crypto/Files.h"
#include "exchange/Outbox.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace cplink::test {

namespace {

using exchange::ImportFolder;
using exchange::sanitisedFileName;

TEST(SanitisedFileName, StandardNamesPassUnchanged) {
    EXPECT_EQ(sanitisedFileName("UPPLAN_202504_0300000100_43_0300000005_11_20250325100000.CSV"),
              "UPPLAN_202504_0300000100_43_0300000005_11_20250325100000.CSV");
}

TEST(SanitisedFileName, PathsAndTraversalKeepOnlyTheBaseName) {
    EXPECT_EQ(sanitisedFileName("../../etc/passwd"), "passwd");
    EXPECT_EQ(sanitisedFileName("/etc/cron.d/job"), "job");
    EXPECT_EQ(sanitisedFileName("..\\..\\Windows\\win.ini"), "win.ini");
    EXPECT_EQ(sanitisedFileName(".."), "received.csv");
    EXPECT_EQ(sanitisedFileName("dir/.."), "received.csv");
    EXPECT_EQ(sanitisedFileName(""), "received.csv");
}

TEST(SanitisedFileName, NoHiddenFilesControlCharactersOrReservedCharacters) {
    EXPECT_EQ(sanitisedFileName(".bashrc"), "bashrc");
    EXPECT_EQ(sanitisedFileName("a\nb\rc\x01.CSV"), "a_b_c_.CSV");
    EXPECT_EQ(sanitisedFileName("a:b*c?d\"e<f>g|h.CSV"), "a_b_c_d_e_f_g_h.CSV");
    EXPECT_EQ(sanitisedFileName("name. . "), "name");
}

TEST(SanitisedFileName, LongNamesAreCutWithoutBreakingACharacter) {
    std::string name;
    for (int i = 0; i < 100; ++i)
        name += "計"; // 3 bytes each
    const std::string cut = sanitisedFileName(name);
    EXPECT_LE(cut.size(), 200u);
    EXPECT_EQ(cut.size() % 3, 0u);
}

TEST(ImportFolderTest, ACollisionWithOtherContentGetsANumberedName) {
    TempDir dir;
    const ImportFolder folder(dir.path());
    dir.write("A.CSV", "other");
    bool same = true;
    EXPECT_EQ(folder.choosePath("A.CSV", crypto::sha256Hex("mine"), same), dir.path() + "/A (2).CSV");
    EXPECT_FALSE(same);
    EXPECT_EQ(folder.choosePath("A.CSV", crypto::sha256Hex("other"), same), dir.path() + "/A.CSV");
    EXPECT_TRUE(same);
    EXPECT_EQ(folder.choosePath("B.CSV", crypto::sha256Hex("x"), same), dir.path() + "/B.CSV");
    EXPECT_FALSE(same);
}

TEST(ImportFolderTest, PublishNeverReplacesAFileAndIsRepeatable) {
    TempDir dir;
    const ImportFolder folder(dir.path());
    const std::string target = dir.path() + "/A.CSV";
    const std::string staging = folder.stagingPath(target, "ID1");
    EXPECT_EQ(std::filesystem::path(staging).filename().string().front(), '.');
    folder.stage(staging, "content");
    EXPECT_FALSE(std::filesystem::exists(target));
    EXPECT_TRUE(folder.publish(staging, target));
    EXPECT_EQ(crypto::readFile(target), "content");
    EXPECT_FALSE(std::filesystem::exists(staging));
    EXPECT_TRUE(folder.publish(staging, target)); // after a crash: already published

    // Someone else's file took the name between choosing and publishing: ours is kept, theirs untouched.
    const std::string taken = dir.write("B.CSV", "theirs");
    const std::string staging2 = folder.stagingPath(taken, "ID2");
    folder.stage(staging2, "ours");
    EXPECT_FALSE(folder.publish(staging2, taken));
    EXPECT_EQ(crypto::readFile(taken), "theirs");
    EXPECT_EQ(crypto::readFile(staging2), "ours");
}

TEST(ReceiptIds, FollowTheMessageIdAndStayWithinTheRelayLimit) {
    EXPECT_EQ(exchange::receiptIdFor("03C0BDFWJYQY81RYKCDKTA8RWC"), "03C0BDFWJYQY81RYKCDKTA8RWC.receipt");
    const std::string longId(64, 'A');
    const std::string receipt = exchange::receiptIdFor(longId);
    EXPECT_LE(receipt.size(), 64u);
    EXPECT_EQ(receipt.rfind("receipt.", 0), 0u);
    EXPECT_EQ(exchange::messageIdOfReceipt("03C0BDFWJYQY81RYKCDKTA8RWC.receipt"),
              "03C0BDFWJYQY81RYKCDKTA8RWC");
    EXPECT_EQ(exchange::messageIdOfReceipt(".receipt"), std::nullopt);
    EXPECT_EQ(exchange::messageIdOfReceipt("03C0BDFWJYQY81RYKCDKTA8RWC"), std::nullopt);
    EXPECT_EQ(exchange::messageIdOfReceipt(receipt), std::nullopt); // the hashed form is one-way
}

} // namespace

} // namespace cplink::test
