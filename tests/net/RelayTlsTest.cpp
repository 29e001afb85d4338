// Mutual TLS: the relay is trusted through the network's anchors only, and every way a handshake can
// fail is told apart — the relay's certificate, the host name, our certificate refused or expired
// (under TLS 1.3, where the refusal arrives after the handshake, and TLS 1.2), or no relay at all.
#include "RelayTestFixture.h"

namespace cplink::test {
namespace {

using net::RelayErrorCategory;

class RelayTlsTest : public RelayTest {
protected:
    // A relay presenting `server` (and trusting our CA for clients).
    FakeRelay& startRelayWith(const crypto::Identity& server, bool tls12Only = false) {
        const ServerFiles files = serverFiles("server", server);
        FakeRelayOptions options;
        options.certificateFile = files.certificate;
        options.keyFile = files.key;
        options.tls12Only = tls12Only;
        return startRelay(options);
    }

    void expectPermanent(const net::RelayError& error, RelayErrorCategory category) {
        RecordProperty("relay_error", error.what()); // what libcurl/OpenSSL said, in the XML report
        EXPECT_EQ(error.category(), category) << error.what();
        EXPECT_FALSE(error.transient());
        EXPECT_EQ(error.attempts(), 1); // a refused certificate is not retried
        EXPECT_EQ(error.httpStatus(), 0);
        EXPECT_FALSE(error.detail().empty());
        EXPECT_TRUE(sleeps.empty());
    }
};

TEST_F(RelayTlsTest, ServerCertificateFromAnotherCaIsUntrusted) {
    RealTimePki otherNetwork("Other CA");
    startRelayWith(otherNetwork.server());
    expectPermanent(relayErrorOf([&] { client(sakura).health(); }),
                    RelayErrorCategory::ServerCertificateUntrusted);
    EXPECT_TRUE(relay().requests().empty()); // nothing was sent
}

TEST_F(RelayTlsTest, OnlyTheConfiguredAnchorsAreTrusted) {
    startRelay();
    RealTimePki otherNetwork("Other CA");
    net::RelayClientConfig settings = config();
    settings.trustAnchors = {otherNetwork.caCertificate()};
    expectPermanent(relayErrorOf([&] { net::RelayClient(settings, sakura).health(); }),
                    RelayErrorCategory::ServerCertificateUntrusted);
}

TEST_F(RelayTlsTest, CertificateForAnotherHostIsANameMismatch) {
    startRelayWith(pki.server("relay.example.invalid", {}));
    expectPermanent(relayErrorOf([&] { client(sakura).health(); }), RelayErrorCategory::ServerNameMismatch);
}

TEST_F(RelayTlsTest, RevokedServerCertificateIsRefusedWhenACrlIsConfigured) {
    const crypto::Identity server = pki.server();
    startRelayWith(server);
    net::RelayClientConfig settings = config();
    settings.crls = {pki.crlRevoking({server.certificate()})};
    const net::RelayError error = relayErrorOf([&] { net::RelayClient(settings, sakura).health(); });
    expectPermanent(error, RelayErrorCategory::ServerCertificateUntrusted);
    EXPECT_NE(error.detail().find("revoked"), std::string::npos) << error.detail();
}

TEST_F(RelayTlsTest, CurrentOrStaleCrlsThatDoNotListTheRelayLetItThrough) {
    startRelay();
    net::RelayClientConfig settings = config();
    settings.crls = {pki.crlRevoking({pki.office("0300000077").certificate()})};
    EXPECT_EQ(net::RelayClient(settings, sakura).health().status, "ok");
    // A stale CRL must not lock the office out: it could not fetch a fresh one otherwise.
    settings.crls = {pki.staleCrl()};
    EXPECT_EQ(net::RelayClient(settings, sakura).health().status, "ok");
}

class RelayClientCertificateTest : public RelayTlsTest, public ::testing::WithParamInterface<bool> {
protected:
    bool tls12() const { return GetParam(); }
};

TEST_P(RelayClientCertificateTest, CertificateFromAnotherCaIsRejected) {
    startRelayWith(pki.server(), tls12());
    RealTimePki otherNetwork("Other CA");
    const crypto::Identity stranger = otherNetwork.office(kSakura, "偽さくら");
    const net::RelayError error = relayErrorOf([&] { client(stranger).inbox(); });
    expectPermanent(error, RelayErrorCategory::ClientCertificateRejected);
    EXPECT_TRUE(relay().requests().empty()) << relay().diagnostics();
}

TEST_P(RelayClientCertificateTest, ExpiredCertificateIsNamedAsExpired) {
    startRelayWith(pki.server(), tls12());
    const crypto::Identity expired = pki.expiredOffice("0300000009");
    const net::RelayError error = relayErrorOf([&] { client(expired).inbox(); });
    expectPermanent(error, RelayErrorCategory::ClientCertificateExpired);
    EXPECT_TRUE(relay().requests().empty());
}

INSTANTIATE_TEST_SUITE_P(TlsVersions, RelayClientCertificateTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                             return param.param ? std::string("Tls12") : std::string("Tls13");
                         });

TEST_F(RelayTlsTest, NothingListeningIsOffline) {
    net::RelayClient sender(config("https://127.0.0.1:" + std::to_string(unusedPort())), sakura);
    const net::RelayError error = relayErrorOf([&] { sender.health(); });
    EXPECT_EQ(error.category(), RelayErrorCategory::Offline) << error.what();
    EXPECT_TRUE(error.transient());
    EXPECT_EQ(error.attempts(), 4);
    EXPECT_EQ(sleeps.size(), 3u);
}

TEST_F(RelayTlsTest, UnusableConfigurationsAreRefusedUpFront) {
    net::RelayClientConfig plainHttp = config("http://127.0.0.1:1");
    EXPECT_EQ(relayErrorOf([&] { net::RelayClient(plainHttp, sakura); }).category(),
              RelayErrorCategory::Internal);

    net::RelayClientConfig noAnchors = config("https://127.0.0.1:1");
    noAnchors.trustAnchors.clear();
    EXPECT_EQ(relayErrorOf([&] { net::RelayClient(noAnchors, sakura); }).category(),
              RelayErrorCategory::Internal);
}

} // namespace
} // namespace cplink::test
