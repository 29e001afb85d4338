// Who may speak to the relay: every kind of bad client certificate is refused during the handshake,
// before any HTTP — checked by requests that never get an answer and by the relay's own counters.
#include "RelayFixture.h"

#include <thread>

using namespace cplink;
using namespace cplink::test;

namespace {

// Under TLS 1.3 the client finishes its side of the handshake before the server has judged its
// certificate; the refusal arrives as an alert on the first read. Either way: no HTTP answer.
bool refused(unsigned short port, const crypto::Identity* identity, const RelayNetwork& network,
             std::string* reason) {
    TlsTestClient client(port, identity, {crypto::Certificate::load(network.caFile())});
    if (!client.connect()) {
        *reason = client.error();
        return true;
    }
    const auto reply = client.request("GET", "/v1/inbox");
    *reason = reply ? "answered " + std::to_string(reply->status) : client.error();
    return !reply;
}

} // namespace

TEST_P(RelayFixture, EveryKindOfBadClientCertificateIsRefusedAtTheHandshake) {
    network.ca().revokeOffice(kOfficeC);
    network.writeCrl();
    startRelay({}, {}, /*withCrl=*/true);

    std::string reason;
    EXPECT_TRUE(refused(relay->port(), nullptr, network, &reason)) << "no certificate: " << reason;
    const auto expired = network.expiredOffice("1310000011");
    EXPECT_TRUE(refused(relay->port(), &expired, network, &reason)) << "expired: " << reason;
    const auto future = network.futureOffice("1310000012");
    EXPECT_TRUE(refused(relay->port(), &future, network, &reason)) << "not yet valid: " << reason;
    RelayNetwork otherNetwork;
    const auto stranger = otherNetwork.office("1310000013");
    EXPECT_TRUE(refused(relay->port(), &stranger, network, &reason)) << "other CA: " << reason;
    EXPECT_TRUE(refused(relay->port(), &c, network, &reason)) << "revoked: " << reason;
    // A certificate of the network without an office number (the relay's own server certificate kind).
    const auto server = network.ca().issueServer({"intruder.example", {}});
    EXPECT_TRUE(refused(relay->port(), &server, network, &reason)) << "no office number: " << reason;

    // The valid ones still get in, and none of the refused offices became known.
    EXPECT_EQ(as(a, "GET", "/v1/inbox").status, 200);
    EXPECT_EQ(as(a, "GET", "/v1/offices/1310000011").status, 404)
        << "an expired certificate registered its office";
    EXPECT_EQ(as(a, "GET", "/v1/offices/1310000013").status, 404);
    const std::string metrics = as(a, "GET", "/metrics").body;
    EXPECT_NE(metrics.find("cplink_relay_errors_total{kind=\"tls_handshake\"}"), std::string::npos)
        << metrics;
}

TEST_P(RelayFixture, ANewCrlTakesEffectWithoutARestart) {
    network.writeCrl();
    startRelay({"--housekeeping-interval", "0.2"}, {}, /*withCrl=*/true);
    EXPECT_EQ(as(b, "GET", "/v1/inbox").status, 200);
    const auto served = as(a, "GET", "/v1/crl");
    ASSERT_EQ(served.status, 200);
    EXPECT_NE(served.body.find("BEGIN X509 CRL"), std::string::npos);

    network.ca().revokeOffice(kOfficeB);
    network.writeCrl();
    std::string reason;
    bool refusedInTime = false;
    for (int i = 0; i < 100 && !refusedInTime; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        refusedInTime = refused(relay->port(), &b, network, &reason);
    }
    EXPECT_TRUE(refusedInTime) << "revoked office still accepted: " << reason;
    EXPECT_EQ(as(a, "GET", "/v1/inbox").status, 200);
}

TEST_P(RelayFixture, WithoutACrlThereIsNothingToServe) {
    EXPECT_EQ(as(a, "GET", "/v1/crl").status, 404);
}

TEST_P(RelayFixture, RsaOfficeCertificatesWorkToo) {
    const auto rsa = network.office("1310000021", "RSA office", crypto::KeySpec::rsa(3072));
    EXPECT_EQ(as(rsa, "GET", "/v1/inbox").status, 200);
    EXPECT_EQ(upload(rsa, kOfficeA, "from-rsa", "envelope").status, 201);
}

// Beast hands an answer to the stream in pieces (status line, each field, the body). Each piece used
// to go out as its own TLS record and send(): eight per upload answer, each one a decryption and a
// wake-up for the client. An answer with a small body is one record; a 20 KB download a few.
TEST_P(RelayFixture, SmallAnswersAreOneTlsRecord) {
    startRelay();
    TlsTestClient client(relay->port(), &a, {crypto::Certificate::load(network.caFile())});
    ASSERT_TRUE(client.connect()) << client.error();
    const auto warmUp = client.request("GET", "/healthz"); // also takes any session tickets
    ASSERT_TRUE(warmUp) << client.error();
    ASSERT_EQ(warmUp->status, 200);
    const auto recordsFor = [&](const std::string& method, const std::string& target,
                                const std::map<std::string, std::string>& headers, const std::string& body,
                                int expectedStatus) {
        const std::size_t before = client.recordsReceived();
        const auto reply = client.request(method, target, headers, body);
        EXPECT_TRUE(reply) << client.error();
        EXPECT_EQ(reply ? reply->status : 0, expectedStatus) << target;
        return client.recordsReceived() - before;
    };
    const std::map<std::string, std::string> uploadHeaders = {{"X-Message-Id", "one-record"},
                                                              {"X-Recipient-Office", kOfficeB},
                                                              {"Content-Type", "application/cms"}};
    const std::string envelope(20480, 'e');
    EXPECT_EQ(recordsFor("GET", "/healthz", {}, {}, 200), 1u);
    EXPECT_EQ(recordsFor("POST", "/v1/messages", uploadHeaders, envelope, 201), 1u);
    EXPECT_EQ(recordsFor("POST", "/v1/messages", uploadHeaders, envelope, 201), 1u) << "the same again";
    EXPECT_EQ(recordsFor("GET", "/v1/nowhere", {}, {}, 404), 1u);

    // A body larger than one record: the head and the body's start, then the rest in full records.
    TlsTestClient recipient(relay->port(), &b, {crypto::Certificate::load(network.caFile())});
    ASSERT_TRUE(recipient.connect()) << recipient.error();
    const auto recipientWarmUp = recipient.request("GET", "/healthz");
    ASSERT_TRUE(recipientWarmUp) << recipient.error();
    ASSERT_EQ(recipientWarmUp->status, 200);
    const std::size_t before = recipient.recordsReceived();
    const auto download = recipient.request("GET", "/v1/messages/one-record");
    ASSERT_TRUE(download) << recipient.error();
    EXPECT_EQ(download->status, 200);
    EXPECT_EQ(download->body, envelope);
    EXPECT_LE(recipient.recordsReceived() - before, 3u);
}
