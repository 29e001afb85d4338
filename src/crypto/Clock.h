#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace cplink::crypto {

using TimePoint = std::chrono::system_clock::time_point;

// Every validity decision (certificate windows, CRL freshness, days left, new certificates' periods)
// asks a Clock, never the system directly, so tests can stand at any moment in a certificate's life.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stays where it is put; tests move it with set() or advance().
class FixedClock final : public Clock {
public:
    explicit FixedClock(TimePoint at) : m_now(at) {}
    TimePoint now() const override { return m_now; }
    void set(TimePoint at) { m_now = at; }
    void advance(std::chrono::seconds by) { m_now += by; }
    void advanceDays(long days) { m_now += std::chrono::hours(24 * days); }

private:
    TimePoint m_now;
};

// Whole seconds since the epoch, the resolution of certificate times.
inline std::time_t toTimeT(TimePoint t) {
    return std::chrono::system_clock::to_time_t(t);
}
inline TimePoint fromTimeT(std::time_t t) {
    return std::chrono::system_clock::from_time_t(t);
}

// "2025-03-20T09:30:00Z", for display and JSON.
std::string formatUtc(TimePoint t);

} // namespace cplink::crypto
