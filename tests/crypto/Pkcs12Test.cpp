// PKCS#12 import as offices meet it: our own (AES) files, Windows-style 3DES and legacy RC2 files made by
// the real openssl CLI, and every way it goes wrong, each with its own error code and words.
#include "crypto/Pkcs12.h"

#include "CryptoTestSupport.h"
#include "crypto/Error.h"
#include "crypto/Files.h"

#include <gtest/gtest.h>

using namespace cplink;
using crypto::ErrorCode;
using crypto::Secret;
using test::kDay;

namespace {

const Secret kPassword("correct horse 7");

// Expects importPkcs12 to throw with this code; returns the message.
std::string importError(std::string_view bytes, const Secret& password, const crypto::Clock& clock,
                        ErrorCode expected) {
    try {
        crypto::importPkcs12(bytes, password, clock);
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), expected) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "import succeeded";
    return {};
}

// Writes the identity as an encrypted PEM (key + certificate + chain) for the openssl CLI to repackage.
std::string identityPem(test::Network& net, const crypto::Identity& id, const std::string& name) {
    const std::string path = net.path(name);
    crypto::storeIdentity(id, path, kPassword);
    return path;
}

// Makes a PKCS#12 with the openssl CLI from an identity; `options` picks the format.
std::string opensslPkcs12(test::Network& net, const crypto::Identity& id, const std::string& name,
                          const std::string& options) {
    const std::string pem = identityPem(net, id, name + ".pem");
    // Two files: given the same file twice, openssl reads -passin and -passout from successive lines.
    const std::string pwIn = net.passwordFile(name + ".in.pw", std::string(kPassword.view()));
    const std::string pw = net.passwordFile(name + ".pw", std::string(kPassword.view()));
    const std::string out = net.path(name + ".p12");
    std::string log;
    const int rc = test::openssl("pkcs12 -export " + options + " -in " + pem + " -inkey " + pem +
                                     " -passin file:" + pwIn + " -passout file:" + pw + " -out " + out,
                                 &log);
    EXPECT_EQ(rc, 0) << log;
    return crypto::readFile(out);
}

std::string opensslInfo(const std::string& p12Path, const std::string& pwPath) {
    std::string log;
    test::openssl("pkcs12 -info -noout -in " + p12Path + " -passin file:" + pwPath + " -legacy", &log);
    return log;
}

} // namespace

TEST(Pkcs12, OurExportImportsBackWithKeyAndChain) {
    test::Network net;
    for (const auto& spec : {crypto::KeySpec::ec(), crypto::KeySpec::rsa(3072)}) {
        const auto id = net.office("1310000001", "Office A", spec);
        const std::string p12 = crypto::exportPkcs12(id, kPassword, "1310000001");
        const auto back = crypto::importPkcs12(p12, kPassword, net.clock());
        EXPECT_EQ(back.certificate(), id.certificate());
        EXPECT_EQ(EVP_PKEY_eq(back.key(), id.key()), 1);
        ASSERT_EQ(back.chain().size(), 1u);
        EXPECT_EQ(back.chain()[0], net.ca().certificate());
        EXPECT_EQ(back.certificate().keyInfo().isRsa(), spec.algorithm == crypto::KeyAlgorithm::Rsa);
    }
}

TEST(Pkcs12, OurExportIsTheCurrentAesFormat) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const std::string p12 = net.dir().write("a.p12", crypto::exportPkcs12(id, kPassword, "1310000001"));
    const std::string info = opensslInfo(p12, net.passwordFile("pw", std::string(kPassword.view())));
    EXPECT_NE(info.find("MAC: sha256"), std::string::npos) << info;
    EXPECT_NE(info.find("PBES2, PBKDF2, AES-256-CBC"), std::string::npos) << info;
    EXPECT_EQ(info.find("3DES"), std::string::npos) << info;
    EXPECT_EQ(info.find("RC2"), std::string::npos) << info;
}

TEST(Pkcs12, WindowsStyle3DesFromOpensslCli) {
    test::Network net;
    const auto id = net.office("1310000002", "Office B", crypto::KeySpec::rsa(2048));
    const std::string p12 =
        opensslPkcs12(net, id, "win", "-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1");
    EXPECT_NE(opensslInfo(net.path("win.p12"), net.path("win.pw")).find("pbeWithSHA1And3-KeyTripleDES-CBC"),
              std::string::npos);
    const auto back = crypto::importPkcs12(p12, kPassword, net.clock());
    EXPECT_EQ(back.certificate(), id.certificate());
    EXPECT_EQ(EVP_PKEY_eq(back.key(), id.key()), 1);
}

TEST(Pkcs12, LegacyRc2LoadsTheLegacyProviderOnDemand) {
    test::Network net;
    const auto id = net.office("1310000003", "Office C");
    const std::string p12 = opensslPkcs12(net, id, "legacy", "-legacy");
    EXPECT_NE(opensslInfo(net.path("legacy.p12"), net.path("legacy.pw")).find("RC2"), std::string::npos);
    EXPECT_FALSE(crypto::legacyProviderLoaded()); // each test runs in its own process under ctest
    const auto back = crypto::importPkcs12(p12, kPassword, net.clock());
    EXPECT_EQ(back.certificate(), id.certificate());
    EXPECT_EQ(EVP_PKEY_eq(back.key(), id.key()), 1);
    EXPECT_TRUE(crypto::legacyProviderLoaded());
    // The current format still works with the legacy provider loaded.
    const auto again = crypto::importPkcs12(crypto::exportPkcs12(id, kPassword, "x"), kPassword, net.clock());
    EXPECT_EQ(again.certificate(), id.certificate());
}

TEST(Pkcs12, WrongPasswordSaysSoInEveryFormat) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const Secret wrong("correct horse 8");
    const std::string current = crypto::exportPkcs12(id, kPassword, "a");
    const std::string windows =
        opensslPkcs12(net, id, "w", "-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1");
    const std::string legacy = opensslPkcs12(net, id, "l", "-legacy");
    for (const auto* bytes : {&current, &windows, &legacy}) {
        const std::string message = importError(*bytes, wrong, net.clock(), ErrorCode::WrongPassword);
        EXPECT_EQ(message, "wrong password");
        EXPECT_EQ(message.find("mac verify"), std::string::npos);
    }
    importError(current, Secret(), net.clock(), ErrorCode::WrongPassword);
}

TEST(Pkcs12, FileWithoutKey) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const std::string cert = net.dir().write("a.pem", id.certificate().toPem());
    const std::string pw = net.passwordFile("pw", std::string(kPassword.view()));
    std::string log;
    ASSERT_EQ(test::openssl("pkcs12 -export -nokeys -in " + cert + " -passout file:" + pw + " -out " +
                                net.path("nokey.p12"),
                            &log),
              0)
        << log;
    const std::string message =
        importError(crypto::readFile(net.path("nokey.p12")), kPassword, net.clock(), ErrorCode::NoKey);
    EXPECT_NE(message.find("no private key"), std::string::npos) << message;
}

TEST(Pkcs12, ExpiredAndNotYetValidByTheInjectedClock) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A", crypto::KeySpec::ec(), 30);
    const std::string p12 = crypto::exportPkcs12(id, kPassword, "a");

    crypto::FixedClock later(test::testEpoch() + 31 * kDay);
    EXPECT_NE(importError(p12, kPassword, later, ErrorCode::Expired).find("has expired"), std::string::npos);
    crypto::FixedClock earlier(test::testEpoch() - kDay);
    EXPECT_NE(importError(p12, kPassword, earlier, ErrorCode::NotYetValid).find("not yet valid"),
              std::string::npos);
    // Inside the window, and when the caller only wants to look at it, the same file opens.
    crypto::FixedClock inside(test::testEpoch() + 29 * kDay);
    EXPECT_NO_THROW(crypto::importPkcs12(p12, kPassword, inside));
    EXPECT_NO_THROW(crypto::importPkcs12(p12, kPassword, later, crypto::ValidityCheck::Skip));
}

TEST(Pkcs12, NotAPkcs12File) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    importError("hello", kPassword, net.clock(), ErrorCode::NotPkcs12);
    importError(id.certificate().toDer(), kPassword, net.clock(), ErrorCode::NotPkcs12);
    importError("", kPassword, net.clock(), ErrorCode::NotPkcs12);
    // A truncated file is not one either.
    const std::string p12 = crypto::exportPkcs12(id, kPassword, "a");
    importError(p12.substr(0, p12.size() / 2), kPassword, net.clock(), ErrorCode::NotPkcs12);
}

TEST(Pkcs12, ErrorsNeverContainThePassword) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const std::string p12 = crypto::exportPkcs12(id, kPassword, "a");
    const Secret wrong("a-very-recognisable-password");
    const std::string message = importError(p12, wrong, net.clock(), ErrorCode::WrongPassword);
    EXPECT_EQ(message.find("recognisable"), std::string::npos);
}

TEST(Pkcs12, LoadFromFileNamesTheFile) {
    test::Network net;
    try {
        crypto::loadPkcs12(net.dir().write("junk.p12", "junk"), kPassword, net.clock());
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::NotPkcs12);
        EXPECT_NE(std::string(e.what()).find("junk.p12"), std::string::npos);
    }
    try {
        crypto::loadPkcs12(net.path("missing.p12"), kPassword, net.clock());
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::Io);
    }
}

TEST(Pkcs12, AnAbsurdMacIterationCountIsRefusedWithoutComputingIt) {
    // The count is the file's to choose; 2^31-1 would keep the import busy for hours (found by fuzzing).
    test::Network net;
    const auto id = net.office("1310000001");
    const std::string p12 = crypto::exportPkcs12(id, kPassword, "1310000001");
    auto bio = crypto::memoryBio(p12);
    crypto::Pkcs12Ptr parsed(d2i_PKCS12_bio(bio.get(), nullptr));
    ASSERT_TRUE(parsed);
    const ASN1_INTEGER* iterations = nullptr;
    PKCS12_get0_mac(nullptr, nullptr, nullptr, &iterations, parsed.get());
    ASSERT_NE(iterations, nullptr);
    ASSERT_EQ(ASN1_INTEGER_set(const_cast<ASN1_INTEGER*>(iterations), 2147483647L), 1);
    unsigned char* der = nullptr;
    const int length = i2d_PKCS12(parsed.get(), &der);
    ASSERT_GT(length, 0);
    const std::string tampered(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    // Malformed proves the count was refused before use: verifying that MAC would not end in hours.
    try {
        crypto::importPkcs12(tampered, kPassword, net.clock());
        ADD_FAILURE() << "imported";
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), crypto::ErrorCode::Malformed) << e.what();
    }
}

TEST(Pkcs12, AbsurdEncryptionIterationCountsAreRefusedBeforeUse) {
    // Made by the openssl CLI with 2,000,001 iterations (just over the limit; making it costs a second)
    // and no MAC, so that only the key bag's and the certificate safe's counts stand in the way.
    test::Network net;
    const auto id = net.office("1310000001");
    net.dir().write("cert.pem", id.certificate().toPem());
    net.dir().write("key.pem", crypto::plainPrivateKeyPem(id.key()));
    std::string log;
    ASSERT_EQ(test::openssl("pkcs12 -export -in " + net.path("cert.pem") + " -inkey " + net.path("key.pem") +
                                " -passout file:" + net.passwordFile("pw", std::string(kPassword.view())) +
                                " -iter 2000001 -nomac -out " + net.path("slow.p12"),
                            &log),
              0)
        << log;
    try {
        crypto::loadPkcs12(net.path("slow.p12"), kPassword, net.clock());
        ADD_FAILURE() << "imported";
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), crypto::ErrorCode::Malformed) << e.what();
        EXPECT_NE(std::string(e.what()).find("iteration count too high"), std::string::npos) << e.what();
    }
}

TEST(Pkcs12, AnAbsurdKeyIterationCountInsideAnEncryptedSafeIsRefusedBeforeUse) {
    // No common tool writes this layout, but nothing forbids it: the shrouded key bag sits inside the
    // encrypted safe, so its count can only be read after decrypting that safe (2,048 iterations).
    test::Network net;
    const auto id = net.office("1310000001");
    const std::string password(kPassword.view());
    STACK_OF(PKCS12_SAFEBAG)* bags = nullptr;
    ASSERT_NE(PKCS12_add_key(&bags, id.key(), 0, 2000001, NID_aes_256_cbc, password.c_str()), nullptr);
    ASSERT_NE(PKCS12_add_cert(&bags, id.certificate().get()), nullptr);
    STACK_OF(PKCS7)* safes = nullptr;
    ASSERT_NE(PKCS12_add_safe(&safes, bags, NID_aes_256_cbc, 2048, password.c_str()), 0);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    crypto::Pkcs12Ptr p12(PKCS12_add_safes(safes, 0));
    sk_PKCS7_pop_free(safes, PKCS7_free);
    ASSERT_TRUE(p12);
    ASSERT_EQ(PKCS12_set_mac(p12.get(), password.c_str(), -1, nullptr, 0, 2048, EVP_sha256()), 1);
    unsigned char* der = nullptr;
    const int length = i2d_PKCS12(p12.get(), &der);
    ASSERT_GT(length, 0);
    const std::string file(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    try {
        crypto::importPkcs12(file, kPassword, net.clock());
        ADD_FAILURE() << "imported";
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), crypto::ErrorCode::Malformed) << e.what();
        EXPECT_NE(std::string(e.what()).find("key iteration count too high"), std::string::npos) << e.what();
    }
}
