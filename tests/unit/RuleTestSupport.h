#pragma once

// Builders shared by the rule tests: the sample record of a kind with one field replaced, a file name
// whose direction and month fit the kind, and the V3 form of the 第6表 / 第7表 records.
#include "SampleData.h"
#include "TestSupport.h"
#include "spec/Messages.h"
#include "spec/Schema.h"

#include <cstddef>
#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::ruletest {

using spec::FileKind;
using spec::Severity;
using testdata::Fields;

inline std::vector<std::string> noRules() {
    return {};
}

// V4.1 / V3 names between the default offices, in the direction the kind travels (tests/support).
inline std::string nameFor(FileKind kind, std::string_view month) {
    return testdata::directedFileName(kind, month);
}
inline std::string nameFor(FileKind kind) {
    return nameFor(kind, testdata::defaultMonth(kind));
}
inline std::string v3NameFor(FileKind kind, std::string_view month) {
    return testdata::directedV3FileName(kind, month);
}

inline Fields replaced(Fields fields, int no, std::string value) {
    fields.at(static_cast<std::size_t>(no - 1)) = std::move(value);
    return fields;
}

// The sample record of the kind with field No.`no` (項目No., 1-based) replaced.
inline Fields with(FileKind kind, int no, std::string value) {
    return replaced(testdata::validRecord(kind), no, std::move(value));
}

// The V3 (CSV version 202208) form of a 第6表 or 第7表 record: without the three equipment fields V4
// added (第6表 No.16-18, 第7表 No.10-12), for December 2024, a month V3 still applies to.
inline Fields toV3(FileKind kind, Fields fields) {
    const std::ptrdiff_t first = kind == FileKind::UpSikyu ? 9 : 15;
    fields.erase(fields.begin() + first, fields.begin() + first + 3);
    fields[0] = "202208";
    fields[4] = "202412";
    if (kind != FileKind::UpSikyu)
        fields[9] = "20241201";
    return fields;
}

inline spec::FileReport check(std::string_view name, const std::vector<Fields>& records) {
    return test::validate(name, testdata::toCsv(records));
}

inline std::vector<spec::Finding> findingsOf(const spec::FileReport& report, std::string_view rule) {
    std::vector<spec::Finding> out;
    for (const auto& f : report.findings.findings()) {
        if (f.rule == rule)
            out.push_back(f);
    }
    return out;
}

inline std::string argOf(const spec::Finding& finding, const std::string& name) {
    const std::string* value = finding.arg(name);
    return value ? *value : "<missing " + name + ">";
}

// A finding renders in both languages with every placeholder filled. A placeholder whose argument the
// rule did not pass renders as nothing, which leaves 「」, "" or a double space in the text.
inline void expectRendered(const spec::Finding& finding) {
    for (const auto language : {spec::Language::Ja, spec::Language::En}) {
        const auto m = spec::renderMessage(finding, language);
        for (const auto* text : {&m.message, &m.hint}) {
            EXPECT_FALSE(text->empty()) << finding.rule;
            EXPECT_EQ(text->find("「」"), std::string::npos) << finding.rule << ": " << *text;
            EXPECT_EQ(text->find("\"\""), std::string::npos) << finding.rule << ": " << *text;
            EXPECT_EQ(text->find("  "), std::string::npos) << finding.rule << ": " << *text;
        }
    }
}

} // namespace cplink::ruletest
