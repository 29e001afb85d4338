#include "CaCommand.h"

#include "CryptoCliSupport.h"
#include "crypto/Clock.h"
#include "crypto/Files.h"
#include "crypto/Keys.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"
#include "crypto/TestCa.h"

#include <CLI/CLI.hpp>
#include <ostream>

namespace cplink::cli {

namespace {

crypto::KeySpec keySpec(const std::string& name) {
    if (auto spec = crypto::KeySpec::parse(name))
        return *spec;
    throw crypto::CryptoError(crypto::ErrorCode::Usage, "unknown key type '" + name + "' (ec or rsa)");
}

crypto::Secret password(const CaOptions& options) {
    crypto::Secret secret = crypto::readPasswordFile(options.passwordFile);
    if (secret.empty())
        throw crypto::CryptoError(crypto::ErrorCode::Usage,
                                  options.passwordFile + ": empty password (a PKCS#12 file needs one)");
    return secret;
}

void printIssued(const crypto::Identity& identity, const std::string& path, std::ostream& out) {
    const auto& c = identity.certificate();
    out << "issued " << c.subject() << "\n"
        << "  serial       " << c.serialHex() << "\n"
        << "  valid        " << crypto::formatUtc(c.notBefore()) << " .. " << crypto::formatUtc(c.notAfter())
        << "\n"
        << "  key          " << c.keyInfo().description << "\n"
        << "  SHA-256      " << c.sha256Fingerprint() << "\n"
        << "  written to   " << path << "\n";
}

int run(const CaOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    using crypto::TestCa;
    if (options.action == "init") {
        const TestCa ca = TestCa::create(options.dir, options.name, keySpec(options.key), clock,
                                         options.days > 0 ? options.days : 10 * 365);
        out << "created CA " << ca.certificate().subject() << " in " << options.dir << "\n"
            << "  trust anchor " << options.dir << "/ca.pem\n"
            << "  SHA-256      " << ca.certificate().sha256Fingerprint() << "\n";
        return 0;
    }
    if (options.action == "issue" || options.action == "issue-server") {
        const crypto::Secret secret = password(options); // before any work: a bad file changes nothing
        TestCa ca = TestCa::open(options.dir, clock);
        crypto::KeySpec spec = keySpec(options.key);
        std::string friendlyName;
        auto identity = [&] {
            if (options.action == "issue") {
                crypto::OfficeCertificateRequest request{options.office, options.name, spec};
                if (options.days > 0)
                    request.days = options.days;
                friendlyName = options.office;
                return ca.issueOffice(request);
            }
            crypto::ServerCertificateRequest request{options.host, options.ips, spec};
            if (options.days > 0)
                request.days = options.days;
            friendlyName = options.host;
            return ca.issueServer(request);
        }();
        crypto::writeFileAtomic(options.out, crypto::exportPkcs12(identity, secret, friendlyName), 0600);
        printIssued(identity, options.out, out);
        return 0;
    }
    if (options.action == "revoke") {
        TestCa ca = TestCa::open(options.dir, clock);
        const int count = ca.revokeOffice(options.office);
        if (count == 0) {
            err << "cplink ca revoke: no unrevoked certificate of office " << options.office << " in "
                << options.dir << "\n";
            return 1;
        }
        out << "revoked " << count << (count == 1 ? " certificate" : " certificates") << " of office "
            << options.office << "; publish a new CRL (cplink ca crl)\n";
        return 0;
    }
    if (options.action == "crl") {
        TestCa ca = TestCa::open(options.dir, clock);
        const crypto::Crl crl = ca.makeCrl(options.days > 0 ? options.days : 30);
        // A CRL is public: readable by everyone, like the CA certificate one hands out.
        crypto::writeFileAtomic(options.out, crl.toPem(), 0644);
        out << "CRL with " << crl.revokedCount() << " revoked, next update "
            << crypto::formatUtc(crl.nextUpdate()) << ", written to " << options.out << "\n";
        return 0;
    }
    err << "cplink ca: unknown action '" << options.action << "'\n";
    return 2;
}

} // namespace

void addCaCommand(CLI::App& app, CaOptions& options) {
    auto* ca = app.add_subcommand("ca", "Test-network certificate authority (テスト用認証局)");
    ca->require_subcommand(1);
    const auto action = [&options](const char* name) {
        return [&options, name] {
            options.action = name;
        };
    };
    const auto dir = [&options](CLI::App* cmd) {
        cmd->add_option("--dir", options.dir, "CA directory")->required();
    };
    const auto days = [&options](CLI::App* cmd) {
        cmd->add_option("--days", options.days, "Validity in days")->check(CLI::Range(1, 36500));
    };
    const auto key = [&options](CLI::App* cmd) {
        cmd->add_option("--key", options.key, "Key type: ec (P-256, default) or rsa (3072 bits)")
            ->check(CLI::IsMember({"ec", "ec384", "rsa", "rsa2048", "rsa3072", "rsa4096"}));
    };

    auto* init = ca->add_subcommand("init", "Create a CA in a new directory");
    dir(init);
    init->add_option("--name", options.name, "CA name")->required();
    key(init);
    days(init);
    init->callback(action("init"));

    auto* issue = ca->add_subcommand("issue", "Issue an office certificate as a PKCS#12 file");
    dir(issue);
    issue->add_option("--office", options.office, "Office number (事業所番号, 10 digits)")->required();
    issue->add_option("--name", options.name, "Office name")->required();
    issue->add_option("--out", options.out, "Output PKCS#12 file")->required();
    issue->add_option("--password-file", options.passwordFile, "File with the PKCS#12 password")->required();
    key(issue);
    days(issue);
    issue->callback(action("issue"));

    auto* server = ca->add_subcommand("issue-server", "Issue a relay server certificate as a PKCS#12 file");
    dir(server);
    server->add_option("--host", options.host, "DNS name of the server")->required();
    server->add_option("--ip", options.ips, "IP address for subjectAltName (repeatable)");
    server->add_option("--out", options.out, "Output PKCS#12 file")->required();
    server->add_option("--password-file", options.passwordFile, "File with the PKCS#12 password")->required();
    key(server);
    days(server);
    server->callback(action("issue-server"));

    auto* revoke = ca->add_subcommand("revoke", "Revoke every certificate of an office");
    dir(revoke);
    revoke->add_option("--office", options.office, "Office number (事業所番号)")->required();
    revoke->callback(action("revoke"));

    auto* crl = ca->add_subcommand("crl", "Write the current certificate revocation list");
    dir(crl);
    crl->add_option("--out", options.out, "Output CRL (PEM)")->required();
    days(crl);
    crl->callback(action("crl"));
}

int runCa(const CaOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    try {
        return run(options, clock, out, err);
    } catch (const crypto::CryptoError& e) {
        return reportError("ca " + options.action, e, err);
    }
}

} // namespace cplink::cli
