#include "net/FailureClassifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <openssl/x509_vfy.h>

namespace cplink::net {

namespace {

constexpr std::size_t kMaxServerMessage = 300; // of the relay's error text kept in detail

std::string lowerCase(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return lower;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// TLS alerts the relay sends when it refuses a client certificate. OpenSSL prints them as
// "sslv3 alert certificate expired", "tlsv1 alert unknown ca", "tlsv13 alert certificate required".
enum class CertificateAlert { None, Expired, Refused };

CertificateAlert certificateAlert(const std::string& lowerText) {
    if (!contains(lowerText, "alert "))
        return CertificateAlert::None;
    if (contains(lowerText, "alert certificate expired"))
        return CertificateAlert::Expired;
    constexpr std::array kRefusals = {"alert unknown ca",          "alert bad certificate",
                                      "alert certificate revoked", "alert certificate required",
                                      "alert certificate unknown", "alert unsupported certificate",
                                      "alert access denied"};
    for (const char* refusal : kRefusals) {
        if (contains(lowerText, refusal))
            return CertificateAlert::Refused;
    }
    return CertificateAlert::None;
}

RelayFailure refusedOurCertificate(bool expired, std::string detail) {
    return localFailure(expired ? RelayErrorCategory::ClientCertificateExpired
                                : RelayErrorCategory::ClientCertificateRejected,
                        std::move(detail));
}

RelayErrorCategory categoryOf(long status, const std::string& code) {
    if (code == "conflict" || status == 409)
        return RelayErrorCategory::Conflict;
    if (code == "unknown_recipient")
        return RelayErrorCategory::UnknownRecipient;
    if (code == "recipient_disabled")
        return RelayErrorCategory::RecipientDisabled;
    if (code == "sender_disabled")
        return RelayErrorCategory::SenderDisabled;
    if (code == "too_large" || status == 413)
        return RelayErrorCategory::TooLarge;
    if (code == "rate_limited" || status == 429)
        return RelayErrorCategory::RateLimited;
    if (code == "not_found" || status == 404)
        return RelayErrorCategory::NotFound;
    if (code == "unavailable" || status == 503)
        return RelayErrorCategory::Unavailable;
    if (status >= 500 && status <= 599)
        return RelayErrorCategory::ServerError;
    if (status >= 400 && status <= 499)
        return RelayErrorCategory::BadRequest;
    return RelayErrorCategory::ProtocolError; // 1xx/2xx/3xx the call did not expect
}

} // namespace

RelayFailure classifyTransportFailure(const TransportFailure& transport, bool ownCertificateExpired) {
    const std::string& detail = transport.message;
    const std::string lower = lowerCase(detail);
    switch (transport.code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return localFailure(RelayErrorCategory::Offline, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return localFailure(RelayErrorCategory::Timeout, detail);
    case CURLE_WRITE_ERROR:
        if (transport.responseTooLarge)
            return localFailure(RelayErrorCategory::ProtocolError,
                                "answer larger than the configured maximum");
        return localFailure(RelayErrorCategory::Internal, detail);
    default:
        break;
    }

    switch (certificateAlert(lower)) {
    case CertificateAlert::Expired:
        return refusedOurCertificate(true, detail);
    case CertificateAlert::Refused:
        return refusedOurCertificate(ownCertificateExpired, detail);
    case CertificateAlert::None:
        break;
    }

    switch (transport.code) {
    case CURLE_PEER_FAILED_VERIFICATION:
        if (contains(lower, "host name") || contains(lower, "subject name"))
            return localFailure(RelayErrorCategory::ServerNameMismatch, detail);
        // libcurl says "SSL certificate problem: <OpenSSL's reason>" when the relay's chain failed. Its
        // bare "SSL certificate verification failed" (the relay's chain having passed) is how an alert
        // about our certificate during a TLS 1.2 handshake comes out; CURLINFO_SSL_VERIFYRESULT is
        // not set on that path, so the wording is all there is.
        if (!contains(lower, "certificate problem") &&
            (transport.verifyResult == X509_V_OK || lower == "ssl certificate verification failed"))
            return refusedOurCertificate(ownCertificateExpired, detail);
        return localFailure(RelayErrorCategory::ServerCertificateUntrusted, detail);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        // A relay that drops an expired client may close before its alert is read.
        if (ownCertificateExpired)
            return refusedOurCertificate(true, detail);
        return localFailure(RelayErrorCategory::ConnectionLost, detail);
    default:
        return localFailure(RelayErrorCategory::Internal, detail);
    }
}

RelayFailure classifyHttpFailure(const HttpResponse& response) {
    RelayFailure result;
    result.httpStatus = static_cast<int>(response.status);
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object()) {
        if (const auto code = body.find("error"); code != body.end() && code->is_string())
            result.serverCode = code->get<std::string>();
        if (const auto message = body.find("message"); message != body.end() && message->is_string())
            result.detail = message->get<std::string>().substr(0, kMaxServerMessage);
    }
    if (result.detail.empty())
        result.detail = "HTTP status " + std::to_string(response.status);
    if (const auto retryAfter = response.header("retry-after"))
        result.retryAfter = parseRetryAfter(*retryAfter);
    result.category = categoryOf(response.status, result.serverCode);
    return result;
}

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value) {
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
    long long seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size() || value.empty() || seconds < 0)
        return std::nullopt;
    return std::chrono::seconds(seconds);
}

} // namespace cplink::net
