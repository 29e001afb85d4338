#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cplink::crypto {
class Clock;
}

namespace cplink::cli {

struct CaOptions {
    std::string action; // init, issue, issue-server, revoke, crl: set by the subcommand that was parsed
    std::string dir;
    std::string name;
    std::string key = "ec";
    std::string office;
    std::string host;
    std::vector<std::string> ips;
    std::string out;
    std::string passwordFile;
    int days = 0; // 0: the action's default (CA 10 years, office 3 years, server 825 days, CRL 30 days)
};

// `cplink ca init --dir DIR --name NAME [--key ec|rsa] [--days N]`
// `cplink ca issue --dir DIR --office NNNNNNNNNN --name NAME --out FILE.p12 --password-file F
//                  [--key ec|rsa] [--days N]`
// `cplink ca issue-server --dir DIR --host NAME [--ip ADDR]... --out FILE.p12 --password-file F
//                  [--key ec|rsa] [--days N]`
// `cplink ca revoke --dir DIR --office N`      revokes every certificate of the office
// `cplink ca crl --dir DIR --out crl.pem [--days N]`
// Exit status: 0 done, 1 the operation failed (e.g. nothing to revoke), 2 usage or I/O error.
// The clock decides validity periods and revocation times (tests pass a fixed one).
void addCaCommand(CLI::App& app, CaOptions& options);
int runCa(const CaOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err);

} // namespace cplink::cli
