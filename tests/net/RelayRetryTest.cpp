// Retries: transient failures are retried with backoff, each time with the identical request; other
// failures are reported at once.
#include "RelayTestFixture.h"
#include "crypto/Digest.h"

#include <set>

namespace cplink::test {
namespace {

using namespace std::chrono_literals;
using net::MessageKind;
using net::RelayErrorCategory;
using nlohmann::json;

const std::string kEnvelope = std::string("\x30\x80 envelope \0 bytes\r\n", 22) + std::string(5000, 'e');

json onUpload(json rule) {
    rule["method"] = "POST";
    rule["path"] = "/v1/messages";
    return rule;
}

class RelayRetryTest : public RelayTest {
protected:
    void SetUp() override { startRelay(knowingRecipient()); }
};

TEST_F(RelayRetryTest, UploadSurvivesADroppedConnection503And502WithTheSameRequest) {
    // The dropped connection comes first, on a fresh connection: when a *reused* keep-alive connection
    // dies without an answer, libcurl itself resends once on a new one (the same bytes and id too),
    // which would hide one of our retries from the sleeper count.
    relay().setFaults({onUpload({{"close", true}}), onUpload({{"status", 503}, {"error", "unavailable"}}),
                       onUpload({{"status", 502}})});

    const net::UploadReceipt receipt =
        client(sakura).upload(kHimawari, "RETRY-1", MessageKind::Envelope, kEnvelope);
    EXPECT_EQ(receipt.sha256, crypto::sha256Hex(kEnvelope));

    const auto posts = relay().requests("POST", "/v1/messages");
    ASSERT_EQ(posts.size(), 4u);
    for (const RecordedRequest& post : posts) {
        EXPECT_EQ(post.header("x-message-id"), "RETRY-1"); // never a new id (LESSONS.md)
        EXPECT_EQ(post.header("x-recipient-office"), kHimawari);
        EXPECT_EQ(post.bodySize, kEnvelope.size());
        EXPECT_EQ(post.bodySha256, crypto::sha256Hex(kEnvelope));
    }
    EXPECT_EQ(sleeps, (std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms}));
    EXPECT_EQ(client(himawari).inbox().size(), 1u); // stored once
}

TEST_F(RelayRetryTest, RateLimitHonoursRetryAfter) {
    relay().setFaults(
        {{{"path", "/v1/inbox?limit=1000"}, {"status", 429}, {"error", "rate_limited"}, {"retry_after", 7}}});
    EXPECT_TRUE(client(himawari).inbox().empty());
    EXPECT_EQ(sleeps, std::vector<std::chrono::milliseconds>{7000ms});
    EXPECT_EQ(relay().requests("GET", "/v1/inbox?limit=1000").size(), 2u);
}

TEST_F(RelayRetryTest, ARetryAfterLongerThanThePolicyAllowsGoesToTheCaller) {
    relay().setFaults(
        {{{"path", "/healthz"}, {"status", 429}, {"error", "rate_limited"}, {"retry_after", 3600}}});
    const net::RelayError error = relayErrorOf([&] { client(sakura).health(); });
    EXPECT_EQ(error.category(), RelayErrorCategory::RateLimited);
    EXPECT_TRUE(error.transient());
    EXPECT_EQ(error.retryAfter(), std::chrono::seconds(3600));
    EXPECT_EQ(error.attempts(), 1);
    EXPECT_TRUE(sleeps.empty());
}

TEST_F(RelayRetryTest, GivesUpAfterMaxAttemptsAndReportsTheLastFailure) {
    relay().setFaults({onUpload({{"status", 503}, {"error", "unavailable"}, {"times", 0}})});
    std::vector<std::string> log;
    net::RelayClientConfig settings = config();
    settings.log = [&](std::string_view line) {
        log.emplace_back(line);
    };
    net::RelayClient sender(settings, sakura);

    const net::RelayError error =
        relayErrorOf([&] { sender.upload(kHimawari, "GIVEUP-1", MessageKind::Envelope, kEnvelope); });
    EXPECT_EQ(error.category(), RelayErrorCategory::Unavailable);
    EXPECT_TRUE(error.transient());
    EXPECT_EQ(error.attempts(), 4);
    EXPECT_EQ(error.httpStatus(), 503);
    EXPECT_EQ(error.serverCode(), "unavailable");
    EXPECT_EQ(error.operation(), "POST /v1/messages");
    EXPECT_NE(std::string(error.what()).find("after 4 attempts"), std::string::npos);
    EXPECT_EQ(relay().requests("POST", "/v1/messages").size(), 4u);
    EXPECT_EQ(sleeps.size(), 3u);

    ASSERT_EQ(log.size(), 3u); // one line per retried attempt, metadata only
    EXPECT_NE(log[0].find("retrying in 100 ms"), std::string::npos);
    for (const std::string& line : log)
        EXPECT_EQ(line.find("envelope"), std::string::npos); // no body text
}

TEST_F(RelayRetryTest, ServerErrorsAndTimeoutsAreRetriedToo) {
    relay().setFaults({{{"path", "/v1/offices/0300000005"}, {"status", 500}, {"error", "internal"}},
                       {{"path", "/v1/offices/0300000005"}, {"sleep", 15}}});
    net::RelayClientConfig settings = config();
    settings.connection.requestTimeout = 3000ms; // the relay sleeps 15 s on the second request
    const net::OfficeEntry entry = net::RelayClient(settings, sakura).office(kHimawari);
    EXPECT_EQ(entry.office, kHimawari);
    EXPECT_EQ(relay().requests("GET", "/v1/offices/0300000005").size(), 3u);
    EXPECT_EQ(sleeps.size(), 2u);
}

TEST_F(RelayRetryTest, StalledRelayIsATimeout) {
    relay().setFaults({{{"path", "/healthz"}, {"sleep", 15}}});
    net::RelayClientConfig settings = config();
    settings.connection.requestTimeout = 2000ms;
    settings.retry.maxAttempts = 1;
    const net::RelayError error = relayErrorOf([&] { net::RelayClient(settings, sakura).health(); });
    EXPECT_EQ(error.category(), RelayErrorCategory::Timeout);
    EXPECT_TRUE(error.transient());
    EXPECT_EQ(error.httpStatus(), 0);
}

TEST_F(RelayRetryTest, StalledTransferEndsByTheLowSpeedLimitLongBeforeTheRequestTimeout) {
    relay().setFaults({{{"path", "/healthz"}, {"sleep", 15}}});
    net::RelayClientConfig settings = config();
    settings.connection.requestTimeout = 60000ms;
    settings.connection.lowSpeedBytesPerSecond = 1000;
    settings.connection.lowSpeedTime = std::chrono::seconds(2);
    settings.retry.maxAttempts = 1;
    const auto started = std::chrono::steady_clock::now();
    const net::RelayError error = relayErrorOf([&] { net::RelayClient(settings, sakura).health(); });
    EXPECT_EQ(error.category(), RelayErrorCategory::Timeout) << error.what();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(14));
}

TEST_F(RelayRetryTest, DroppedOrTruncatedAnswersAreConnectionLost) {
    relay().setFaults(
        {{{"path", "/healthz"}, {"close", true}}, {{"path", "/v1/inbox?limit=1000"}, {"truncate", true}}});
    net::RelayClientConfig settings = config();
    settings.retry.maxAttempts = 1;
    net::RelayClient sender(settings, sakura);
    const net::RelayError dropped = relayErrorOf([&] { sender.health(); });
    EXPECT_EQ(dropped.category(), RelayErrorCategory::ConnectionLost);
    EXPECT_TRUE(dropped.transient());
    EXPECT_EQ(relayErrorOf([&] { sender.inbox(); }).category(), RelayErrorCategory::ConnectionLost);
    EXPECT_EQ(sender.health().status, "ok"); // and the client recovers on a new connection
}

TEST_F(RelayRetryTest, DownloadAndAcknowledgeRetryAsWell) {
    client(sakura).upload(kHimawari, "DL-1", MessageKind::Envelope, kEnvelope);
    relay().setFaults({{{"method", "GET"}, {"path", "/v1/messages/DL-1"}, {"close", true}},
                       {{"method", "DELETE"}, {"path", "/v1/messages/DL-1"}, {"status", 503}}});
    net::RelayClient recipient = client(himawari);
    EXPECT_EQ(recipient.download("DL-1").bytes, kEnvelope);
    EXPECT_TRUE(recipient.acknowledge("DL-1"));
    EXPECT_EQ(relay().requests("GET", "/v1/messages/DL-1").size(), 2u);
    EXPECT_EQ(relay().requests("DELETE", "/v1/messages/DL-1").size(), 2u);
}

TEST_F(RelayRetryTest, JitterKeepsDelaysWithinTheBackoffWindow) {
    relay().setFaults({onUpload({{"status", 503}, {"times", 0}})});
    net::RelayClientConfig settings = config();
    settings.retry.maxAttempts = 6;
    settings.retry.jitter = 0.5;
    relayErrorOf(
        [&] { net::RelayClient(settings, sakura).upload(kHimawari, "J-1", MessageKind::Envelope, "x"); });
    const std::vector<std::chrono::milliseconds> ceilings{100ms, 200ms, 400ms, 800ms, 1000ms};
    ASSERT_EQ(sleeps.size(), ceilings.size());
    for (std::size_t i = 0; i < sleeps.size(); ++i) {
        EXPECT_LE(sleeps[i], ceilings[i]);
        EXPECT_GE(sleeps[i], ceilings[i] / 2);
    }
}

struct PermanentCase {
    int status;
    std::string code;
    RelayErrorCategory category;
};

class RelayPermanentFailureTest : public RelayRetryTest,
                                  public ::testing::WithParamInterface<PermanentCase> {};

TEST_P(RelayPermanentFailureTest, IsReportedAtOnceWithoutRetry) {
    const PermanentCase& c = GetParam();
    relay().setFaults({onUpload({{"status", c.status}, {"error", c.code}, {"times", 0}})});
    const net::RelayError error =
        relayErrorOf([&] { client(sakura).upload(kHimawari, "PERM-1", MessageKind::Envelope, kEnvelope); });
    EXPECT_EQ(error.category(), c.category) << error.what() << "\n" << relay().diagnostics();
    EXPECT_EQ(error.httpStatus(), c.status);
    EXPECT_EQ(error.serverCode(), c.code);
    EXPECT_FALSE(error.transient());
    EXPECT_EQ(error.attempts(), 1);
    EXPECT_EQ(relay().requests("POST", "/v1/messages").size(), 1u);
    EXPECT_TRUE(sleeps.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, RelayPermanentFailureTest,
    ::testing::Values(PermanentCase{409, "conflict", RelayErrorCategory::Conflict},
                      PermanentCase{404, "unknown_recipient", RelayErrorCategory::UnknownRecipient},
                      PermanentCase{404, "not_found", RelayErrorCategory::NotFound},
                      PermanentCase{400, "bad_request", RelayErrorCategory::BadRequest},
                      PermanentCase{411, "length_required", RelayErrorCategory::BadRequest},
                      PermanentCase{413, "too_large", RelayErrorCategory::TooLarge},
                      PermanentCase{403, "recipient_disabled", RelayErrorCategory::RecipientDisabled},
                      PermanentCase{403, "sender_disabled", RelayErrorCategory::SenderDisabled}),
    [](const ::testing::TestParamInfo<PermanentCase>& param) {
        return std::to_string(param.param.status) + "_" + param.param.code;
    });

} // namespace
} // namespace cplink::test
