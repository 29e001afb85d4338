// cplink: CarePlan Link on the command line.
#include "cli/CaCommand.h"
#include "cli/CertCommand.h"
#include "cli/EnvelopeCommands.h"
#include "cli/ExchangeCommands.h"
#include "cli/ValidateCommand.h"
#include "crypto/Clock.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"CarePlan Link — care-plan CSV exchange (ケアプランデータ連携)", "cplink"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "cplink 0.1.0");

    cplink::cli::ValidateOptions validate;
    cplink::cli::addValidateCommand(app, validate);
    cplink::cli::CaOptions ca;
    cplink::cli::addCaCommand(app, ca);
    cplink::cli::CertShowOptions certShow;
    cplink::cli::addCertCommand(app, certShow);
    cplink::cli::SealOptions seal;
    cplink::cli::OpenOptions open;
    cplink::cli::ReceiptVerifyOptions receipt;
    cplink::cli::addEnvelopeCommands(app, seal, open, receipt);
    cplink::cli::ExchangeOptions exchange;
    cplink::cli::addExchangeCommands(app, exchange);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2; // usage errors exit 2, as documented
    }
    try {
        if (app.got_subcommand("validate"))
            return cplink::cli::runValidate(validate, std::cout, std::cerr);
        const cplink::crypto::SystemClock clock;
        for (const CLI::App* command : app.get_subcommands()) {
            if (cplink::cli::isExchangeCommand(command->get_name())) {
                exchange.command = command->get_name();
                return cplink::cli::runExchange(exchange, clock, std::cout, std::cerr);
            }
        }
        if (app.got_subcommand("ca"))
            return cplink::cli::runCa(ca, clock, std::cout, std::cerr);
        if (app.got_subcommand("cert"))
            return cplink::cli::runCertShow(certShow, clock, std::cout, std::cerr);
        if (app.got_subcommand("seal"))
            return cplink::cli::runSeal(seal, clock, std::cout, std::cerr);
        if (app.got_subcommand("open"))
            return cplink::cli::runOpen(open, clock, std::cout, std::cerr);
        if (app.got_subcommand("receipt"))
            return cplink::cli::runReceiptVerify(receipt, clock, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "cplink: " << e.what() << "\n";
        return 2;
    }
    return 2;
}
