#pragma once

#include "FileName.h"
#include "FindingSink.h"
#include "Schema.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cplink::spec {

// The outcome of validating one file.
struct FileReport {
    explicit FileReport(std::size_t perRuleLimit = 100) : findings(perRuleLimit) {}

    std::string path;
    std::string fileName;
    std::optional<FileKind> kind;
    std::optional<NameForm> nameForm;
    std::optional<StandardFileName> name;
    std::string csvVersion; // from the records (empty if none could be read)
    std::optional<LayoutId> layout;
    std::uint64_t records = 0; // data records (blank lines not counted)
    std::uint64_t bytes = 0;
    std::string ioError; // set when the file could not be read at all
    FindingSink findings;

    // Keys that tie files of a send unit together: key -> first line it appears on.
    std::map<std::string, std::uint64_t> unitKeys;
    // Image files named by UPKIHON No.62: name -> line.
    std::map<std::string, std::uint64_t> imageRefs;

    bool valid() const { return ioError.empty() && findings.errorCount() == 0; }
};

// A send unit: the files that share parties and the 14-digit sequence.
struct UnitReport {
    std::string key;
    std::string sequence;
    std::string combination;        // matched combination name, or empty if none matched
    std::vector<std::size_t> files; // indices into BatchReport::files, in kind order
    std::vector<Finding> findings;  // unit-level findings (also copied to the files concerned)
};

struct BatchReport {
    std::vector<FileReport> files;
    std::vector<UnitReport> units; // in import order (sequence ascending)

    std::size_t errorCount() const;
    std::size_t warningCount() const;
    bool hasIoError() const;
};

} // namespace cplink::spec
