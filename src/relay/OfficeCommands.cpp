#include "OfficeCommands.h"

#include "crypto/Clock.h"
#include "crypto/OfficeNumberPolicy.h"
#include "relay/storage/Storage.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace cplink::relay {

namespace {

struct OfficeArguments {
    std::string number;
    std::string name;
    bool json = false;
};

UnixTime nowSeconds() {
    return static_cast<UnixTime>(crypto::toTimeT(std::chrono::system_clock::now()));
}

std::string timeText(UnixTime t) {
    return t == 0 ? "-" : crypto::formatUtc(crypto::fromTimeT(static_cast<std::time_t>(t)));
}

int list(Storage& storage, bool json) {
    const auto offices = storage.offices();
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& office : offices)
            out.push_back({{"office", office.number},
                           {"name", office.name},
                           {"enabled", office.enabled},
                           {"first_seen", office.firstSeen},
                           {"last_seen", office.lastSeen}});
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    for (const auto& office : offices)
        std::cout << office.number << '\t' << (office.enabled ? "enabled " : "disabled") << '\t'
                  << timeText(office.lastSeen) << '\t' << office.name << '\n';
    std::cout << offices.size() << " offices\n";
    return 0;
}

} // namespace

void addOfficeCommands(CLI::App& app, const std::string& database, int& exitCode) {
    auto arguments = std::make_shared<OfficeArguments>();
    CLI::App* office = app.add_subcommand("office", "Manage the offices the relay knows");
    office->require_subcommand(1);
    office->fallthrough(); // --db and --config belong to the main command

    const auto run = [&database, &exitCode, arguments](const std::function<int(Storage&)>& action) {
        try {
            const auto storage = openStorage(database);
            exitCode = action(*storage);
        } catch (const StorageError& e) {
            std::cerr << "cplink-relay: " << e.what() << '\n';
            exitCode = 2;
        }
    };
    const auto numberOption = [arguments](CLI::App* command) {
        command->add_option("--office", arguments->number, "Office number (ten digits)")
            ->required()
            ->check([](const std::string& value) {
                return crypto::isOfficeNumber(value) ? std::string() : "must be ten digits";
            });
    };

    CLI::App* listCommand = office->add_subcommand("list", "List offices: number, state, last seen, name");
    listCommand->add_flag("--json", arguments->json, "JSON output");
    listCommand->callback(
        [run, arguments] { run([arguments](Storage& s) { return list(s, arguments->json); }); });

    CLI::App* add = office->add_subcommand("add", "Add an office (or rename it), enabled");
    numberOption(add);
    add->add_option("--name", arguments->name, "Office name")->required();
    add->callback([run, arguments] {
        run([arguments](Storage& s) {
            const bool added = s.addOffice(arguments->number, arguments->name, nowSeconds());
            std::cout << (added ? "added " : "renamed ") << arguments->number << '\n';
            return 0;
        });
    });

    for (const bool enable : {false, true}) {
        CLI::App* command = office->add_subcommand(enable ? "enable" : "disable",
                                                   enable ? "Accept messages to and from the office again"
                                                          : "Refuse messages to and from the office");
        numberOption(command);
        command->callback([run, arguments, enable] {
            run([arguments, enable](Storage& s) {
                if (!s.setOfficeEnabled(arguments->number, enable)) {
                    std::cerr << "cplink-relay: no office " << arguments->number << '\n';
                    return 1;
                }
                std::cout << (enable ? "enabled " : "disabled ") << arguments->number << '\n';
                return 0;
            });
        });
    }
}

} // namespace cplink::relay
