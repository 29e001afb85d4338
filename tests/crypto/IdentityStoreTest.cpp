// Identities at rest: encrypted PKCS#8 (scrypt + AES-256) in a 0600 file written atomically, readable by
// the openssl CLI, never readable without the passphrase.
#include "CryptoTestSupport.h"
#include "crypto/Error.h"
#include "crypto/Files.h"
#include "crypto/Identity.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>

using namespace cplink;
using crypto::ErrorCode;
using crypto::Secret;

namespace {

const Secret kPassphrase("at rest 42");

std::vector<std::string> listDir(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST(IdentityStore, RoundTripBothKeyTypes) {
    test::Network net;
    for (const auto& spec : {crypto::KeySpec::ec(), crypto::KeySpec::rsa(3072)}) {
        const auto id = net.office("1310000001", "Office A", spec);
        const std::string path = net.path("id.pem");
        crypto::storeIdentity(id, path, kPassphrase);
        EXPECT_EQ(crypto::fileMode(path), 0600u);
        const auto back = crypto::loadStoredIdentity(path, kPassphrase);
        EXPECT_EQ(back.certificate(), id.certificate());
        EXPECT_EQ(EVP_PKEY_eq(back.key(), id.key()), 1);
        ASSERT_EQ(back.chain().size(), 1u);
        EXPECT_EQ(back.chain()[0], net.ca().certificate());
    }
}

TEST(IdentityStore, KeyIsEncryptedWithScryptAndAes256) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const std::string path = net.path("id.pem");
    crypto::storeIdentity(id, path, kPassphrase);
    const std::string text = crypto::readFile(path);
    EXPECT_NE(text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----"), std::string::npos);
    EXPECT_EQ(text.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    EXPECT_EQ(text.find("-----BEGIN EC PRIVATE KEY-----"), std::string::npos);

    // The openssl CLI shows the algorithms and opens it with the passphrase (interop, and proof of the
    // parameters), and fails without it.
    const std::string pw = net.passwordFile("pw", std::string(kPassphrase.view()));
    std::string log;
    ASSERT_EQ(test::openssl("asn1parse -in " + path, &log), 0) << log;
    EXPECT_NE(log.find(":scrypt"), std::string::npos) << log;
    EXPECT_NE(log.find("INTEGER           :4000"), std::string::npos) << log; // N = 2^14
    EXPECT_NE(log.find(":aes-256-cbc"), std::string::npos) << log;
    ASSERT_EQ(test::openssl("pkey -in " + path + " -passin file:" + pw + " -noout", &log), 0) << log;
    const std::string wrong = net.passwordFile("wrong", "nope");
    EXPECT_NE(test::openssl("pkey -in " + path + " -passin file:" + wrong + " -noout", &log), 0);
}

TEST(IdentityStore, WrongPassphrase) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const std::string path = net.path("id.pem");
    crypto::storeIdentity(id, path, kPassphrase);
    // Several wrong ones: whatever way the decryption fails, it is reported as the password.
    for (const char* wrong : {"at rest 43", "", "x", "AT REST 42"}) {
        try {
            crypto::loadStoredIdentity(path, Secret(wrong));
            FAIL() << wrong;
        } catch (const crypto::CryptoError& e) {
            EXPECT_EQ(e.code(), ErrorCode::WrongPassword) << e.what();
        }
    }
}

TEST(IdentityStore, EmptyPassphraseIsRefused) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    EXPECT_THROW(crypto::storeIdentity(id, net.path("id.pem"), Secret()), crypto::CryptoError);
    EXPECT_FALSE(std::filesystem::exists(net.path("id.pem")));
}

TEST(IdentityStore, KeyMismatchAndMissingParts) {
    test::Network net;
    const auto a = net.office("1310000001", "Office A");
    const auto b = net.office("1310000002", "Office B");
    try {
        crypto::Identity mixed(a.certificate(), crypto::shareKey(b.key()));
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::KeyMismatch);
    }
    // A PEM with only certificates has no key; one with only a key has no certificate.
    try {
        crypto::identityFromPem(a.certificate().toPem(), kPassphrase);
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::NoKey) << e.what();
    }
    try {
        crypto::identityFromPem(crypto::encryptPrivateKeyPem(a.key(), kPassphrase), kPassphrase);
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::NoCertificate) << e.what();
    }
}

TEST(AtomicWrite, ReplacesWholeFileWithModeAndLeavesNoTemporaries) {
    test::TempDir dir;
    const std::string path = dir.path() + "/file";
    crypto::writeFileAtomic(path, "first version", 0600);
    struct stat before {};
    ASSERT_EQ(::stat(path.c_str(), &before), 0);
    crypto::writeFileAtomic(path, "second", 0640);
    struct stat after {};
    ASSERT_EQ(::stat(path.c_str(), &after), 0);
    EXPECT_EQ(crypto::readFile(path), "second");
    EXPECT_EQ(crypto::fileMode(path), 0640u);
    // A new inode: the old file was replaced by rename, never truncated and rewritten in place.
    EXPECT_NE(before.st_ino, after.st_ino);
    EXPECT_EQ(listDir(dir.path()), std::vector<std::string>{"file"});
}

TEST(AtomicWrite, FailureLeavesTheOldStateAndNoTemporaries) {
    test::TempDir dir;
    // The target is a directory: rename fails after the temporary file was written.
    const std::string target = dir.path() + "/target";
    std::filesystem::create_directory(target);
    dir.write("target/inside", "keep");
    try {
        crypto::writeFileAtomic(target, "new bytes", 0600);
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::Io);
    }
    EXPECT_EQ(listDir(dir.path()), std::vector<std::string>{"target"});
    EXPECT_EQ(crypto::readFile(target + "/inside"), "keep");
    // A missing directory: nothing is created.
    EXPECT_THROW(crypto::writeFileAtomic(dir.path() + "/missing/file", "x"), crypto::CryptoError);
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/missing"));
}

TEST(Secret, PasswordFileIsTheFirstLineWithoutItsEnding) {
    test::TempDir dir;
    EXPECT_EQ(crypto::readPasswordFile(dir.write("a", "secret\n")).view(), "secret");
    EXPECT_EQ(crypto::readPasswordFile(dir.write("b", "secret\r\nsecond line\n")).view(), "secret");
    EXPECT_EQ(crypto::readPasswordFile(dir.write("c", "with space ")).view(), "with space ");
    EXPECT_TRUE(crypto::readPasswordFile(dir.write("d", "")).empty());
    EXPECT_THROW(crypto::readPasswordFile(dir.path() + "/missing"), crypto::CryptoError);
}
