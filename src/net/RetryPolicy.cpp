#include "net/RetryPolicy.h"

#include <algorithm>
#include <thread>

namespace cplink::net {

Sleeper threadSleeper() {
    return [](std::chrono::milliseconds delay) {
        std::this_thread::sleep_for(delay);
    };
}

std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int failedAttempts, double random01) {
    // Doubling in floating point cannot overflow however many attempts are configured.
    double delay = static_cast<double>(policy.baseDelay.count());
    for (int i = 1; i < failedAttempts && delay < static_cast<double>(policy.maxDelay.count()); ++i)
        delay *= 2;
    delay = std::min(delay, static_cast<double>(policy.maxDelay.count()));
    const double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(delay * (1.0 - jitter)));
}

} // namespace cplink::net
