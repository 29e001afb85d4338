#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cplink::spec {

enum class Severity { Error, Warning };

const char* severityName(Severity severity);

// Named values a message template refers to, e.g. {"value", "2024133"}. Values are UTF-8.
using MessageArgs = std::vector<std::pair<std::string, std::string>>;

// One problem found in a file. The rule id (`<category>.<name>`) is stable and is what scripts and
// tests key on; the human text is rendered later, in the user's language, from the rule's template.
struct Finding {
    Severity severity = Severity::Error;
    std::string rule;
    std::optional<std::uint64_t> line;   // 1-based physical line where the record (or the byte) is
    std::optional<int> field;            // 1-based field number (項目 No.)
    std::optional<std::uint64_t> column; // 1-based byte column, for encoding findings
    std::string fieldName;               // the field's Japanese name from the standard
    MessageArgs args;

    const std::string* arg(const std::string& name) const;
};

} // namespace cplink::spec
