#include "RecordContext.h"

namespace cplink::spec {

int FieldMap::find(std::string_view name, int occurrence) const {
    if (!m_layout)
        return -1;
    for (std::size_t i = 0; i < m_layout->size(); ++i) {
        if ((*m_layout)[i].name == name && occurrence-- == 0)
            return static_cast<int>(i);
    }
    return -1;
}

void FileContext::add(Severity severity, const char* rule, std::uint64_t line, int fieldIndex,
                      MessageArgs args) {
    Finding f;
    f.severity = severity;
    f.rule = rule;
    f.line = line;
    if (fieldIndex >= 0) {
        const auto& spec = layout[static_cast<std::size_t>(fieldIndex)];
        f.field = spec.no;
        f.fieldName = spec.name;
    }
    f.args = std::move(args);
    report.findings.add(std::move(f));
}

} // namespace cplink::spec
