// The relay API of docs/protocol.md against a real cplink-relay process over mutual TLS, on SQLite
// and on PostgreSQL: authorization, idempotency, the directory, the CRL, admin commands.
#include "RelayFixture.h"
#include "crypto/Digest.h"

using namespace cplink;
using namespace cplink::test;
using nlohmann::json;

namespace {
constexpr char kEnvelopeBytes[] = "0\x80\x01\x02 sealed bytes, never plaintext \0 end";
const std::string kEnvelope(kEnvelopeBytes, sizeof kEnvelopeBytes - 1); // with its NUL, without the last
} // namespace

TEST_P(RelayFixture, AMessageGoesFromSenderToAddresseeOnlyAndIsAcknowledgedOnce) {
    const auto stored = upload(a, kOfficeB, "01JD7QAZ3X4Y5Z6A7B8C9D0E1F", kEnvelope);
    ASSERT_EQ(stored.status, 201) << stored.body;
    const json receipt = json::parse(stored.body);
    EXPECT_EQ(receipt["message_id"], "01JD7QAZ3X4Y5Z6A7B8C9D0E1F");
    EXPECT_EQ(receipt["sha256"], crypto::sha256Hex(kEnvelope));
    EXPECT_GT(receipt["received_at"].get<long long>(), 1'700'000'000);

    const json inbox = inboxOf(b);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0]["message_id"], "01JD7QAZ3X4Y5Z6A7B8C9D0E1F");
    EXPECT_EQ(inbox[0]["from"], kOfficeA);
    EXPECT_EQ(inbox[0]["kind"], "envelope");
    EXPECT_EQ(inbox[0]["size"], kEnvelope.size());
    EXPECT_EQ(inbox[0]["sha256"], crypto::sha256Hex(kEnvelope));

    // The sender and a third office see nothing and can touch nothing.
    EXPECT_TRUE(inboxOf(a).empty());
    EXPECT_TRUE(inboxOf(c).empty());
    for (const auto* other : {&a, &c}) {
        EXPECT_EQ(as(*other, "GET", "/v1/messages/01JD7QAZ3X4Y5Z6A7B8C9D0E1F").status, 404);
        EXPECT_EQ(as(*other, "DELETE", "/v1/messages/01JD7QAZ3X4Y5Z6A7B8C9D0E1F").status, 404);
    }

    const auto download = as(b, "GET", "/v1/messages/01JD7QAZ3X4Y5Z6A7B8C9D0E1F");
    ASSERT_EQ(download.status, 200);
    EXPECT_EQ(download.body, kEnvelope);
    EXPECT_EQ(download.header("content-type"), "application/cms");
    EXPECT_EQ(download.header("x-sender-office"), kOfficeA);
    EXPECT_EQ(download.header("x-content-sha256"), crypto::sha256Hex(kEnvelope));

    EXPECT_EQ(as(b, "DELETE", "/v1/messages/01JD7QAZ3X4Y5Z6A7B8C9D0E1F").status, 204);
    EXPECT_EQ(as(b, "DELETE", "/v1/messages/01JD7QAZ3X4Y5Z6A7B8C9D0E1F").status, 404);
    EXPECT_EQ(as(b, "GET", "/v1/messages/01JD7QAZ3X4Y5Z6A7B8C9D0E1F").status, 404);
    EXPECT_TRUE(inboxOf(b).empty());
}

TEST_P(RelayFixture, TheSenderIsTheCertificateNeverAHeader) {
    ASSERT_EQ(as(a, "POST", "/v1/messages",
                 {{"X-Message-Id", "m1"},
                  {"X-Recipient-Office", kOfficeC},
                  {"X-Sender-Office", kOfficeB},
                  {"From", kOfficeB}},
                 kEnvelope)
                  .status,
              201);
    const json inbox = inboxOf(c);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0]["from"], kOfficeA);
}

TEST_P(RelayFixture, UploadsAreIdempotentPerSenderAndMessageId) {
    const auto first = upload(a, kOfficeB, "same-id", kEnvelope);
    ASSERT_EQ(first.status, 201);
    const auto again = upload(a, kOfficeB, "same-id", kEnvelope);
    ASSERT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body) << "a retry gets the original answer";
    EXPECT_EQ(upload(a, kOfficeB, "same-id", kEnvelope + "x").status, 409);
    EXPECT_EQ(inboxOf(b).size(), 1u);

    // Another sender may use the same id for another recipient; for the same recipient it would be
    // ambiguous while pending.
    EXPECT_EQ(upload(c, kOfficeA, "same-id", kEnvelope).status, 201);
    EXPECT_EQ(upload(c, kOfficeB, "same-id", kEnvelope).status, 409);

    // After delivery a late retry is answered as before and not queued again.
    ASSERT_EQ(as(b, "DELETE", "/v1/messages/same-id").status, 204);
    const auto late = upload(a, kOfficeB, "same-id", kEnvelope);
    ASSERT_EQ(late.status, 201);
    EXPECT_EQ(late.body, first.body);
    EXPECT_TRUE(inboxOf(b).empty());
}

TEST_P(RelayFixture, BadUploadHeadersAreRefusedWithReasons) {
    const auto code = [](const HttpReply& reply) {
        return reply.body.empty() ? std::string("no answer") : json::parse(reply.body).value("error", "");
    };
    auto reply = as(a, "POST", "/v1/messages", {{"X-Recipient-Office", kOfficeB}}, kEnvelope);
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(code(reply), "bad_request");
    EXPECT_EQ(upload(a, kOfficeB, "../../etc/passwd", kEnvelope).status, 400);
    EXPECT_EQ(upload(a, kOfficeB, std::string(65, 'x'), kEnvelope).status, 400);
    EXPECT_EQ(upload(a, "12345", "id1", kEnvelope).status, 400);
    EXPECT_EQ(upload(a, kOfficeA, "id1", kEnvelope).status, 400) << "not to itself";
    EXPECT_EQ(upload(a, kOfficeB, "id1", "").status, 400);
    reply =
        as(a, "POST", "/v1/messages",
           {{"X-Message-Id", "id1"}, {"X-Recipient-Office", kOfficeB}, {"X-Message-Kind", "expiry-notice"}},
           kEnvelope);
    EXPECT_EQ(reply.status, 400) << "only the relay makes notices";
    reply = upload(a, "1399999999", "id1", kEnvelope);
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(code(reply), "unknown_recipient");
    EXPECT_EQ(as(a, "PUT", "/v1/messages/id1").status, 405);
    EXPECT_EQ(as(a, "GET", "/v1/nothing").status, 404);
    EXPECT_EQ(as(a, "GET", "/v1/inbox?limit=abc").status, 400);
    EXPECT_TRUE(inboxOf(b).empty());
}

TEST_P(RelayFixture, ReceiptsTravelAsTheirOwnKind) {
    ASSERT_EQ(
        as(b, "POST", "/v1/messages",
           {{"X-Message-Id", "receipt-1"}, {"X-Recipient-Office", kOfficeA}, {"X-Message-Kind", "receipt"}},
           kEnvelope)
            .status,
        201);
    const json inbox = inboxOf(a);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0]["kind"], "receipt");
    EXPECT_EQ(as(a, "GET", "/v1/messages/receipt-1").header("x-message-kind"), "receipt");
}

TEST_P(RelayFixture, TheInboxIsOldestFirstAndLimited) {
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(upload(a, kOfficeB, "m" + std::to_string(i), kEnvelope + std::to_string(i)).status, 201);
    const json all = inboxOf(b);
    ASSERT_EQ(all.size(), 5u);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(all[static_cast<std::size_t>(i)]["message_id"], "m" + std::to_string(i));
    const auto limited = as(b, "GET", "/v1/inbox?limit=2");
    EXPECT_EQ(json::parse(limited.body)["messages"].size(), 2u);
}

TEST_P(RelayFixture, AdministratorsAddDisableAndEnableOffices) {
    std::string output;
    // Unknown until added (or until it connects).
    EXPECT_EQ(upload(a, "1310000099", "x1", kEnvelope).status, 404);
    ASSERT_EQ(officeCommand("add --office 1310000099 --name 'みどり薬局'", &output), 0) << output;
    EXPECT_EQ(upload(a, "1310000099", "x1", kEnvelope).status, 201);

    ASSERT_EQ(officeCommand("disable --office " + kOfficeB, &output), 0) << output;
    const auto refused = upload(a, kOfficeB, "x2", kEnvelope);
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(json::parse(refused.body)["error"], "recipient_disabled");
    const auto senderRefused = upload(b, kOfficeA, "x3", kEnvelope);
    EXPECT_EQ(senderRefused.status, 403);
    EXPECT_EQ(json::parse(senderRefused.body)["error"], "sender_disabled");
    // A disabled office that connects again stays disabled.
    EXPECT_EQ(upload(a, kOfficeB, "x2", kEnvelope).status, 403);
    ASSERT_EQ(officeCommand("enable --office " + kOfficeB, &output), 0) << output;
    EXPECT_EQ(upload(a, kOfficeB, "x2", kEnvelope).status, 201);

    ASSERT_EQ(officeCommand("list --json", &output), 0) << output;
    const json offices = json::parse(output);
    ASSERT_EQ(offices.size(), 4u);
    EXPECT_NE(output.find("ひまわり訪問介護"), std::string::npos);
    EXPECT_NE(output.find("みどり薬局"), std::string::npos);
    EXPECT_EQ(officeCommand("disable --office 1310000098", &output), 1);
    EXPECT_NE(officeCommand("disable --office 12", &output), 0);
}

TEST_P(RelayFixture, TheDirectoryServesNamesAndCurrentCertificates) {
    const auto reply = as(c, "GET", "/v1/offices/" + kOfficeB);
    ASSERT_EQ(reply.status, 200);
    const json entry = json::parse(reply.body);
    EXPECT_EQ(entry["office"], kOfficeB);
    EXPECT_EQ(entry["name"], "ひまわり訪問介護");
    EXPECT_EQ(entry["enabled"], true);
    ASSERT_EQ(entry["certificates"].size(), 1u);
    EXPECT_EQ(crypto::Certificate::fromPem(entry["certificates"][0].get<std::string>()), b.certificate());

    // A rotated certificate is added; both are current, newest first.
    const auto renewed = network.office(kOfficeB, "ひまわり訪問介護");
    ASSERT_EQ(as(renewed, "GET", "/v1/inbox").status, 200);
    const json rotated = json::parse(as(c, "GET", "/v1/offices/" + kOfficeB).body);
    EXPECT_EQ(rotated["certificates"].size(), 2u);
    EXPECT_EQ(as(c, "GET", "/v1/offices/1399999999").status, 404);
    EXPECT_EQ(as(c, "GET", "/v1/offices/abc").status, 404);
}

TEST_P(RelayFixture, HealthAndMetricsAnswer) {
    ASSERT_EQ(upload(a, kOfficeB, "m1", kEnvelope).status, 201);
    const auto health = as(a, "GET", "/healthz");
    ASSERT_EQ(health.status, 200);
    EXPECT_EQ(json::parse(health.body)["storage"], GetParam() == Backend::Sqlite ? "sqlite" : "postgresql");
    const auto metrics = as(a, "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("cplink_relay_pending_messages 1\n"), std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find("cplink_relay_requests_total{route=\"upload\",status=\"201\"} 1\n"),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("cplink_relay_uploads_total{outcome=\"stored\"} 1\n"), std::string::npos);
    EXPECT_NE(metrics.body.find("cplink_relay_open_connections "), std::string::npos);
    EXPECT_EQ(metrics.body.find(kEnvelope), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, RelayFixture, ::testing::ValuesIn(allBackends()), backendName);
