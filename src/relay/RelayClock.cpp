#include "RelayClock.h"

#include <cstdlib>
#include <fstream>

namespace cplink::relay {

crypto::TimePoint FileClock::now() const {
    std::ifstream in(m_path);
    long long seconds = 0;
    if (!(in >> seconds))
        return std::chrono::system_clock::now(); // a half-written file: the real time, not the epoch
    return crypto::fromTimeT(static_cast<std::time_t>(seconds));
}

std::unique_ptr<crypto::Clock> makeRelayClock() {
    if (const char* path = std::getenv("CPLINK_RELAY_TEST_CLOCK_FILE"); path && *path)
        return std::make_unique<FileClock>(path);
    return std::make_unique<crypto::SystemClock>();
}

} // namespace cplink::relay
