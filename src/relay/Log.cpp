#include "Log.h"

#include "crypto/Clock.h"

#include <atomic>
#include <mutex>
#include <unistd.h>

namespace cplink::relay::log {

namespace {
std::atomic<bool> g_quiet{false};
std::mutex g_mutex;

const char* name(Level level) {
    switch (level) {
    case Level::Info:
        return "info";
    case Level::Warning:
        return "warning";
    case Level::Error:
        return "error";
    }
    return "info";
}
} // namespace

void setQuiet(bool quiet) {
    g_quiet = quiet;
}

bool infoEnabled() {
    return !g_quiet;
}

void write(Level level, const std::string& event, nlohmann::json fields) {
    if (level == Level::Info && g_quiet)
        return;
    nlohmann::json line = {{"ts", crypto::formatUtc(std::chrono::system_clock::now())},
                           {"level", name(level)},
                           {"event", event}};
    line.update(fields);
    // replace: a message from OpenSSL or the database may hold bytes that are not UTF-8.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const std::lock_guard lock(g_mutex);
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
        if (n <= 0)
            return; // nowhere to report a broken stderr
        written += static_cast<std::size_t>(n);
    }
}

} // namespace cplink::relay::log
