// The pieces without a network: how libcurl/OpenSSL failures and relay answers are classified, the
// messages users see, the backoff schedule, and the protocol's identifier rules.
#include "net/RelayError.h"

#include "net/FailureClassifier.h"
#include "net/RelayMessages.h"
#include "net/RelayTypes.h"
#include "net/RetryPolicy.h"

#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>
#include <set>

namespace cplink::test {
namespace {

using namespace std::chrono_literals;
using net::RelayErrorCategory;

net::RelayFailure transport(CURLcode code, const std::string& message, long verifyResult = X509_V_OK,
                            bool ownExpired = false) {
    net::TransportFailure failure;
    failure.code = code;
    failure.message = message;
    failure.verifyResult = verifyResult;
    return net::classifyTransportFailure(failure, ownExpired);
}

net::RelayFailure http(long status, const std::string& body,
                       std::map<std::string, std::string> headers = {}) {
    net::HttpResponse response;
    response.status = status;
    response.body = body;
    response.headers = std::move(headers);
    return net::classifyHttpFailure(response);
}

TEST(FailureClassifierTest, ConnectionProblems) {
    EXPECT_EQ(transport(CURLE_COULDNT_RESOLVE_HOST, "Could not resolve host: relay").category,
              RelayErrorCategory::Offline);
    EXPECT_EQ(transport(CURLE_COULDNT_CONNECT, "Failed to connect to 127.0.0.1 port 1").category,
              RelayErrorCategory::Offline);
    EXPECT_EQ(transport(CURLE_OPERATION_TIMEDOUT, "Operation timed out").category,
              RelayErrorCategory::Timeout);
    EXPECT_EQ(transport(CURLE_GOT_NOTHING, "Empty reply from server").category,
              RelayErrorCategory::ConnectionLost);
    EXPECT_EQ(transport(CURLE_RECV_ERROR, "Connection reset by peer").category,
              RelayErrorCategory::ConnectionLost);
    EXPECT_EQ(transport(CURLE_URL_MALFORMAT, "bad URL").category, RelayErrorCategory::Internal);
}

TEST(FailureClassifierTest, RelayRefusingOurCertificateUnderTls13) {
    // The alert arrives after the handshake, on the first read.
    EXPECT_EQ(transport(CURLE_RECV_ERROR,
                        "OpenSSL SSL_read: error:0A000418:SSL routines::tlsv1 alert unknown ca, errno 0")
                  .category,
              RelayErrorCategory::ClientCertificateRejected);
    EXPECT_EQ(transport(CURLE_RECV_ERROR,
                        "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required")
                  .category,
              RelayErrorCategory::ClientCertificateRejected);
    EXPECT_EQ(
        transport(CURLE_RECV_ERROR, "error:0A000414:SSL routines::sslv3 alert certificate revoked").category,
        RelayErrorCategory::ClientCertificateRejected);
    EXPECT_EQ(
        transport(CURLE_RECV_ERROR, "error:0A000415:SSL routines::sslv3 alert certificate expired").category,
        RelayErrorCategory::ClientCertificateExpired);
    // A refusal of a certificate that our own clock calls expired is an expiry.
    EXPECT_EQ(transport(CURLE_RECV_ERROR, "sslv3 alert bad certificate", X509_V_OK, true).category,
              RelayErrorCategory::ClientCertificateExpired);
    // The relay closed before its alert was read: only our clock can tell.
    EXPECT_EQ(transport(CURLE_SEND_ERROR, "Connection reset by peer", X509_V_OK, true).category,
              RelayErrorCategory::ClientCertificateExpired);
}

TEST(FailureClassifierTest, Tls12CertificateErrorsAreToldApart) {
    // libcurl's wording when the relay's alert ends a TLS 1.2 handshake whose server chain verified.
    EXPECT_EQ(transport(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate verification failed").category,
              RelayErrorCategory::ClientCertificateRejected);
    EXPECT_EQ(
        transport(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate verification failed", X509_V_OK, true)
            .category,
        RelayErrorCategory::ClientCertificateExpired);
    // libcurl leaves the verify result at its initial "unspecified" on that path.
    EXPECT_EQ(transport(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate verification failed",
                        X509_V_ERR_UNSPECIFIED, true)
                  .category,
              RelayErrorCategory::ClientCertificateExpired);
    const net::RelayFailure untrusted = transport(
        CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: unable to get local issuer certificate",
        X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    EXPECT_EQ(untrusted.category, RelayErrorCategory::ServerCertificateUntrusted);
    // Our certificate being expired does not make the relay's chain trustworthy.
    EXPECT_EQ(transport(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: certificate has expired",
                        X509_V_ERR_CERT_HAS_EXPIRED, true)
                  .category,
              RelayErrorCategory::ServerCertificateUntrusted);
    EXPECT_EQ(transport(CURLE_PEER_FAILED_VERIFICATION,
                        "SSL: no alternative certificate subject name matches target host name '127.0.0.1'")
                  .category,
              RelayErrorCategory::ServerNameMismatch);
}

TEST(FailureClassifierTest, TooLargeAnswerIsAProtocolError) {
    net::TransportFailure failure;
    failure.code = CURLE_WRITE_ERROR;
    failure.responseTooLarge = true;
    EXPECT_EQ(net::classifyTransportFailure(failure, false).category, RelayErrorCategory::ProtocolError);
}

TEST(FailureClassifierTest, HttpAnswersByCodeThenStatus) {
    const net::RelayFailure conflict = http(409, R"({"error":"conflict","message":"id taken"})");
    EXPECT_EQ(conflict.category, RelayErrorCategory::Conflict);
    EXPECT_EQ(conflict.httpStatus, 409);
    EXPECT_EQ(conflict.serverCode, "conflict");
    EXPECT_EQ(conflict.detail, "id taken");
    EXPECT_EQ(http(404, R"({"error":"unknown_recipient"})").category, RelayErrorCategory::UnknownRecipient);
    EXPECT_EQ(http(404, R"({"error":"not_found"})").category, RelayErrorCategory::NotFound);
    EXPECT_EQ(http(404, "").category, RelayErrorCategory::NotFound);
    EXPECT_EQ(http(403, R"({"error":"recipient_disabled"})").category, RelayErrorCategory::RecipientDisabled);
    EXPECT_EQ(http(403, R"({"error":"sender_disabled"})").category, RelayErrorCategory::SenderDisabled);
    EXPECT_EQ(http(413, "<html>nginx</html>").category, RelayErrorCategory::TooLarge);
    EXPECT_EQ(http(431, "").category, RelayErrorCategory::BadRequest);
    EXPECT_EQ(http(503, R"({"error":"unavailable"})").category, RelayErrorCategory::Unavailable);
    EXPECT_EQ(http(500, R"({"error":"internal"})").category, RelayErrorCategory::ServerError);
    EXPECT_EQ(http(502, "Bad Gateway").category, RelayErrorCategory::ServerError);
    EXPECT_EQ(http(302, "").category, RelayErrorCategory::ProtocolError);

    const net::RelayFailure limited = http(429, R"({"error":"rate_limited"})", {{"retry-after", "12"}});
    EXPECT_EQ(limited.category, RelayErrorCategory::RateLimited);
    EXPECT_EQ(limited.retryAfter, 12s);
    EXPECT_EQ(http(500, std::string(10000, 'x')).detail, "HTTP status 500"); // bodies are not copied
}

TEST(FailureClassifierTest, RetryAfterIsDeltaSeconds) {
    EXPECT_EQ(net::parseRetryAfter("0"), 0s);
    EXPECT_EQ(net::parseRetryAfter(" 30 "), 30s);
    EXPECT_EQ(net::parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT"), std::nullopt);
    EXPECT_EQ(net::parseRetryAfter("-5"), std::nullopt);
    EXPECT_EQ(net::parseRetryAfter(""), std::nullopt);
}

TEST(RelayErrorTest, TransientCategories) {
    const std::set<RelayErrorCategory> transient = {
        RelayErrorCategory::Offline,     RelayErrorCategory::Timeout,     RelayErrorCategory::ConnectionLost,
        RelayErrorCategory::RateLimited, RelayErrorCategory::Unavailable, RelayErrorCategory::ServerError};
    for (const RelayErrorCategory category : net::kAllRelayErrorCategories)
        EXPECT_EQ(net::isTransient(category), transient.count(category) == 1) << net::toString(category);
}

TEST(RelayErrorTest, EveryCategoryHasAMessageInJapaneseAndEnglish) {
    std::set<std::string> seen;
    for (const RelayErrorCategory category : net::kAllRelayErrorCategories) {
        const net::RelayError error(net::RelayFailure{category, 0, "", "detail", {}}, "GET /healthz", 1);
        const std::string ja = error.userMessage();
        const std::string en = error.userMessage(net::Language::En);
        EXPECT_FALSE(ja.empty()) << net::toString(category);
        EXPECT_FALSE(en.empty()) << net::toString(category);
        EXPECT_NE(ja.find("。"), std::string::npos) << net::toString(category); // Japanese sentences
        EXPECT_EQ(en.find("。"), std::string::npos) << net::toString(category);
        EXPECT_TRUE(seen.insert(ja).second) << "same text as another category: " << net::toString(category);
        EXPECT_STRNE(net::toString(category), "unknown");
    }
    EXPECT_EQ(net::userMessage(RelayErrorCategory::Offline, net::Language::Ja),
              "中継サーバーに接続できません。インターネット接続を確認してください。送受信は後で自動的に"
              "再試行されます。");
}

TEST(RelayErrorTest, WhatIsATechnicalLine) {
    const net::RelayError error(
        net::RelayFailure{RelayErrorCategory::Unavailable, 503, "unavailable", "storage down", std::nullopt},
        "POST /v1/messages", 4);
    EXPECT_STREQ(error.what(),
                 "POST /v1/messages: unavailable (HTTP 503 unavailable) after 4 attempts: storage down");
    EXPECT_TRUE(error.transient());
}

TEST(RetryPolicyTest, ExponentialBackoffCappedAndJittered) {
    net::RetryPolicy policy;
    policy.baseDelay = 500ms;
    policy.maxDelay = 5000ms;
    policy.jitter = 0;
    EXPECT_EQ(net::backoffDelay(policy, 1, 0.9), 500ms);
    EXPECT_EQ(net::backoffDelay(policy, 2, 0.9), 1000ms);
    EXPECT_EQ(net::backoffDelay(policy, 4, 0.9), 4000ms);
    EXPECT_EQ(net::backoffDelay(policy, 5, 0.9), 5000ms);
    EXPECT_EQ(net::backoffDelay(policy, 500, 0.9), 5000ms); // no overflow
    policy.jitter = 0.5;
    EXPECT_EQ(net::backoffDelay(policy, 1, 0.0), 500ms);
    EXPECT_EQ(net::backoffDelay(policy, 1, 1.0), 250ms);
    EXPECT_EQ(net::backoffDelay(policy, 2, 0.5), 750ms);
}

TEST(RelayTypesTest, IdentifierRules) {
    EXPECT_TRUE(net::isValidMessageId("03C0BDFWJYQY81RYKCDKTA8RWC"));
    EXPECT_TRUE(net::isValidMessageId("expired.17"));
    EXPECT_TRUE(net::isValidMessageId(std::string(64, 'a')));
    EXPECT_FALSE(net::isValidMessageId(std::string(65, 'a')));
    EXPECT_FALSE(net::isValidMessageId(""));
    EXPECT_FALSE(net::isValidMessageId(".."));
    EXPECT_FALSE(net::isValidMessageId("a/b"));
    EXPECT_FALSE(net::isValidMessageId("a?b"));
    EXPECT_TRUE(net::isValidOfficeNumber("0300000100"));
    EXPECT_FALSE(net::isValidOfficeNumber("030000010"));
    EXPECT_FALSE(net::isValidOfficeNumber("030000010X"));
    EXPECT_EQ(net::parseMessageKind("expiry-notice"), net::MessageKind::ExpiryNotice);
    EXPECT_EQ(net::parseMessageKind("receipt"), net::MessageKind::Receipt);
    EXPECT_EQ(net::parseMessageKind("future-kind"), net::MessageKind::Unknown);
}

} // namespace
} // namespace cplink::test
