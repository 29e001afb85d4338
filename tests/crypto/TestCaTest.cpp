// The test-network CA: directory layout and permissions, the certificate profiles of DESIGN.md §3
// (read back from the certificates, not from our own code), the index, revocation and CRLs.
#include "CryptoTestSupport.h"
#include "crypto/Error.h"
#include "crypto/Files.h"
#include "crypto/OfficeNumberPolicy.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <set>

using namespace cplink;
using crypto::Certificate;
using crypto::ErrorCode;
using test::kDay;

namespace {

std::set<std::string> extendedKeyUsages(const Certificate& c) {
    std::set<std::string> out;
    auto* eku =
        static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(c.get(), NID_ext_key_usage, nullptr, nullptr));
    for (int i = 0; eku != nullptr && i < sk_ASN1_OBJECT_num(eku); ++i)
        out.insert(OBJ_nid2sn(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))));
    EXTENDED_KEY_USAGE_free(eku);
    return out;
}

std::string subjectAltNames(const Certificate& c) {
    std::string log;
    test::TempDir dir;
    const std::string file = dir.write("c.pem", c.toPem());
    test::openssl("x509 -in " + file + " -noout -ext subjectAltName", &log);
    return log;
}

} // namespace

TEST(TestCa, DirectoryLayoutAndPermissions) {
    test::Network net;
    const std::string dir = net.path("ca");
    EXPECT_EQ(crypto::fileMode(dir), 0700u);
    EXPECT_EQ(crypto::fileMode(dir + "/certs"), 0700u);
    for (const char* file : {"ca.pem", "ca-key.pem", "index.tsv", "crlnumber"})
        EXPECT_EQ(crypto::fileMode(dir + "/" + file), 0600u) << file;
    const auto id = net.office("1310000001", "A");
    const std::string copy = dir + "/certs/" + id.certificate().serialHex() + ".pem";
    EXPECT_EQ(crypto::fileMode(copy), 0600u);
    EXPECT_EQ(Certificate::load(copy), id.certificate());
}

TEST(TestCa, CaProfile) {
    test::Network net;
    const Certificate& ca = net.ca().certificate();
    EXPECT_TRUE(ca.isCa());
    EXPECT_EQ(ca.subject(), "CN=Test CA,O=Test CA");
    EXPECT_EQ(X509_get_key_usage(ca.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_NE(X509_get0_subject_key_id(ca.get()), nullptr);
    EXPECT_EQ(X509_check_issued(ca.get(), ca.get()), X509_V_OK);
    EXPECT_EQ(ca.notAfter() - ca.notBefore(), 3650 * kDay);
}

TEST(TestCa, OfficeProfileEc) {
    test::Network net;
    const auto id = net.office("1310000001", "さくら");
    const Certificate& c = id.certificate();
    EXPECT_FALSE(c.isCa());
    EXPECT_EQ(c.subjectValues(NID_serialNumber), std::vector<std::string>{"1310000001"});
    EXPECT_EQ(c.subjectValues(NID_organizationName), std::vector<std::string>{"さくら"});
    EXPECT_EQ(c.subjectValues(NID_commonName), std::vector<std::string>{"さくら"});
    EXPECT_EQ(X509_get_key_usage(c.get()),
              static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT));
    EXPECT_EQ(extendedKeyUsages(c), (std::set<std::string>{"clientAuth", "emailProtection"}));
    // SKI present, AKI = the CA's SKI.
    ASSERT_NE(X509_get0_subject_key_id(c.get()), nullptr);
    ASSERT_NE(X509_get0_authority_key_id(c.get()), nullptr);
    EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(c.get()),
                                    X509_get0_subject_key_id(net.ca().certificate().get())),
              0);
    EXPECT_EQ(X509_check_issued(net.ca().certificate().get(), c.get()), X509_V_OK);
    // The office number sits where the default policy reads it.
    EXPECT_EQ(crypto::OfficeNumberPolicy().officeNumber(c), "1310000001");
}

TEST(TestCa, OfficeProfileRsa) {
    test::Network net(crypto::KeySpec::rsa(3072));
    const auto id = net.office("1310000001", "A", crypto::KeySpec::rsa(3072));
    EXPECT_EQ(id.certificate().keyInfo().description, "RSA 3072");
    EXPECT_EQ(net.ca().certificate().keyInfo().description, "RSA 3072");
    EXPECT_EQ(X509_get_key_usage(id.certificate().get()),
              static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
    EXPECT_EQ(extendedKeyUsages(id.certificate()), (std::set<std::string>{"clientAuth", "emailProtection"}));
}

TEST(TestCa, ServerProfile) {
    test::Network net;
    const auto id = net.ca().issueServer({"relay.example.test", {"127.0.0.1", "::1"}});
    const Certificate& c = id.certificate();
    EXPECT_EQ(c.subject(), "CN=relay.example.test");
    EXPECT_EQ(extendedKeyUsages(c), std::set<std::string>{"serverAuth"});
    EXPECT_EQ(X509_check_host(c.get(), "relay.example.test", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_host(c.get(), "other.test", 0, 0, nullptr), 0);
    EXPECT_EQ(X509_check_ip_asc(c.get(), "127.0.0.1", 0), 1);
    const std::string san = subjectAltNames(c);
    EXPECT_NE(san.find("IP Address:0:0:0:0:0:0:0:1"), std::string::npos) << san;
    EXPECT_THROW(net.ca().issueServer({"a,b", {}}), crypto::CryptoError);
    EXPECT_THROW(net.ca().issueServer({"relay", {"not-an-ip"}}), crypto::CryptoError);
}

TEST(TestCa, SerialsAreUniqueAndRandom) {
    test::Network net;
    std::set<std::string> serials;
    for (int i = 0; i < 20; ++i)
        serials.insert(net.office("1310000001", "A").certificate().serialHex());
    EXPECT_EQ(serials.size(), 20u);
    for (const auto& s : serials)
        EXPECT_EQ(s.size(), 32u) << s; // 127 random bits with the top bit set: always 32 hex digits
    EXPECT_EQ(net.ca().issued().size(), 20u);
}

TEST(TestCa, ValidityComesFromTheClock) {
    test::Network net;
    net.clock().set(test::testEpoch() - 400 * kDay);
    const auto old = net.office("1310000001", "A", crypto::KeySpec::ec(), 365);
    net.clock().set(test::testEpoch() + 30 * kDay);
    const auto future = net.office("1310000001", "A", crypto::KeySpec::ec(), 365);
    crypto::FixedClock now(test::testEpoch());
    EXPECT_LT(old.certificate().notAfter(), now.now());
    EXPECT_GT(future.certificate().notBefore(), now.now());
    EXPECT_EQ(future.certificate().notBefore(), test::testEpoch() + 30 * kDay);
}

TEST(TestCa, RequestsAreChecked) {
    test::Network net;
    for (const char* bad : {"123456789", "12345678901", "131000000a", ""}) {
        try {
            net.office(bad, "A");
            FAIL() << bad;
        } catch (const crypto::CryptoError& e) {
            EXPECT_EQ(e.code(), ErrorCode::Usage) << bad;
        }
    }
    EXPECT_THROW(net.office("1310000001", ""), crypto::CryptoError);
    EXPECT_THROW(net.office("1310000001", "tab\there"), crypto::CryptoError);
    EXPECT_THROW(net.office("1310000001", "A", crypto::KeySpec::rsa(1024)), crypto::CryptoError);
    EXPECT_THROW(net.office("1310000001", "A", crypto::KeySpec::ec(), 0), crypto::CryptoError);
    EXPECT_TRUE(net.ca().issued().empty());
}

TEST(TestCa, CreateRefusesAnExistingCaAndOpenReadsItBack) {
    test::Network net;
    const auto a = net.office("1310000001", "A");
    try {
        crypto::TestCa::create(net.path("ca"), "Again", crypto::KeySpec::ec(), net.clock());
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::Usage);
    }
    crypto::TestCa reopened = crypto::TestCa::open(net.path("ca"), net.clock());
    EXPECT_EQ(reopened.certificate(), net.ca().certificate());
    EXPECT_EQ(reopened.issued().size(), 1u);
    const auto b = reopened.issueOffice({"1310000002", "B"});
    EXPECT_EQ(X509_check_issued(net.ca().certificate().get(), b.certificate().get()), X509_V_OK);
    EXPECT_EQ(net.ca().issued().size(), 2u);
    EXPECT_THROW(crypto::TestCa::open(net.path("nowhere"), net.clock()), crypto::CryptoError);
}

TEST(TestCa, RevokeMarksEveryCertificateOfTheOfficeOnce) {
    test::Network net;
    const auto a1 = net.office("1310000001", "A");
    const auto a2 = net.office("1310000001", "A");
    const auto b = net.office("1310000002", "B");
    net.clock().advanceDays(3);
    EXPECT_EQ(net.ca().revokeOffice("1310000001"), 2);
    EXPECT_EQ(net.ca().revokeOffice("1310000001"), 0);
    EXPECT_EQ(net.ca().revokeOffice("9999999999"), 0);
    int revoked = 0;
    for (const auto& e : net.ca().issued()) {
        if (e.revoked) {
            ++revoked;
            EXPECT_EQ(e.holder, "1310000001");
            EXPECT_EQ(e.revokedAt, test::testEpoch() + 3 * kDay);
        }
    }
    EXPECT_EQ(revoked, 2);

    const crypto::Crl crl = net.ca().makeCrl(30);
    EXPECT_EQ(crl.revokedCount(), 2);
    EXPECT_TRUE(crl.isRevoked(a1.certificate().serialHex()));
    EXPECT_TRUE(crl.isRevoked(a2.certificate().serialHex()));
    EXPECT_FALSE(crl.isRevoked(b.certificate().serialHex()));
    EXPECT_EQ(crl.lastUpdate(), test::testEpoch() + 3 * kDay);
    EXPECT_EQ(crl.nextUpdate(), test::testEpoch() + 33 * kDay);
    EXPECT_EQ(crl.issuer(), net.ca().certificate().subject());
    EXPECT_EQ(crypto::Crl::parse(crl.toPem()).revokedCount(), 2);
}

TEST(TestCa, CrlNumbersIncreaseAndTheCrlIsSigned) {
    test::Network net;
    const crypto::Crl first = net.ca().makeCrl();
    const crypto::Crl second = net.ca().makeCrl();
    auto number = [](const crypto::Crl& crl) {
        auto* n =
            static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr));
        const long value = ASN1_INTEGER_get(n);
        ASN1_INTEGER_free(n);
        return value;
    };
    EXPECT_EQ(number(first), 1);
    EXPECT_EQ(number(second), 2);
    crypto::EvpPkeyPtr key = net.ca().certificate().publicKey();
    EXPECT_EQ(X509_CRL_verify(second.get(), key.get()), 1);
    EXPECT_EQ(crypto::readFile(net.path("ca/crlnumber")), "3\n");
}
