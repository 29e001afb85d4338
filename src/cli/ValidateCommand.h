#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cplink::cli {

struct ValidateOptions {
    std::vector<std::string> paths;
    bool json = false;
    std::string language = "ja";
};

// `cplink validate [--json] [--lang ja|en] PATH...`
// Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O error.
void addValidateCommand(CLI::App& app, ValidateOptions& options);
int runValidate(const ValidateOptions& options, std::ostream& out, std::ostream& err);

} // namespace cplink::cli
