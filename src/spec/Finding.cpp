#include "Finding.h"

namespace cplink::spec {

const char* severityName(Severity severity) {
    return severity == Severity::Error ? "error" : "warning";
}

const std::string* Finding::arg(const std::string& name) const {
    for (const auto& [key, value] : args) {
        if (key == name)
            return &value;
    }
    return nullptr;
}

} // namespace cplink::spec
