// cplink-relay: the store-and-forward relay (DESIGN.md §5). Without a subcommand it serves; `office …`
// manages the offices in its database.
#include "relay/OfficeCommands.h"
#include "relay/RelayOptions.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    using namespace cplink::relay;
    CLI::App app{"CarePlan Link relay: moves sealed care-plan files between offices over mutual TLS",
                 "cplink-relay"};
    RelayOptions options;
    addRelayOptions(app, options);
    int exitCode = 0;
    addOfficeCommands(app, options.database, exitCode);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (app.get_subcommands().empty())
        return runRelay(options);
    return exitCode;
}
