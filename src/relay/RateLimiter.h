#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cplink::relay {

// Per-office token buckets: `rate` requests per second on average, bursts up to `burst`. Keys are
// authenticated office numbers, so the table is bounded by the network's offices. The time source
// is injectable so tests can step it instead of sleeping.
class RateLimiter {
public:
    using Now = std::function<std::chrono::steady_clock::time_point()>;
    RateLimiter(
        double rate, double burst, Now now = [] { return std::chrono::steady_clock::now(); });

    // True if the request may go ahead (a token was taken). Otherwise `retryAfter` says when one will
    // be there, rounded up to whole seconds for the Retry-After header.
    bool allow(const std::string& office, int* retryAfterSeconds = nullptr);
    bool enabled() const { return m_rate > 0; }

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point last;
    };
    double m_rate;
    double m_burst;
    Now m_now;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

} // namespace cplink::relay
