#pragma once

#include "spec/Report.h"

#include <cstddef>
#include <string>
#include <vector>

namespace cplink::exchange {

struct EngineContext;

// One file as `send` will treat it. A file is refused when it breaks the standard (errors; warnings
// are shown and allowed), when its name does not say who sends it to whom, when the sender office is
// not one of our identities, or when another file of its send unit is refused (a unit travels whole:
// the care software imports it as one).
struct PlannedFile {
    std::string path;
    std::string fileName;
    std::string kind; // standard kind code ("UPPLAN"), "" if the name was not understood
    std::string month;
    std::string sequence;
    std::string unitKey;
    std::string sender;
    std::string recipient;
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::uint64_t bytes = 0;
    std::string refusal; // empty: the file will be sent
};

struct PlannedUnit {
    std::string unitKey;
    std::string sequence;
    std::string sender;
    std::string recipient;
    std::string combination; // the standard's name for the unit, "" if none matched
    std::vector<PlannedFile> files;
};

struct SendPlan {
    spec::BatchReport report;         // every finding, for display
    std::vector<PlannedUnit> units;   // in import order (sequence ascending)
    std::vector<PlannedFile> unnamed; // files whose name is not a standard name (always refused)
    std::size_t sendable() const;
    std::size_t refused() const;
};

SendPlan planSend(const EngineContext& context, const std::vector<std::string>& paths);

} // namespace cplink::exchange
