#pragma once

#include "ByteSource.h"
#include "CsvReader.h"
#include "Report.h"

#include <string>
#include <string_view>
#include <vector>

namespace cplink::spec {

struct ValidationOptions {
    CsvReaderOptions reader;
    std::size_t perRuleLimit = 100; // findings kept per rule and file; the rest are counted
};

// Validates one file: its name, encoding, CSV structure, every field and the rules between records.
// Never throws for bad content; a file that cannot be read gets FileReport::ioError.
FileReport validateFile(const std::string& path, const ValidationOptions& options = {});
// The same for bytes in memory (tests, fuzzing, received envelopes).
FileReport validateBytes(std::string_view fileName, std::string_view bytes,
                         const ValidationOptions& options = {});
FileReport validateSource(std::string_view path, ByteSource& source, const ValidationOptions& options = {});

// Files and folders (searched recursively, hidden entries skipped) in a stable order.
// Paths that do not exist are kept so that validation reports them as I/O errors.
std::vector<std::string> expandPaths(const std::vector<std::string>& paths);

// Validates files together: each file alone, then every send unit they form (combination, months,
// keys between files). Units come out in import order (sequence ascending).
BatchReport validateBatch(const std::vector<std::string>& paths, const ValidationOptions& options = {});
// Runs only the send-unit checks over reports already made (adds unit findings to the files).
void validateUnits(BatchReport& batch);

} // namespace cplink::spec
