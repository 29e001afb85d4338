#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cplink::crypto {
class Clock;
}

namespace cplink::cli {

// The exchange workflow on one profile (src/exchange). Every command takes the global
// `--profile DIR` (or $CPLINK_PROFILE).
struct ExchangeOptions {
    std::string profile;
    std::string command; // set from the parsed subcommand
    bool json = false;
    // init
    std::string relay, identity, passwordFile, trust, crl, importDir, officeNumberFrom = "serialNumber";
    // send / watch / receive
    std::vector<std::string> paths;
    bool dryRun = false;
    bool once = false;
    int interval = 0; // seconds between polls; 0: the profile's setting
    std::string outbox;
    // history
    std::string direction, peer, month, kind, search, sort = "time";
    std::vector<std::string> states;
    bool problemsFirst = false, ascending = false;
    int limit = 50, offset = 0;
    // show / resend / cancel
    std::string id;
    // partners
    std::string query;
    // evidence
    std::string out, format;
};

// `cplink --profile DIR init --relay URL --identity FILE.p12 --password-file F --trust ca.pem
//        [--crl crl.pem] --import-dir DIR [--office-number-from POLICY]`
// `cplink --profile DIR send [--dry-run] [--json] FILE|FOLDER...`
// `cplink --profile DIR receive [--once] [--interval S] [--json]`
// `cplink --profile DIR watch --outbox DIR [--once] [--interval S]`
// `cplink --profile DIR history [--json] [--direction in|out] [--state S]... [--peer N] [--month YYYYMM]
//        [--kind K] [--search TEXT] [--problems-first] [--sort time|file|peer|state|size] [--asc]
//        [--limit N] [--offset N]`
// `cplink --profile DIR show|resend|cancel ID`   (ID: the number in history, or the message id)
// `cplink --profile DIR partners [QUERY] [--json]`
// `cplink --profile DIR evidence --month YYYYMM --out FILE [--format csv|json]`
// Exit status: 0 done, 1 something was refused or failed (details printed), 2 usage or I/O error.
void addExchangeCommands(CLI::App& app, ExchangeOptions& options);
bool isExchangeCommand(const std::string& name);
int runExchange(ExchangeOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err);

} // namespace cplink::cli
