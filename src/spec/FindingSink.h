#pragma once

#include "Finding.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace cplink::spec {

// Collects the findings of one file. A broken 100 MB file can hold millions of identical problems;
// keeping the first few of each rule and counting the rest bounds memory without hiding anything.
class FindingSink {
public:
    explicit FindingSink(std::size_t perRuleLimit = 100) : m_perRuleLimit(perRuleLimit) {}

    void add(Finding finding);

    const std::vector<Finding>& findings() const { return m_findings; }
    std::vector<Finding>& findings() { return m_findings; }
    // Rule id -> number of findings of that rule that were counted but not kept.
    const std::map<std::string, std::size_t>& suppressed() const { return m_suppressed; }
    std::size_t errorCount() const { return m_errors; }
    std::size_t warningCount() const { return m_warnings; }
    std::size_t countOf(const std::string& rule) const;

    // Drops every finding whose rule starts with `prefix` (used when a later, more precise
    // diagnosis, such as "this file is UTF-8", explains them all).
    void removeRulesWithPrefix(const std::string& prefix);

private:
    std::size_t m_perRuleLimit;
    std::vector<Finding> m_findings;
    std::map<std::string, std::size_t> m_kept;
    std::map<std::string, std::size_t> m_suppressed;
    std::map<std::string, Severity> m_suppressedSeverity;
    std::size_t m_errors = 0;
    std::size_t m_warnings = 0;
};

} // namespace cplink::spec
