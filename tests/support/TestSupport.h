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

// A small tmpfs mounted at `path` (created if needed) for full-disk tests, unmounted however the test
// ends. Mounting needs CAP_SYS_ADMIN (root in CI); when it is not allowed, mounted() is false and error()
// says why, and the test skips.
class SmallFilesystem {
public:
    SmallFilesystem(const std::string& path, const std::string& size, const std::string& mode = "0700");
    ~SmallFilesystem();
    SmallFilesystem(const SmallFilesystem&) = delete;
    SmallFilesystem& operator=(const SmallFilesystem&) = delete;

    bool mounted() const { return m_mounted; }
    const std::string& error() const { return m_error; }
    // Fills what is left with one hidden file and returns its path.
    std::string fill() const;

private:
    std::string m_path;
    bool m_mounted = false;
    std::string m_error;
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
