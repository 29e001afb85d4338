// Chain verification by our own policy at the injected clock's time: anchors, CRLs (optional and
// required), every typed failure, and the resolver that picks an office's certificates during rotation.
#include "crypto/TrustStore.h"

#include "CryptoTestSupport.h"
#include "crypto/CertificateResolver.h"
#include "crypto/Error.h"

#include <gtest/gtest.h>

using namespace cplink;
using crypto::Certificate;
using crypto::TrustStatus;
using crypto::TrustStore;
using test::kDay;

namespace {

TrustStore trusting(test::Network& net) {
    TrustStore store;
    store.addAnchor(net.ca().certificate());
    return store;
}

} // namespace

TEST(TrustStore, OfficeCertificateOfTheNetworkVerifies) {
    test::Network net;
    const auto ec = net.office("1310000001", "A");
    const auto rsa = net.office("1310000002", "B", crypto::KeySpec::rsa(3072));
    const TrustStore store = trusting(net);
    EXPECT_TRUE(store.verify(ec.certificate(), net.clock()).ok());
    EXPECT_TRUE(store.verify(rsa.certificate(), net.clock()).ok());
}

TEST(TrustStore, PurposeIndependent) {
    // A server certificate has EKU serverAuth only: still a valid chain by our policy, which does not
    // apply OpenSSL's S/MIME or TLS purposes.
    test::Network net;
    const auto server = net.ca().issueServer({"relay.test", {"127.0.0.1"}});
    EXPECT_TRUE(trusting(net).verify(server.certificate(), net.clock()).ok());
}

TEST(TrustStore, OtherCaIsUntrusted) {
    test::Network ours;
    test::Network theirs(crypto::KeySpec::ec(), "Other CA");
    const auto foreign = theirs.office("1310000001", "A");
    const auto result = trusting(ours).verify(foreign.certificate(), ours.clock());
    EXPECT_EQ(result.status, TrustStatus::Untrusted) << result.detail;
    // Even a CA with the same name but another key does not vouch for ours.
    test::Network twin(crypto::KeySpec::ec(), "Test CA");
    EXPECT_EQ(trusting(twin).verify(ours.office("1310000002", "B").certificate(), ours.clock()).status,
              TrustStatus::Untrusted);
    // No anchors at all.
    EXPECT_EQ(TrustStore().verify(foreign.certificate(), ours.clock()).status, TrustStatus::Untrusted);
}

TEST(TrustStore, ExpiredAndNotYetValidAtTheClocksTime) {
    test::Network net;
    const auto id = net.office("1310000001", "A", crypto::KeySpec::ec(), 10);
    const TrustStore store = trusting(net);
    crypto::FixedClock clock(test::testEpoch() + 11 * kDay);
    EXPECT_EQ(store.verify(id.certificate(), clock).status, TrustStatus::Expired);
    clock.set(test::testEpoch() - std::chrono::hours(1));
    EXPECT_EQ(store.verify(id.certificate(), clock).status, TrustStatus::NotYetValid);
    clock.set(test::testEpoch() + 10 * kDay - std::chrono::seconds(1));
    EXPECT_TRUE(store.verify(id.certificate(), clock).ok());
}

TEST(TrustStore, ExpiredCaFailsTheChain) {
    test::Network net; // CA valid ten years
    const auto id = net.office("1310000001", "A", crypto::KeySpec::ec(), 20 * 365);
    crypto::FixedClock clock(test::testEpoch() + 11 * 365 * kDay);
    const auto result = trusting(net).verify(id.certificate(), clock);
    EXPECT_EQ(result.status, TrustStatus::Expired);
    EXPECT_EQ(result.depth, 1);
}

TEST(TrustStore, TamperedSignatureIsBadSignature) {
    test::Network net;
    const auto id = net.office("1310000001", "A");
    std::string der = id.certificate().toDer();
    der[der.size() - 5] = static_cast<char>(der[der.size() - 5] ^ 0x01); // inside the signature value
    const Certificate tampered = Certificate::fromDer(der);
    const auto result = trusting(net).verify(tampered, net.clock());
    EXPECT_EQ(result.status, TrustStatus::BadSignature) << result.detail;
}

TEST(TrustStore, RevokedByCrl) {
    test::Network net;
    const auto a = net.office("1310000001", "A");
    const auto b = net.office("1310000002", "B");
    EXPECT_EQ(net.ca().revokeOffice("1310000001"), 1);
    TrustStore store = trusting(net);
    store.addCrl(net.ca().makeCrl(30));
    const auto result = store.verify(a.certificate(), net.clock());
    EXPECT_EQ(result.status, TrustStatus::Revoked) << result.detail;
    EXPECT_TRUE(store.verify(b.certificate(), net.clock()).ok());
    // Revocation is checked when required too.
    store.setRequireCrl(true);
    EXPECT_EQ(store.verify(a.certificate(), net.clock()).status, TrustStatus::Revoked);
    EXPECT_TRUE(store.verify(b.certificate(), net.clock()).ok());
}

TEST(TrustStore, RequiredCrlMissingOrStale) {
    test::Network net;
    const auto a = net.office("1310000001", "A");
    TrustStore store = trusting(net);
    store.setRequireCrl(true);
    EXPECT_EQ(store.verify(a.certificate(), net.clock()).status, TrustStatus::CrlMissing);

    store.addCrl(net.ca().makeCrl(7));
    EXPECT_TRUE(store.verify(a.certificate(), net.clock()).ok());
    crypto::FixedClock later(test::testEpoch() + 8 * kDay);
    EXPECT_EQ(store.verify(a.certificate(), later).status, TrustStatus::CrlExpired);

    // Optional CRLs: a missing or stale one is no error, but its revocations still count.
    store.setRequireCrl(false);
    EXPECT_TRUE(store.verify(a.certificate(), later).ok());
    EXPECT_TRUE(trusting(net).verify(a.certificate(), later).ok());
    net.ca().revokeOffice("1310000001");
    TrustStore stale = trusting(net);
    stale.addCrl(net.ca().makeCrl(7));
    EXPECT_EQ(stale.verify(a.certificate(), later).status, TrustStatus::Revoked);
}

TEST(TrustStore, CrlOfAnotherCaDoesNotCount) {
    test::Network net;
    test::Network other(crypto::KeySpec::ec(), "Other CA");
    const auto a = net.office("1310000001", "A");
    TrustStore store = trusting(net);
    store.addCrl(other.ca().makeCrl(30));
    store.setRequireCrl(true);
    EXPECT_EQ(store.verify(a.certificate(), net.clock()).status, TrustStatus::CrlMissing);
}

TEST(TrustStore, SeveralAnchorsAndFiles) {
    test::Network one;
    test::Network two(crypto::KeySpec::rsa(3072), "RSA CA");
    const auto a = one.office("1310000001", "A");
    const auto b = two.office("1310000002", "B", crypto::KeySpec::rsa(2048));
    const std::string bundle =
        one.dir().write("anchors.pem", one.ca().certificate().toPem() + two.ca().certificate().toPem());
    const std::string crl = one.dir().write("crl.pem", one.ca().makeCrl(30).toPem());
    const TrustStore store = TrustStore::fromFiles({bundle}, {crl});
    EXPECT_EQ(store.anchors().size(), 2u);
    EXPECT_EQ(store.crls().size(), 1u);
    EXPECT_TRUE(store.verify(a.certificate(), one.clock()).ok());
    EXPECT_TRUE(store.verify(b.certificate(), one.clock()).ok());
    EXPECT_THROW(
        TrustStore::fromFiles({one.dir().write("empty.pem", "-----BEGIN X-----\n-----END X-----\n")}),
        crypto::CryptoError);
}

TEST(TrustStore, AgreesWithOpensslVerify) {
    test::Network net;
    const auto a = net.office("1310000001", "A");
    const auto b = net.office("1310000002", "B");
    net.ca().revokeOffice("1310000002");
    const std::string ca = net.dir().write("ca.pem", net.ca().certificate().toPem());
    const std::string crl = net.dir().write("crl.pem", net.ca().makeCrl(30).toPem());
    const std::string aPem = net.dir().write("a.pem", a.certificate().toPem());
    const std::string bPem = net.dir().write("b.pem", b.certificate().toPem());
    const std::string at = " -attime " + std::to_string(crypto::toTimeT(net.clock().now()) + 60);
    std::string log;
    EXPECT_EQ(test::openssl("verify -CAfile " + ca + " -crl_check -CRLfile " + crl + at + " " + aPem, &log),
              0)
        << log;
    EXPECT_NE(test::openssl("verify -CAfile " + ca + " -crl_check -CRLfile " + crl + at + " " + bPem, &log),
              0);
    EXPECT_NE(log.find("revoked"), std::string::npos) << log;
}

TEST(CertificateResolver, RotationNewestForEncryptionAnyForVerification) {
    test::Network net;
    const auto old = net.office("1310000001", "A", crypto::KeySpec::ec(), 3 * 365);
    net.clock().advanceDays(2 * 365 + 300); // renewed 65 days before the old one runs out
    const auto renewed = net.office("1310000001", "A", crypto::KeySpec::rsa(3072), 3 * 365);
    const auto other = net.office("1310000002", "B");

    const TrustStore store = trusting(net);
    crypto::FixedClock clock(net.clock().now());
    crypto::CertificateResolver resolver(store, crypto::OfficeNumberPolicy(), clock);
    resolver.add(old.certificate());
    resolver.add(renewed.certificate());
    resolver.add(other.certificate());
    resolver.add(old.certificate()); // duplicates are kept once
    EXPECT_EQ(resolver.candidates().size(), 3u);

    // Overlap: both valid, newest first.
    auto valid = resolver.validFor("1310000001");
    ASSERT_EQ(valid.size(), 2u);
    EXPECT_EQ(valid[0], renewed.certificate());
    EXPECT_EQ(valid[1], old.certificate());
    EXPECT_EQ(resolver.forEncryption("1310000001"), renewed.certificate());
    EXPECT_TRUE(resolver.checkFor(old.certificate(), "1310000001").ok());
    EXPECT_TRUE(resolver.checkFor(renewed.certificate(), "1310000001").ok());
    EXPECT_EQ(resolver.checkFor(other.certificate(), "1310000001").status, TrustStatus::WrongOffice);

    // After the old one expires only the renewed one is left.
    clock.advanceDays(70);
    valid = resolver.validFor("1310000001");
    ASSERT_EQ(valid.size(), 1u);
    EXPECT_EQ(valid[0], renewed.certificate());
    EXPECT_EQ(resolver.checkFor(old.certificate(), "1310000001").status, TrustStatus::Expired);

    EXPECT_FALSE(resolver.forEncryption("9999999999").has_value());
}

TEST(CertificateResolver, RevokedCertificatesAreNotOffered) {
    test::Network net;
    const auto first = net.office("1310000001", "A");
    net.clock().advanceDays(10);
    const auto second = net.office("1310000001", "A");
    ASSERT_EQ(net.ca().revokeOffice("1310000001"), 2);
    TrustStore store = trusting(net);
    store.addCrl(net.ca().makeCrl(30));
    crypto::CertificateResolver resolver(store, crypto::OfficeNumberPolicy(), net.clock());
    resolver.add(first.certificate());
    resolver.add(second.certificate());
    EXPECT_TRUE(resolver.validFor("1310000001").empty());
    EXPECT_FALSE(resolver.forEncryption("1310000001").has_value());
    EXPECT_EQ(resolver.checkFor(second.certificate(), "1310000001").status, TrustStatus::Revoked);

    // A fresh certificate after the revocation is the only valid one.
    const auto third = net.office("1310000001", "A");
    resolver.add(third.certificate());
    EXPECT_EQ(resolver.forEncryption("1310000001"), third.certificate());
}

TEST(CertificateResolver, UsesTheNetworksOfficeNumberPolicy) {
    test::Network net;
    const auto a = net.office("1310000001", "1310000009"); // name (O/CN) looks like another number
    const TrustStore store = trusting(net);
    crypto::CertificateResolver bySerial(store, crypto::OfficeNumberPolicy(), net.clock());
    crypto::CertificateResolver byCn(store, crypto::OfficeNumberPolicy::parse("CN"), net.clock());
    bySerial.add(a.certificate());
    byCn.add(a.certificate());
    EXPECT_EQ(bySerial.validFor("1310000001").size(), 1u);
    EXPECT_TRUE(bySerial.validFor("1310000009").empty());
    EXPECT_EQ(byCn.validFor("1310000009").size(), 1u);
    EXPECT_TRUE(byCn.validFor("1310000001").empty());
}
