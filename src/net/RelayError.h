#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cplink::net {

// Why a relay call failed, typed so the exchange engine can decide (retry later, mark the message
// failed, ask an admin) and the GUI can say what to do. Transport and TLS failures come first, then
// the relay's own answers (docs/protocol.md "Relay API"), then problems on our side.
enum class RelayErrorCategory {
    Offline,                    // cannot connect: DNS, refused, unreachable
    Timeout,                    // connect, request or a stalled transfer took too long
    ConnectionLost,             // connected, then the connection broke before a full answer
    ServerCertificateUntrusted, // the server's certificate does not chain to our anchors (or is revoked)
    ServerNameMismatch,         // trusted certificate, but not for the host name we dialled
    ClientCertificateRejected,  // the relay refused our certificate (unknown CA, revoked, …)
    ClientCertificateExpired,   // … because it has expired
    Conflict,                   // 409: the id is taken by other bytes
    UnknownRecipient,           // 404 unknown_recipient
    RecipientDisabled,          // 403 recipient_disabled
    SenderDisabled,             // 403 sender_disabled
    TooLarge,                   // 413
    RateLimited,                // 429
    NotFound,                   // 404 not_found
    BadRequest,                 // any other 4xx: we sent something the relay does not accept
    Unavailable,                // 503: the relay's storage does not answer
    ServerError,                // other 5xx
    ProtocolError,              // an answer we cannot use: unparseable, wrong hash, too large
    Internal,                   // our own setup failed (bad relay address, TLS setup, libcurl)
};

inline constexpr std::array kAllRelayErrorCategories = {
    RelayErrorCategory::Offline,
    RelayErrorCategory::Timeout,
    RelayErrorCategory::ConnectionLost,
    RelayErrorCategory::ServerCertificateUntrusted,
    RelayErrorCategory::ServerNameMismatch,
    RelayErrorCategory::ClientCertificateRejected,
    RelayErrorCategory::ClientCertificateExpired,
    RelayErrorCategory::Conflict,
    RelayErrorCategory::UnknownRecipient,
    RelayErrorCategory::RecipientDisabled,
    RelayErrorCategory::SenderDisabled,
    RelayErrorCategory::TooLarge,
    RelayErrorCategory::RateLimited,
    RelayErrorCategory::NotFound,
    RelayErrorCategory::BadRequest,
    RelayErrorCategory::Unavailable,
    RelayErrorCategory::ServerError,
    RelayErrorCategory::ProtocolError,
    RelayErrorCategory::Internal,
};

// Stable English identifier ("offline", "client_certificate_expired", …) for logs and tests.
const char* toString(RelayErrorCategory category);
// Transient failures may succeed if the same request is sent again later: connection problems,
// timeouts, rate limiting and 5xx. Everything else fails the same way every time.
bool isTransient(RelayErrorCategory category);

enum class Language { Ja, En };

// One failed attempt, before it is known whether it will be retried.
struct RelayFailure {
    RelayErrorCategory category = RelayErrorCategory::Internal;
    int httpStatus = 0;     // 0 when no HTTP answer arrived
    std::string serverCode; // the relay's JSON "error" code, "" if none
    std::string detail; // technical text (libcurl/OpenSSL reason, the relay's message); never bodies or keys
    std::optional<std::chrono::seconds> retryAfter; // from a Retry-After header
};

// A failure known without an HTTP answer: just a category and the technical detail.
RelayFailure localFailure(RelayErrorCategory category, std::string detail);

// The one exception of src/net. what() is a technical line for logs; userMessage() is for people.
class RelayError : public std::runtime_error {
public:
    // `operation` names the call ("POST /v1/messages"); `attempts` how many times it was tried.
    RelayError(RelayFailure failure, std::string operation, int attempts);

    RelayErrorCategory category() const { return m_failure.category; }
    bool transient() const { return isTransient(m_failure.category); }
    int httpStatus() const { return m_failure.httpStatus; }
    const std::string& serverCode() const { return m_failure.serverCode; }
    const std::string& detail() const { return m_failure.detail; }
    const std::optional<std::chrono::seconds>& retryAfter() const { return m_failure.retryAfter; }
    const std::string& operation() const { return m_operation; }
    int attempts() const { return m_attempts; }

    // What happened and what to do, for a care manager (RelayMessages.cpp).
    std::string userMessage(Language language = Language::Ja) const;

private:
    RelayFailure m_failure;
    std::string m_operation;
    int m_attempts;
};

// Our own side cannot work (unusable configuration, libcurl refusing an option or out of memory):
// throws RelayError(Internal) with 0 attempts, since nothing was sent.
[[noreturn]] void failSetup(std::string detail);

} // namespace cplink::net
