// cplink: CarePlan Link on the command line.
#include "cli/ValidateCommand.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"CarePlan Link — care-plan CSV exchange (ケアプランデータ連携)", "cplink"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "cplink 0.1.0");

    cplink::cli::ValidateOptions validate;
    cplink::cli::addValidateCommand(app, validate);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2; // usage errors exit 2, as documented
    }
    try {
        if (app.got_subcommand("validate"))
            return cplink::cli::runValidate(validate, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "cplink: " << e.what() << "\n";
        return 2;
    }
    return 2;
}
