#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cplink::relay {

// Structured logs: one JSON object per line on stderr (journald and log shippers read that), with
// time, level and event. Callers pass only metadata — offices, ids, sizes, statuses — never bodies,
// passwords or keys. Quiet mode (tests, benchmarks) keeps warnings and errors only.
namespace log {

enum class Level { Info, Warning, Error };

void setQuiet(bool quiet);
// Whether info lines are written: callers on the request path check it before building their fields.
bool infoEnabled();
void write(Level level, const std::string& event, nlohmann::json fields = nlohmann::json::object());
inline void info(const std::string& event, nlohmann::json fields = nlohmann::json::object()) {
    write(Level::Info, event, std::move(fields));
}
inline void warning(const std::string& event, nlohmann::json fields = nlohmann::json::object()) {
    write(Level::Warning, event, std::move(fields));
}
inline void error(const std::string& event, nlohmann::json fields = nlohmann::json::object()) {
    write(Level::Error, event, std::move(fields));
}

} // namespace log
} // namespace cplink::relay
