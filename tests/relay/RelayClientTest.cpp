// The product's client (src/net) against the real relay: the same API both sides, every refusal of
// the relay arriving as the RelayError a care manager's message is made from, and a retry across a
// relay restart that stores the message exactly once.
#include "net/RelayClient.h"

#include "RelayFixture.h"
#include "crypto/Digest.h"

#include <thread>

using namespace cplink;
using namespace cplink::test;
using net::RelayErrorCategory;

class RelayClientFixture : public RelayFixture {
protected:
    net::RelayClient clientFor(const crypto::Identity& who, int attempts = 1) {
        net::RelayClientConfig config;
        config.connection.baseUrl = relay->url();
        config.connection.connectTimeout = std::chrono::seconds(10);
        config.connection.requestTimeout = std::chrono::seconds(30);
        config.trustAnchors = {crypto::Certificate::load(network.caFile())};
        config.retry.maxAttempts = attempts;
        config.retry.baseDelay = std::chrono::milliseconds(1);
        config.sleeper = [this](std::chrono::milliseconds delay) {
            sleeps.push_back(delay);
            if (onSleep)
                onSleep();
        };
        return net::RelayClient(std::move(config), who);
    }

    static RelayErrorCategory categoryOf(const std::function<void()>& call) {
        try {
            call();
        } catch (const net::RelayError& e) {
            return e.category();
        }
        ADD_FAILURE() << "no RelayError";
        return RelayErrorCategory::Internal;
    }

    std::vector<std::chrono::milliseconds> sleeps;
    std::function<void()> onSleep;
};

TEST_P(RelayClientFixture, AWholeExchangeThroughTheProductClient) {
    auto sender = clientFor(a);
    auto recipient = clientFor(b);
    const std::string envelope(20480, '\x5a');
    const auto receipt =
        sender.upload(kOfficeB, "01JD8CLIENT0000000000000001", net::MessageKind::Envelope, envelope);
    EXPECT_EQ(receipt.messageId, "01JD8CLIENT0000000000000001");
    EXPECT_EQ(receipt.sha256, crypto::sha256Hex(envelope));

    const auto inbox = recipient.inbox();
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0].from, kOfficeA);
    EXPECT_EQ(inbox[0].size, envelope.size());
    const auto downloaded = recipient.download(inbox[0].messageId);
    EXPECT_EQ(downloaded.bytes, envelope);
    EXPECT_EQ(downloaded.sender, kOfficeA);
    EXPECT_EQ(downloaded.kind, net::MessageKind::Envelope);
    EXPECT_TRUE(recipient.acknowledge(inbox[0].messageId));
    EXPECT_FALSE(recipient.acknowledge(inbox[0].messageId));
    EXPECT_TRUE(recipient.inbox().empty());

    // The signed receipt travels back as its own kind.
    recipient.upload(kOfficeA, "receipt.01JD8CLIENT", net::MessageKind::Receipt, "signed receipt");
    const auto back = sender.inbox();
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].kind, net::MessageKind::Receipt);

    const auto entry = sender.office(kOfficeB);
    EXPECT_EQ(entry.name, "ひまわり訪問介護");
    ASSERT_EQ(entry.certificates.size(), 1u);
    EXPECT_EQ(entry.certificates[0], b.certificate());
    EXPECT_EQ(sender.health().storage, GetParam() == Backend::Sqlite ? "sqlite" : "postgresql");
    EXPECT_FALSE(sender.crl().has_value());
}

TEST_P(RelayClientFixture, TheRelaysRefusalsBecomeTypedErrors) {
    auto client = clientFor(a);
    EXPECT_EQ(categoryOf([&] { client.upload("1399999999", "x1", net::MessageKind::Envelope, "e"); }),
              RelayErrorCategory::UnknownRecipient);
    client.upload(kOfficeB, "x2", net::MessageKind::Envelope, "e");
    EXPECT_EQ(categoryOf([&] { client.upload(kOfficeB, "x2", net::MessageKind::Envelope, "other"); }),
              RelayErrorCategory::Conflict);
    EXPECT_EQ(categoryOf([&] { client.download("x2"); }), RelayErrorCategory::NotFound)
        << "not the addressee";
    EXPECT_EQ(categoryOf([&] { client.office("1399999999"); }), RelayErrorCategory::NotFound);
    ASSERT_EQ(officeCommand("disable --office " + kOfficeC), 0);
    EXPECT_EQ(categoryOf([&] { client.upload(kOfficeC, "x3", net::MessageKind::Envelope, "e"); }),
              RelayErrorCategory::RecipientDisabled);

    startRelay({"--max-body", "100"});
    auto small = clientFor(a);
    EXPECT_EQ(
        categoryOf([&] { small.upload(kOfficeB, "x4", net::MessageKind::Envelope, std::string(101, 'e')); }),
        RelayErrorCategory::TooLarge);
}

TEST_P(RelayClientFixture, RefusedCertificatesAreNamedAsSuchNotAsNetworkTrouble) {
    network.ca().revokeOffice(kOfficeC);
    network.writeCrl();
    startRelay({}, {}, /*withCrl=*/true);
    auto revoked = clientFor(c, 3);
    EXPECT_EQ(categoryOf([&] { revoked.inbox(); }), RelayErrorCategory::ClientCertificateRejected);
    const auto expiredIdentity = network.expiredOffice("1310000031");
    auto expired = clientFor(expiredIdentity, 3);
    EXPECT_EQ(categoryOf([&] { expired.inbox(); }), RelayErrorCategory::ClientCertificateExpired);
    RelayNetwork other;
    const auto strangerIdentity = other.office("1310000032");
    auto stranger = clientFor(strangerIdentity, 3);
    EXPECT_EQ(categoryOf([&] { stranger.inbox(); }), RelayErrorCategory::ClientCertificateRejected);
    EXPECT_TRUE(sleeps.empty()) << "a refused certificate is not retried";
}

TEST_P(RelayClientFixture, AnUploadRetriedAcrossARelayRestartIsStoredOnce) {
    auto client = clientFor(a, 5);
    client.health(); // connected: the next call reuses the connection the relay's death breaks
    relay->kill();
    // The first attempt meets a dead relay (connection lost or refused: transient); during the backoff
    // the relay comes back on the same port with the same database, and the retry, with the same id and
    // bytes, is stored.
    onSleep = [this] {
        onSleep = nullptr;
        relay->restartOnSamePort();
    };
    const auto receipt = client.upload(kOfficeB, "across-restart", net::MessageKind::Envelope, "sealed");
    EXPECT_EQ(receipt.messageId, "across-restart");
    EXPECT_EQ(sleeps.size(), 1u);
    EXPECT_EQ(inboxOf(b).size(), 1u);

    // The answer of a success was lost (simulated: the same upload again): still one message.
    EXPECT_EQ(client.upload(kOfficeB, "across-restart", net::MessageKind::Envelope, "sealed").sha256,
              receipt.sha256);
    EXPECT_EQ(inboxOf(b).size(), 1u);
}

TEST_P(RelayClientFixture, RateLimitsAreWaitedOutAsTheRelaySays) {
    startRelay({"--rate", "0.5", "--burst", "1"});
    auto client = clientFor(a, 3);
    onSleep = [this] {
        std::this_thread::sleep_for(sleeps.back());
    }; // really wait, as told
    client.inbox();
    client.inbox(); // over the rate: 429 with Retry-After, then retried
    ASSERT_EQ(sleeps.size(), 1u);
    EXPECT_GE(sleeps[0], std::chrono::milliseconds(1000));
}

INSTANTIATE_TEST_SUITE_P(Backends, RelayClientFixture, ::testing::ValuesIn(allBackends()), backendName);
