#include "FindingSink.h"

#include <algorithm>

namespace cplink::spec {

void FindingSink::add(Finding finding) {
    (finding.severity == Severity::Error ? m_errors : m_warnings)++;
    auto& kept = m_kept[finding.rule];
    if (kept >= m_perRuleLimit) {
        m_suppressed[finding.rule]++;
        m_suppressedSeverity[finding.rule] = finding.severity;
        return;
    }
    ++kept;
    m_findings.push_back(std::move(finding));
}

std::size_t FindingSink::countOf(const std::string& rule) const {
    auto kept = m_kept.find(rule);
    auto extra = m_suppressed.find(rule);
    return (kept == m_kept.end() ? 0 : kept->second) + (extra == m_suppressed.end() ? 0 : extra->second);
}

void FindingSink::removeRulesWithPrefix(const std::string& prefix) {
    auto matches = [&](const std::string& rule) {
        return rule.rfind(prefix, 0) == 0;
    };
    for (const auto& f : m_findings) {
        if (matches(f.rule))
            (f.severity == Severity::Error ? m_errors : m_warnings)--;
    }
    std::erase_if(m_findings, [&](const Finding& f) { return matches(f.rule); });
    for (auto it = m_suppressed.begin(); it != m_suppressed.end();) {
        if (matches(it->first)) {
            auto& counter = m_suppressedSeverity[it->first] == Severity::Error ? m_errors : m_warnings;
            counter -= std::min(counter, it->second);
            it = m_suppressed.erase(it);
        } else {
            ++it;
        }
    }
    std::erase_if(m_kept, [&](const auto& entry) { return matches(entry.first); });
}

} // namespace cplink::spec
