#include "RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace cplink::relay {

RateLimiter::RateLimiter(double rate, double burst, Now now)
    : m_rate(rate), m_burst(std::max(burst, 1.0)), m_now(std::move(now)) {
}

bool RateLimiter::allow(const std::string& office, int* retryAfterSeconds) {
    if (m_rate <= 0)
        return true;
    const auto now = m_now();
    const std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_buckets.try_emplace(office, Bucket{m_burst, now});
    Bucket& bucket = it->second;
    const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
    bucket.tokens = std::min(m_burst, bucket.tokens + std::max(elapsed, 0.0) * m_rate);
    bucket.last = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return true;
    }
    if (retryAfterSeconds)
        *retryAfterSeconds = std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / m_rate)));
    return false;
}

} // namespace cplink::relay
