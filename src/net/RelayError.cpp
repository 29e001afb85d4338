#include "net/RelayError.h"

#include "net/RelayMessages.h"

namespace cplink::net {

const char* toString(RelayErrorCategory category) {
    switch (category) {
    case RelayErrorCategory::Offline:
        return "offline";
    case RelayErrorCategory::Timeout:
        return "timeout";
    case RelayErrorCategory::ConnectionLost:
        return "connection_lost";
    case RelayErrorCategory::ServerCertificateUntrusted:
        return "server_certificate_untrusted";
    case RelayErrorCategory::ServerNameMismatch:
        return "server_name_mismatch";
    case RelayErrorCategory::ClientCertificateRejected:
        return "client_certificate_rejected";
    case RelayErrorCategory::ClientCertificateExpired:
        return "client_certificate_expired";
    case RelayErrorCategory::Conflict:
        return "conflict";
    case RelayErrorCategory::UnknownRecipient:
        return "unknown_recipient";
    case RelayErrorCategory::RecipientDisabled:
        return "recipient_disabled";
    case RelayErrorCategory::SenderDisabled:
        return "sender_disabled";
    case RelayErrorCategory::TooLarge:
        return "too_large";
    case RelayErrorCategory::RateLimited:
        return "rate_limited";
    case RelayErrorCategory::NotFound:
        return "not_found";
    case RelayErrorCategory::BadRequest:
        return "bad_request";
    case RelayErrorCategory::Unavailable:
        return "unavailable";
    case RelayErrorCategory::ServerError:
        return "server_error";
    case RelayErrorCategory::ProtocolError:
        return "protocol_error";
    case RelayErrorCategory::Internal:
        return "internal";
    }
    return "unknown";
}

bool isTransient(RelayErrorCategory category) {
    switch (category) {
    case RelayErrorCategory::Offline:
    case RelayErrorCategory::Timeout:
    case RelayErrorCategory::ConnectionLost:
    case RelayErrorCategory::RateLimited:
    case RelayErrorCategory::Unavailable:
    case RelayErrorCategory::ServerError:
        return true;
    default:
        return false;
    }
}

namespace {
// "POST /v1/messages: unavailable (HTTP 503 unavailable) after 4 attempts: storage down"
std::string describe(const RelayFailure& failure, const std::string& operation, int attempts) {
    std::string text = operation + ": " + toString(failure.category);
    if (failure.httpStatus != 0) {
        text += " (HTTP " + std::to_string(failure.httpStatus);
        if (!failure.serverCode.empty())
            text += " " + failure.serverCode;
        text += ")";
    }
    text += attempts == 1 ? " after 1 attempt" : " after " + std::to_string(attempts) + " attempts";
    if (!failure.detail.empty())
        text += ": " + failure.detail;
    return text;
}
} // namespace

RelayFailure localFailure(RelayErrorCategory category, std::string detail) {
    RelayFailure failure;
    failure.category = category;
    failure.detail = std::move(detail);
    return failure;
}

void failSetup(std::string detail) {
    throw RelayError(localFailure(RelayErrorCategory::Internal, std::move(detail)), "relay client setup", 0);
}

RelayError::RelayError(RelayFailure failure, std::string operation, int attempts)
    : std::runtime_error(describe(failure, operation, attempts)), m_failure(std::move(failure)),
      m_operation(std::move(operation)), m_attempts(attempts) {
}

std::string RelayError::userMessage(Language language) const {
    return std::string(net::userMessage(m_failure.category, language));
}

} // namespace cplink::net
