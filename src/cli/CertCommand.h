#pragma once

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace cplink::crypto {
class Clock;
}

namespace cplink::cli {

struct CertShowOptions {
    std::string path;
    std::string passwordFile;
    bool json = false;
    std::string officeNumberFrom = "serialNumber"; // OfficeNumberPolicy configuration
    int warnDays = 30;
};

// `cplink cert show FILE.p12|FILE.pem|FILE.der [--password-file F] [--json]
//                   [--office-number-from serialNumber|CN|OU|regex:PATTERN] [--warn-days N]`
// Prints subject, office number, issuer, serial, validity, days left, SHA-256 fingerprint, key type
// and the expiry state. A PKCS#12 file needs --password-file; an expired one is still shown.
// Exit status: 0 valid (also when only the expiry warning is on), 1 expired / not yet valid / the file
// did not open (wrong password, not a certificate), 2 usage or I/O error.
void addCertCommand(CLI::App& app, CertShowOptions& options);
int runCertShow(const CertShowOptions& options, const crypto::Clock& clock, std::ostream& out,
                std::ostream& err);

} // namespace cplink::cli
