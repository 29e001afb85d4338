#include "CertCommand.h"

#include "CryptoCliSupport.h"
#include "crypto/Certificate.h"
#include "crypto/Expiry.h"
#include "crypto/Files.h"
#include "crypto/OfficeNumberPolicy.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

namespace cplink::cli {

namespace {

// A certificate file (PEM, DER, or our identity PEM) or, failing that, a PKCS#12 file with a password.
crypto::Certificate loadCertificate(const CertShowOptions& options, const crypto::Clock& clock) {
    const std::string bytes = crypto::readFile(options.path);
    try {
        return crypto::Certificate::parse(bytes);
    } catch (const crypto::CryptoError& e) {
        if (e.code() != crypto::ErrorCode::Malformed)
            throw;
    }
    if (options.passwordFile.empty()) {
        // Tell a PKCS#12 file (which needs the password) apart from garbage without asking for one.
        try {
            crypto::importPkcs12(bytes, crypto::Secret(), clock, crypto::ValidityCheck::Skip);
        } catch (const crypto::CryptoError& e) {
            if (e.code() == crypto::ErrorCode::NotPkcs12)
                throw crypto::CryptoError(crypto::ErrorCode::Malformed, "not a certificate or PKCS#12 file");
            throw crypto::CryptoError(crypto::ErrorCode::Usage, "a PKCS#12 file needs --password-file");
        }
    }
    const crypto::Secret password =
        options.passwordFile.empty() ? crypto::Secret() : crypto::readPasswordFile(options.passwordFile);
    return crypto::importPkcs12(bytes, password, clock, crypto::ValidityCheck::Skip).certificate();
}

} // namespace

void addCertCommand(CLI::App& app, CertShowOptions& options) {
    auto* cert = app.add_subcommand("cert", "Certificates (証明書)");
    cert->require_subcommand(1);
    auto* show = cert->add_subcommand("show", "Show a certificate or PKCS#12 file");
    show->add_option("file", options.path, "Certificate (PEM/DER) or PKCS#12 file")->required();
    show->add_option("--password-file", options.passwordFile, "File with the PKCS#12 password");
    show->add_flag("--json", options.json, "Print one JSON document");
    show->add_option("--office-number-from", options.officeNumberFrom,
                     "Where the office number is: serialNumber, CN, OU or regex:PATTERN");
    show->add_option("--warn-days", options.warnDays, "Warn this many days before expiry")
        ->check(CLI::Range(0, 3650));
}

int runCertShow(const CertShowOptions& options, const crypto::Clock& clock, std::ostream& out,
                std::ostream& err) {
    try {
        const auto policy = crypto::OfficeNumberPolicy::parse(options.officeNumberFrom);
        const crypto::Certificate c = loadCertificate(options, clock);
        crypto::ExpiryPolicy expiryPolicy;
        expiryPolicy.warnDays = options.warnDays;
        const crypto::ExpiryStatus expiry = crypto::expiryStatus(c, clock, expiryPolicy);
        const std::optional<std::string> office = policy.officeNumber(c);
        const crypto::KeyInfo key = c.keyInfo();

        if (options.json) {
            nlohmann::json j;
            j["subject"] = c.subject();
            j["officeNumber"] = office ? nlohmann::json(*office) : nlohmann::json(nullptr);
            j["issuer"] = c.issuer();
            j["serial"] = c.serialHex();
            j["notBefore"] = crypto::formatUtc(c.notBefore());
            j["notAfter"] = crypto::formatUtc(c.notAfter());
            j["daysLeft"] = expiry.daysLeft;
            j["sha256Fingerprint"] = c.sha256Fingerprint();
            j["keyType"] = key.description;
            j["expiry"] = {{"state", crypto::toString(expiry.state)}, {"message", expiry.message}};
            j["expiry"]["milestone"] =
                expiry.milestone ? nlohmann::json(*expiry.milestone) : nlohmann::json(nullptr);
            // error_handler replace: a subject with invalid UTF-8 still yields a JSON document.
            out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            out << "Subject:        " << c.subject() << "\n"
                << "Office number:  " << office.value_or("(none: " + policy.describe() + ")") << "\n"
                << "Issuer:         " << c.issuer() << "\n"
                << "Serial:         " << c.serialHex() << "\n"
                << "Valid from:     " << crypto::formatUtc(c.notBefore()) << "\n"
                << "Valid until:    " << crypto::formatUtc(c.notAfter()) << "\n"
                << "Days left:      " << expiry.daysLeft << "\n"
                << "SHA-256:        " << c.sha256Fingerprint() << "\n"
                << "Key:            " << key.description << "\n"
                << "Status:         " << crypto::toString(expiry.state) << ": " << expiry.message << "\n";
            if (expiry.state == crypto::ExpiryState::Warning)
                err << "warning: certificate expires in " << expiry.daysLeft << " days; renew it\n";
        }
        const bool usable =
            expiry.state == crypto::ExpiryState::Valid || expiry.state == crypto::ExpiryState::Warning;
        return usable ? 0 : 1;
    } catch (const crypto::CryptoError& e) {
        return reportError("cert show", e, err);
    }
}

} // namespace cplink::cli
