#include "ValidateCommand.h"

#include "spec/ReportFormat.h"
#include "spec/Validator.h"

#include <CLI/CLI.hpp>
#include <ostream>

namespace cplink::cli {

void addValidateCommand(CLI::App& app, ValidateOptions& options) {
    auto* cmd =
        app.add_subcommand("validate", "Check care-plan CSV files against the standard (標準仕様の検査)");
    cmd->add_option("paths", options.paths, "Files or folders")->required();
    cmd->add_flag("--json", options.json, "Print one JSON document");
    cmd->add_option("--lang", options.language, "Message language")->check(CLI::IsMember({"ja", "en"}));
}

int runValidate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
    const auto language = options.language == "en" ? spec::Language::En : spec::Language::Ja;
    const auto report = spec::validateBatch(options.paths);
    if (report.files.empty()) {
        err << (language == spec::Language::Ja ? "検査するファイルがありません。\n"
                                               : "No files to validate.\n");
        return 2;
    }
    out << (options.json ? spec::reportToJson(report, language) : spec::reportToText(report, language));
    if (report.hasIoError())
        return 2;
    return report.errorCount() > 0 ? 1 : 0;
}

} // namespace cplink::cli
