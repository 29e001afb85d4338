#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace cplink::net {

// Where the relay is and how long to wait for it. Defaults suit an office line uploading a file of the
// relay's maximum size (16 MiB) at well under 1 Mbit/s; the low-speed limit ends a transfer that has
// stalled long before the request timeout would.
struct ConnectionSettings {
    std::string baseUrl; // "https://relay.example.jp:8443" (https only, no trailing slash)
    std::chrono::milliseconds connectTimeout{15000};  // DNS + TCP + TLS handshake
    std::chrono::milliseconds requestTimeout{600000}; // one whole attempt
    long lowSpeedBytesPerSecond = 100;                // slower than this …
    std::chrono::seconds lowSpeedTime{30};            // … for this long: stalled, a Timeout
    std::size_t maxResponseBytes = 64u << 20;         // larger answers are a ProtocolError
    std::string userAgent = "CarePlanLink";
};

} // namespace cplink::net
