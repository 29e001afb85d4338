#pragma once

#include "SampleData.h"
#include "spec/Report.h"

#include <string>
#include <string_view>
#include <vector>

namespace cplink::test {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return m_path; }
    // Writes bytes to path()/name and returns the full path.
    std::string write(const std::string& name, std::string_view bytes) const;

private:
    std::string m_path;
};

// Validates UTF-8 CSV text after encoding it to MS932, as a file of the given name would be.
spec::FileReport validate(std::string_view fileName, std::string_view utf8Csv);
// Validates bytes exactly as given (for encoding tests).
spec::FileReport validateRaw(std::string_view fileName, std::string_view bytes);
// Writes the files into a temporary folder and validates them together from disk.
spec::BatchReport validateFiles(const std::vector<testdata::SampleFile>& files);

// Rule ids of the kept findings, in report order; fileRules() leaves out the unit.* ones.
std::vector<std::string> rules(const spec::FileReport& report);
std::vector<std::string> fileRules(const spec::FileReport& report);
bool hasRule(const spec::FileReport& report, std::string_view rule);
// The first finding of a rule, or nullptr.
const spec::Finding* findRule(const spec::FileReport& report, std::string_view rule);

} // namespace cplink::test
