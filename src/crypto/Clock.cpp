#include "Clock.h"

#include <string>

namespace cplink::crypto {

std::string formatUtc(TimePoint t) {
    const std::time_t seconds = toTimeT(t);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[32];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buffer, n);
}

} // namespace cplink::crypto
