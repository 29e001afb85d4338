// Limits and hostile input: each limit answers with its status, slow and idle connections are cut,
// malformed HTTP gets 400, and nothing stops the relay from serving the next request.
#include "RelayFixture.h"

#include <random>
#include <thread>

using namespace cplink;
using namespace cplink::test;

namespace {

std::string statusLineOf(const std::string& raw) {
    return raw.substr(0, raw.find("\r\n"));
}

} // namespace

class RelayLimits : public RelayFixture {
protected:
    std::unique_ptr<TlsTestClient> open(const crypto::Identity& who) {
        auto client = std::make_unique<TlsTestClient>(
            relay->port(), &who, std::vector{crypto::Certificate::load(network.caFile())});
        EXPECT_TRUE(client->connect()) << client->error();
        return client;
    }
};

TEST_P(RelayLimits, BodiesOverTheLimitAre413AndNotStored) {
    startRelay({"--max-body", "1000"});
    EXPECT_EQ(upload(a, kOfficeB, "small", std::string(1000, 'x')).status, 201);
    const auto big = upload(a, kOfficeB, "big", std::string(1001, 'x'));
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(nlohmann::json::parse(big.body)["error"], "too_large");
    // Chunked bodies have no length up front: the limit applies while reading.
    auto client = open(a);
    const std::string chunked = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nX-Message-Id: chunky\r\n"
                                "X-Recipient-Office: " +
                                kOfficeB + "\r\nTransfer-Encoding: chunked\r\n\r\n" + "5dc\r\n" +
                                std::string(1500, 'y') + "\r\n0\r\n\r\n";
    EXPECT_EQ(statusLineOf(client->raw(chunked)), "HTTP/1.1 413 Payload Too Large");
    EXPECT_EQ(inboxOf(b).size(), 1u);
}

TEST_P(RelayLimits, APostWithoutLengthIs411AndHugeHeadersAre431) {
    auto client = open(a);
    EXPECT_EQ(statusLineOf(client->raw("POST /v1/messages HTTP/1.1\r\nHost: x\r\nX-Message-Id: n\r\n\r\n")),
              "HTTP/1.1 411 Length Required");
    auto second = open(a);
    const std::string huge =
        "GET /v1/inbox HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(9000, 'p') + "\r\n\r\n";
    EXPECT_EQ(statusLineOf(second->raw(huge)), "HTTP/1.1 431 Request Header Fields Too Large");
    EXPECT_EQ(as(a, "GET", "/v1/inbox").status, 200);
}

TEST_P(RelayLimits, AnOfficeOverItsRateGets429WithRetryAfter) {
    startRelay({"--rate", "1", "--burst", "3"});
    auto client = open(a);
    int limited = 0;
    std::string retryAfter;
    for (int i = 0; i < 6; ++i) {
        const auto reply = client->request("GET", "/v1/inbox");
        ASSERT_TRUE(reply) << client->error();
        if (reply->status == 429) {
            ++limited;
            retryAfter = reply->header("retry-after");
        }
    }
    EXPECT_GE(limited, 2);
    EXPECT_EQ(retryAfter, "1");
    // Other offices have their own bucket.
    EXPECT_EQ(as(b, "GET", "/v1/inbox").status, 200);
}

TEST_P(RelayLimits, IdleAndSlowConnectionsAreClosed) {
    startRelay({"--idle-timeout", "1", "--header-timeout", "1"});
    auto idle = open(a);
    ASSERT_TRUE(idle->request("GET", "/v1/inbox"));
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(idle->raw("", 10'000), "") << "the relay should close an idle connection";
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));

    auto slow = open(a);
    EXPECT_EQ(slow->raw("GET /v1/inbox HTTP/1.1\r\nHost: x\r\n", 10'000), "")
        << "half a header must not hold on";
    EXPECT_EQ(as(a, "GET", "/v1/inbox").status, 200);
}

// The socket's deadline is only written down when it moves later (TlsSocket::expires_after): the wait
// armed for the first request's header ends early, finds a later deadline in force, and waits again.
// The connection must outlive that first deadline, and still end at the idle one.
TEST_P(RelayLimits, AKeptAliveConnectionOutlivesItsEarlierDeadlines) {
    startRelay({"--header-timeout", "0.4", "--idle-timeout", "1.5"});
    auto client = open(a);
    ASSERT_TRUE(client->request("GET", "/v1/inbox")) << client->error();
    std::this_thread::sleep_for(std::chrono::milliseconds(800)); // past the header deadline
    const auto again = client->request("GET", "/v1/inbox");
    ASSERT_TRUE(again) << "closed at a deadline that had moved on: " << client->error();
    EXPECT_EQ(again->status, 200);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(client->raw("", 10'000), "") << "the idle deadline still ends the connection";
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GT(waited, std::chrono::milliseconds(1000)) << "closed before the idle timeout";
    EXPECT_LT(waited, std::chrono::seconds(8));
}

// HTTP/1.1 pipelining: requests sent back to back, before any answer. After each answer the relay waits
// for the socket before reading again (TlsSocket::waitBeforeNextRead); the next request may already
// be in Beast's buffer, in OpenSSL's (read ahead with the upload's body) or on the socket, and each
// must be answered, in order, without waiting for more bytes.
TEST_P(RelayLimits, PipelinedRequestsAreAllAnsweredInOrder) {
    startRelay();
    const std::string body(20480, 'p');
    // Each request its own write, so its own TLS records: the two GETs arrive as records that OpenSSL
    // reads ahead with the end of the upload's body but hands out one at a time.
    const std::vector<std::string> pipelined = {
        "POST /v1/messages HTTP/1.1\r\nHost: relay\r\nX-Message-Id: piped-1\r\nX-Recipient-Office: " +
            kOfficeB + "\r\nContent-Type: application/cms\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body,
        "GET /v1/inbox HTTP/1.1\r\nHost: relay\r\n\r\n",
        "GET /v1/offices/" + kOfficeB + " HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n"};
    auto client = open(a);
    const auto started = std::chrono::steady_clock::now();
    const std::string answers = client->raw(pipelined, 10'000);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5))
        << "the relay waited for bytes it already had";
    std::vector<std::string> statuses;
    for (std::size_t at = answers.find("HTTP/1.1 "); at != std::string::npos;
         at = answers.find("HTTP/1.1 ", at + 1))
        statuses.push_back(answers.substr(at, 12));
    EXPECT_EQ(statuses, (std::vector<std::string>{"HTTP/1.1 201", "HTTP/1.1 200", "HTTP/1.1 200"}))
        << answers;
    EXPECT_EQ(inboxOf(b).size(), 1u);
}

TEST_P(RelayLimits, MalformedRequestsGet400AndTheRelayStaysUp) {
    const std::vector<std::string> hostile = {
        "GARBAGE\r\n\r\n",
        "GET / HTTP/9.9\r\n\r\n",
        "GET /v1/inbox HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET /v1/inbox HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
        std::string("GET /v1/\0inbox HTTP/1.1\r\n\r\n", 28),
        "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
    };
    for (const auto& request : hostile) {
        auto client = open(a);
        const std::string answer = client->raw(request);
        const std::string status = statusLineOf(answer);
        EXPECT_TRUE(status.rfind("HTTP/1.1 4", 0) == 0 || answer.empty())
            << "request " << request.substr(0, 60) << " answered " << status;
        EXPECT_TRUE(relay->running());
    }
    EXPECT_EQ(as(a, "GET", "/v1/inbox").status, 200);
}

TEST_P(RelayLimits, RandomlyMutatedRequestsNeverCrashOrHangTheRelay) {
    // Short timeouts, so that a cut-off request costs a fraction of a second, not the default 10 s.
    startRelay({"--header-timeout", "0.2", "--body-timeout", "0.2"});
    // A property test: 100 mutations (byte flips, cuts, duplications) of valid requests, each on its own
    // connection; every answer is a well-formed HTTP status or a closed connection, and afterwards
    // the relay still serves.
    const std::vector<std::string> seeds = {
        "POST /v1/messages HTTP/1.1\r\nHost: relay\r\nX-Message-Id: fuzz-1\r\nX-Recipient-Office: " +
            kOfficeB + "\r\nContent-Length: 10\r\n\r\n0123456789",
        "GET /v1/inbox?limit=5 HTTP/1.1\r\nHost: relay\r\n\r\n",
        "DELETE /v1/messages/fuzz-1 HTTP/1.1\r\nHost: relay\r\n\r\n",
        "GET /v1/offices/" + kOfficeB + " HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n",
    };
    std::mt19937 random(20261125);
    for (int i = 0; i < 100; ++i) {
        std::string request = seeds[random() % seeds.size()];
        const int edits = 1 + static_cast<int>(random() % 4);
        for (int e = 0; e < edits && !request.empty(); ++e) {
            const std::size_t at = random() % request.size();
            switch (random() % 4) {
            case 0:
                request[at] = static_cast<char>(random() % 256);
                break;
            case 1:
                request.erase(at, 1 + random() % 8);
                break;
            case 2:
                request.insert(at, request.substr(at, 1 + random() % 16));
                break;
            default:
                request.resize(at);
                break;
            }
        }
        auto client = open(a);
        const std::string answer = client->raw(request, 3000);
        if (!answer.empty()) {
            EXPECT_EQ(answer.rfind("HTTP/1.1 ", 0), 0u)
                << "mutation " << i << " answered: " << answer.substr(0, 80);
        }
        ASSERT_TRUE(relay->running()) << "mutation " << i << " killed the relay:\n" << relay->log();
    }
    EXPECT_EQ(as(a, "GET", "/v1/inbox").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RelayLimits, ::testing::Values(Backend::Sqlite), backendName);
