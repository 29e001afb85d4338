// Reading certificates: PEM and DER, every field `cert show` prints (checked against the openssl CLI
// where it has an opinion), key types, days left and expiry warnings, and where the office number is.
#include "crypto/Certificate.h"

#include "CryptoTestSupport.h"
#include "crypto/CertificateBuilder.h"
#include "crypto/Error.h"
#include "crypto/Expiry.h"
#include "crypto/OfficeNumberPolicy.h"

#include <gtest/gtest.h>

using namespace cplink;
using crypto::Certificate;
using crypto::ErrorCode;
using crypto::OfficeNumberPolicy;
using test::kDay;

namespace {

// A self-signed certificate with the given subject, for office-number policy cases our CA would not make.
Certificate withSubject(const std::vector<std::pair<int, std::string>>& subject) {
    auto key = crypto::generateKey(crypto::KeySpec::ec());
    crypto::CertificateTemplate tmpl;
    tmpl.subject = subject;
    tmpl.notBefore = test::testEpoch();
    tmpl.notAfter = test::testEpoch() + 30 * kDay;
    auto serial = crypto::randomSerial();
    return crypto::signCertificate(tmpl, key.get(), serial.get(), nullptr, key.get());
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

} // namespace

TEST(Certificate, ParsesPemAndDerToTheSameCertificate) {
    test::Network net;
    const auto id = net.office("1310000001", "さくら居宅介護支援事業所");
    const Certificate fromPem = Certificate::parse(id.certificate().toPem());
    const Certificate fromDer = Certificate::parse(id.certificate().toDer());
    EXPECT_EQ(fromPem, id.certificate());
    EXPECT_EQ(fromDer, id.certificate());
    EXPECT_EQ(fromDer.subject(),
              "CN=さくら居宅介護支援事業所,O=さくら居宅介護支援事業所,serialNumber=1310000001");
    EXPECT_EQ(fromDer.issuer(), "CN=Test CA,O=Test CA");
}

TEST(Certificate, RejectsGarbageAndTrailingBytes) {
    try {
        Certificate::parse("not a certificate");
        FAIL() << "garbage parsed";
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::Malformed);
    }
    test::Network net;
    const std::string der = net.ca().certificate().toDer() + "x";
    EXPECT_THROW(Certificate::parse(der), crypto::CryptoError);
    EXPECT_THROW(Certificate::fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                 crypto::CryptoError);
}

TEST(Certificate, FieldsMatchTheOpensslCli) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    const std::string file = net.dir().write("a.pem", id.certificate().toPem());
    std::string out;
    ASSERT_EQ(test::openssl("x509 -in " + file + " -noout -serial", &out), 0) << out;
    EXPECT_EQ(trim(out), "serial=" + id.certificate().serialHex());
    ASSERT_EQ(test::openssl("x509 -in " + file + " -noout -fingerprint -sha256", &out), 0) << out;
    EXPECT_EQ(trim(out), "sha256 Fingerprint=" + id.certificate().sha256Fingerprint());
    EXPECT_EQ(id.certificate().sha256Fingerprint().size(), 32u * 3 - 1);
}

TEST(Certificate, ValidityAndDaysLeftFollowTheClock) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A", crypto::KeySpec::ec(), 100);
    const Certificate& c = id.certificate();
    EXPECT_EQ(c.notBefore(), test::testEpoch());
    EXPECT_EQ(c.notAfter(), test::testEpoch() + 100 * kDay);
    crypto::FixedClock clock(test::testEpoch());
    EXPECT_EQ(c.daysLeft(clock), 100);
    clock.advance(std::chrono::hours(12));
    EXPECT_EQ(c.daysLeft(clock), 99); // 99.5 days left: whole days, rounded down
    clock.set(test::testEpoch() + 100 * kDay + std::chrono::hours(1));
    EXPECT_EQ(c.daysLeft(clock), -1);
    EXPECT_TRUE(c.isValidAt(test::testEpoch()));
    EXPECT_FALSE(c.isValidAt(test::testEpoch() - std::chrono::seconds(1)));
}

TEST(Certificate, KeyTypes) {
    test::Network net;
    EXPECT_EQ(net.office("1310000001", "A").certificate().keyInfo().description, "EC P-256");
    EXPECT_EQ(net.office("1310000002", "B", crypto::KeySpec{crypto::KeyAlgorithm::EcP384, 0})
                  .certificate()
                  .keyInfo()
                  .description,
              "EC P-384");
    const auto rsa = net.office("1310000003", "C", crypto::KeySpec::rsa(2048)).certificate().keyInfo();
    EXPECT_EQ(rsa.description, "RSA 2048");
    EXPECT_TRUE(rsa.isRsa());
    EXPECT_TRUE(rsa.supported);
    EXPECT_EQ(net.ca().certificate().keyInfo().description, "EC P-256");
    EXPECT_TRUE(net.ca().certificate().isCa());
}

TEST(Expiry, WarningStartsAtTheThresholdAndMilestonesStep) {
    test::Network net;
    const auto id = net.office("1310000001", "A", crypto::KeySpec::ec(), 365);
    crypto::FixedClock clock(test::testEpoch());
    auto at = [&](int daysLeft) {
        clock.set(test::testEpoch() + (365 - daysLeft) * kDay);
        return crypto::expiryStatus(id.certificate(), clock);
    };
    EXPECT_EQ(at(365).state, crypto::ExpiryState::Valid);
    EXPECT_FALSE(at(365).milestone.has_value());
    EXPECT_EQ(at(90).milestone, 90);
    EXPECT_EQ(at(31).state, crypto::ExpiryState::Valid);
    EXPECT_EQ(at(31).milestone, 90);
    EXPECT_EQ(at(30).state, crypto::ExpiryState::Warning);
    EXPECT_EQ(at(30).milestone, 30);
    EXPECT_EQ(at(7).milestone, 7);
    EXPECT_EQ(at(0).state, crypto::ExpiryState::Warning);

    clock.set(test::testEpoch() + 366 * kDay);
    const auto expired = crypto::expiryStatus(id.certificate(), clock);
    EXPECT_EQ(expired.state, crypto::ExpiryState::Expired);
    EXPECT_NE(expired.message.find("expired 1 day ago"), std::string::npos) << expired.message;

    clock.set(test::testEpoch() - kDay);
    EXPECT_EQ(crypto::expiryStatus(id.certificate(), clock).state, crypto::ExpiryState::NotYetValid);

    crypto::ExpiryPolicy policy;
    policy.warnDays = 90;
    clock.set(test::testEpoch() + (365 - 60) * kDay);
    EXPECT_EQ(crypto::expiryStatus(id.certificate(), clock, policy).state, crypto::ExpiryState::Warning);
}

TEST(OfficeNumberPolicy, SerialNumberByDefault) {
    test::Network net;
    const auto id = net.office("1310000001", "Office A");
    EXPECT_EQ(OfficeNumberPolicy().officeNumber(id.certificate()), "1310000001");
    EXPECT_EQ(OfficeNumberPolicy::parse("serialNumber").officeNumber(id.certificate()), "1310000001");
    // Our certificates put the name, not the number, in CN.
    EXPECT_FALSE(OfficeNumberPolicy::parse("CN").officeNumber(id.certificate()).has_value());
}

TEST(OfficeNumberPolicy, CommonNameAndOrganizationalUnit) {
    const auto cn = withSubject({{NID_commonName, "2710000009"}, {NID_organizationName, "Osaka"}});
    EXPECT_EQ(OfficeNumberPolicy::parse("CN").officeNumber(cn), "2710000009");
    EXPECT_FALSE(OfficeNumberPolicy().officeNumber(cn).has_value());

    const auto ou = withSubject({{NID_organizationalUnitName, "2710000009"}, {NID_commonName, "x"}});
    EXPECT_EQ(OfficeNumberPolicy::parse("OU").officeNumber(ou), "2710000009");

    // Not exactly ten digits: no office number.
    const auto shortCn = withSubject({{NID_commonName, "271000000"}});
    EXPECT_FALSE(OfficeNumberPolicy::parse("CN").officeNumber(shortCn).has_value());
    // Two different numbers in two OUs: ambiguous, so none.
    const auto twoOu =
        withSubject({{NID_organizationalUnitName, "2710000009"}, {NID_organizationalUnitName, "2710000010"}});
    EXPECT_FALSE(OfficeNumberPolicy::parse("OU").officeNumber(twoOu).has_value());
    try {
        OfficeNumberPolicy::parse("OU").requireOfficeNumber(twoOu);
        FAIL();
    } catch (const crypto::CryptoError& e) {
        EXPECT_EQ(e.code(), ErrorCode::NoOfficeNumber);
    }
}

TEST(OfficeNumberPolicy, RegexOverTheSubject) {
    const auto c = withSubject({{NID_commonName, "介護事業所(1310000001)"}, {NID_organizationName, "X"}});
    const auto policy = OfficeNumberPolicy::parse("regex:CN=[^,]*\\(([0-9]{10})\\)");
    EXPECT_EQ(policy.source(), OfficeNumberPolicy::Source::SubjectRegex);
    EXPECT_EQ(policy.officeNumber(c), "1310000001");
    EXPECT_EQ(OfficeNumberPolicy::parse(policy.describe()).officeNumber(c), "1310000001");
    // A match that is not ten digits does not count.
    EXPECT_FALSE(OfficeNumberPolicy::parse("regex:O=([A-Z]+)").officeNumber(c).has_value());
    EXPECT_FALSE(OfficeNumberPolicy::parse("regex:OU=([0-9]{10})").officeNumber(c).has_value());
}

TEST(OfficeNumberPolicy, BadConfigurationIsAUsageError) {
    for (const char* config : {"serial", "regex:([0-9]{10}", "DN"}) {
        try {
            OfficeNumberPolicy::parse(config);
            FAIL() << config;
        } catch (const crypto::CryptoError& e) {
            EXPECT_EQ(e.code(), ErrorCode::Usage) << config;
        }
    }
}
