#pragma once

#include <chrono>
#include <functional>

namespace cplink::net {

// How often and how patiently a transient failure is retried (RelayError::transient()). A retry
// sends the identical request, so uploads stay idempotent: same message id, same bytes (LESSONS.md
// "Exchange and relay": a retry never mints a new id).
struct RetryPolicy {
    int maxAttempts = 4; // including the first; 1 = never retry
    std::chrono::milliseconds baseDelay{1000};
    std::chrono::milliseconds maxDelay{30000};
    // Each delay is shortened by a random share of up to this fraction, so offices that lost the relay
    // together do not all come back in the same second. 0 = exact exponential delays.
    double jitter = 0.25;
    // A Retry-After longer than this is not waited for inside the call: the error goes to the caller
    // (still transient, with retryAfter set) to schedule the next try itself.
    std::chrono::seconds maxRetryAfter{120};
};

// Waits between attempts. Injectable so tests (and a GUI that wants to stay cancellable) do not
// block for real; the default sleeps the calling thread.
using Sleeper = std::function<void(std::chrono::milliseconds)>;
Sleeper threadSleeper();

// The delay after `failedAttempts` failures (1 for the first): baseDelay·2^(failedAttempts-1), capped at
// maxDelay, then reduced by jitter·random01 (random01 in [0, 1)).
std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int failedAttempts, double random01);

} // namespace cplink::net
