#include "exchange/Failpoint.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

namespace cplink::exchange {

namespace {

struct Armed {
    std::string name;
    long hit = 1;
};

Armed readArmed() {
    Armed armed;
    const char* value = std::getenv("CPLINK_TEST_FAILPOINT");
    if (!value)
        return armed;
    const std::string text(value);
    const auto at = text.find('@');
    armed.name = text.substr(0, at);
    if (at != std::string::npos)
        armed.hit = std::max(1L, std::strtol(text.c_str() + at + 1, nullptr, 10));
    return armed;
}

} // namespace

void failpoint(std::string_view name) {
    static const Armed armed = readArmed();
    static std::atomic<long> hits{0};
    if (armed.name.empty() || armed.name != name)
        return;
    if (++hits == armed.hit)
        std::raise(SIGKILL);
}

} // namespace cplink::exchange
