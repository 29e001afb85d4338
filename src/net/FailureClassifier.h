#pragma once

#include "net/HttpTransport.h"
#include "net/RelayError.h"

#include <chrono>
#include <optional>
#include <string_view>

namespace cplink::net {

// Turns what libcurl/OpenSSL report into a typed failure. TLS failures are the subtle part
// (STACK-NOTES "libcurl with client certificates"): when the relay refuses our certificate, TLS 1.3
// reports it only after the handshake, as a receive error (56) carrying the relay's alert; TLS 1.2 with
// an expired certificate reports 60 "SSL certificate verification failed", which reads like a problem
// with the relay's certificate although the relay's chain verified fine. We use, in this order: the
// alert text in the error buffer, the verification result of the relay's chain, and whether our own
// certificate has expired by our clock (an alert may be lost when the relay closes first).
RelayFailure classifyTransportFailure(const TransportFailure& failure, bool ownCertificateExpired);

// An HTTP answer other than the ones the call expects: by the relay's JSON "error" code first, then
// by status (docs/protocol.md "Relay API").
RelayFailure classifyHttpFailure(const HttpResponse& response);

// Retry-After in delta-seconds ("120"); HTTP dates are not used by the relay and give nullopt.
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view value);

} // namespace cplink::net
