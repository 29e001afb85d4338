// `cplink ca …` and `cplink cert show` through their run functions, with real files and a fixed clock:
// what is written where with which modes, what is printed, and the exit status of every path.
#include "CryptoTestSupport.h"
#include "cli/CaCommand.h"
#include "cli/CertCommand.h"
#include "crypto/Files.h"
#include "crypto/Pkcs12.h"
#include "crypto/TrustStore.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace cplink;
using test::kDay;

namespace {

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
};

// Parses the arguments with the real CLI11 set-up, then runs with the given clock, as main() does.
class Cli {
public:
    Cli() : m_clock(test::testEpoch()) {}
    crypto::FixedClock& clock() { return m_clock; }
    const test::TempDir& dir() const { return m_dir; }
    std::string path(const std::string& name) const { return m_dir.path() + "/" + name; }

    CliRun operator()(std::vector<std::string> args) {
        CLI::App app;
        app.require_subcommand(1);
        cli::CaOptions ca;
        cli::addCaCommand(app, ca);
        cli::CertShowOptions show;
        cli::addCertCommand(app, show);
        std::reverse(args.begin(), args.end()); // CLI11 takes the arguments in reverse order
        CliRun r;
        try {
            app.parse(args);
        } catch (const CLI::ParseError& e) {
            r.status = e.get_exit_code() == 0 ? 0 : 2;
            r.err = e.what();
            return r;
        }
        std::ostringstream out;
        std::ostringstream err;
        r.status = app.got_subcommand("ca") ? cli::runCa(ca, m_clock, out, err)
                                            : cli::runCertShow(show, m_clock, out, err);
        r.out = out.str();
        r.err = err.str();
        return r;
    }

private:
    test::TempDir m_dir;
    crypto::FixedClock m_clock;
};

// A CA in ./ca and a password file ./pw.
struct CliNetwork : Cli {
    CliNetwork(const std::string& key = "ec") {
        const CliRun r = (*this)({"ca", "init", "--dir", path("ca"), "--name", "CLI CA", "--key", key});
        EXPECT_EQ(r.status, 0) << r.err;
        dir().write("pw", "p12 password\n");
    }
    CliRun issue(const std::string& office, const std::string& out, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"ca",     "issue",  "--dir", path("ca"), "--office",        office,
                                      "--name", "事業所", "--out", path(out),  "--password-file", path("pw")};
        args.insert(args.end(), extra.begin(), extra.end());
        return (*this)(args);
    }
};

} // namespace

TEST(CaCli, InitMakesAPrivateDirectory) {
    CliNetwork net;
    EXPECT_EQ(crypto::fileMode(net.path("ca")), 0700u);
    EXPECT_EQ(crypto::fileMode(net.path("ca/ca-key.pem")), 0600u);
    const auto ca = crypto::Certificate::load(net.path("ca/ca.pem"));
    EXPECT_EQ(ca.subject(), "CN=CLI CA,O=CLI CA");
    EXPECT_EQ(ca.keyInfo().description, "EC P-256");
    // Twice: refused, usage error, the CA untouched.
    const CliRun again = net({"ca", "init", "--dir", net.path("ca"), "--name", "Other"});
    EXPECT_EQ(again.status, 2);
    EXPECT_NE(again.err.find("already holds a CA"), std::string::npos) << again.err;
    EXPECT_EQ(crypto::Certificate::load(net.path("ca/ca.pem")), ca);
}

TEST(CaCli, RsaCaAndOffice) {
    CliNetwork net("rsa");
    EXPECT_EQ(crypto::Certificate::load(net.path("ca/ca.pem")).keyInfo().description, "RSA 3072");
    const CliRun r = net.issue("1310000001", "a.p12", {"--key", "rsa", "--days", "100"});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto id =
        crypto::loadPkcs12(net.path("a.p12"), crypto::readPasswordFile(net.path("pw")), net.clock());
    EXPECT_EQ(id.certificate().keyInfo().description, "RSA 3072");
    EXPECT_EQ(id.certificate().notAfter(), test::testEpoch() + 100 * kDay);
}

TEST(CaCli, IssueWritesAPkcs12ThatVerifies) {
    CliNetwork net;
    const CliRun r = net.issue("1310000001", "a.p12");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("serialNumber=1310000001"), std::string::npos) << r.out;
    EXPECT_EQ(crypto::fileMode(net.path("a.p12")), 0600u);
    const auto id =
        crypto::loadPkcs12(net.path("a.p12"), crypto::readPasswordFile(net.path("pw")), net.clock());
    EXPECT_EQ(id.certificate().keyInfo().description, "EC P-256");
    EXPECT_EQ(id.certificate().notAfter(), test::testEpoch() + 3 * 365 * kDay);
    const auto store = crypto::TrustStore::fromFiles({net.path("ca/ca.pem")});
    EXPECT_TRUE(store.verify(id.certificate(), net.clock()).ok());
    // The openssl CLI opens it with the same password.
    std::string log;
    EXPECT_EQ(test::openssl("pkcs12 -in " + net.path("a.p12") + " -passin file:" + net.path("pw") + " -noout",
                            &log),
              0)
        << log;
}

TEST(CaCli, IssueErrors) {
    CliNetwork net;
    EXPECT_EQ(net.issue("131000000", "bad.p12").status, 2); // nine digits
    EXPECT_FALSE(std::filesystem::exists(net.path("bad.p12")));
    net.dir().write("empty", "\n");
    const CliRun empty = net({"ca", "issue", "--dir", net.path("ca"), "--office", "1310000001", "--name", "A",
                              "--out", net.path("e.p12"), "--password-file", net.path("empty")});
    EXPECT_EQ(empty.status, 2);
    EXPECT_NE(empty.err.find("empty password"), std::string::npos) << empty.err;
    EXPECT_EQ(net({"ca", "issue", "--dir", net.path("ca"), "--office", "1310000001", "--name", "A", "--out",
                   net.path("m.p12"), "--password-file", net.path("missing")})
                  .status,
              2);
    EXPECT_EQ(net({"ca", "issue", "--dir", net.path("noca"), "--office", "1310000001", "--name", "A", "--out",
                   net.path("m.p12"), "--password-file", net.path("pw")})
                  .status,
              2);
    EXPECT_EQ(net({"ca", "issue", "--dir", net.path("ca"), "--office", "1310000001"}).status,
              2); // missing options
    EXPECT_EQ(net({"ca", "issue", "--dir", net.path("ca"), "--office", "1310000001", "--name", "A", "--out",
                   net.path("m.p12"), "--password-file", net.path("pw"), "--key", "dsa"})
                  .status,
              2);
    EXPECT_EQ(net({"ca"}).status, 2);
}

TEST(CaCli, IssueServer) {
    CliNetwork net;
    const CliRun r = net({"ca", "issue-server", "--dir", net.path("ca"), "--host", "relay.test", "--ip",
                          "127.0.0.1", "--out", net.path("relay.p12"), "--password-file", net.path("pw")});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto id =
        crypto::loadPkcs12(net.path("relay.p12"), crypto::readPasswordFile(net.path("pw")), net.clock());
    EXPECT_EQ(X509_check_host(id.certificate().get(), "relay.test", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_ip_asc(id.certificate().get(), "127.0.0.1", 0), 1);
    EXPECT_EQ(crypto::fileMode(net.path("relay.p12")), 0600u);
}

TEST(CaCli, RevokeAndCrl) {
    CliNetwork net;
    ASSERT_EQ(net.issue("1310000001", "a.p12").status, 0);
    ASSERT_EQ(net.issue("1310000002", "b.p12").status, 0);
    const CliRun revokeRun = net({"ca", "revoke", "--dir", net.path("ca"), "--office", "1310000001"});
    ASSERT_EQ(revokeRun.status, 0) << revokeRun.err;
    EXPECT_NE(revokeRun.out.find("revoked 1 certificate"), std::string::npos);
    const CliRun none = net({"ca", "revoke", "--dir", net.path("ca"), "--office", "1310000001"});
    EXPECT_EQ(none.status, 1);
    EXPECT_NE(none.err.find("no unrevoked certificate"), std::string::npos);

    const CliRun crl =
        net({"ca", "crl", "--dir", net.path("ca"), "--out", net.path("crl.pem"), "--days", "7"});
    ASSERT_EQ(crl.status, 0) << crl.err;
    const auto store = crypto::TrustStore::fromFiles({net.path("ca/ca.pem")}, {net.path("crl.pem")}, true);
    const crypto::Secret pw = crypto::readPasswordFile(net.path("pw"));
    const auto a = crypto::loadPkcs12(net.path("a.p12"), pw, net.clock());
    const auto b = crypto::loadPkcs12(net.path("b.p12"), pw, net.clock());
    EXPECT_EQ(store.verify(a.certificate(), net.clock()).status, crypto::TrustStatus::Revoked);
    EXPECT_TRUE(store.verify(b.certificate(), net.clock()).ok());
    net.clock().advanceDays(8);
    EXPECT_EQ(store.verify(b.certificate(), net.clock()).status, crypto::TrustStatus::CrlExpired);
}

TEST(CertCli, ShowPkcs12Text) {
    CliNetwork net;
    ASSERT_EQ(net.issue("1310000001", "a.p12", {"--days", "365"}).status, 0);
    net.clock().advanceDays(100);
    const CliRun r = net({"cert", "show", net.path("a.p12"), "--password-file", net.path("pw")});
    ASSERT_EQ(r.status, 0) << r.err;
    const auto id =
        crypto::loadPkcs12(net.path("a.p12"), crypto::readPasswordFile(net.path("pw")), net.clock());
    const auto& c = id.certificate();
    const std::vector<std::string> lines{"Subject:        " + c.subject(),
                                         std::string("Office number:  1310000001"),
                                         "Issuer:         CN=CLI CA,O=CLI CA",
                                         "Serial:         " + c.serialHex(),
                                         std::string("Valid from:     2025-04-01T00:00:00Z"),
                                         std::string("Valid until:    2026-04-01T00:00:00Z"),
                                         std::string("Days left:      265"),
                                         "SHA-256:        " + c.sha256Fingerprint(),
                                         std::string("Key:            EC P-256"),
                                         std::string("Status:         valid")};
    for (const auto& expected : lines)
        EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CertCli, ShowJsonWithWarningAndPemInput) {
    CliNetwork net;
    ASSERT_EQ(net.issue("1310000001", "a.p12", {"--days", "40"}).status, 0);
    const auto id =
        crypto::loadPkcs12(net.path("a.p12"), crypto::readPasswordFile(net.path("pw")), net.clock());
    const std::string pem = net.dir().write("a.pem", id.certificate().toPem());
    const std::string der = net.dir().write("a.der", id.certificate().toDer());
    net.clock().advanceDays(28);
    for (const auto& file : {pem, der}) {
        const CliRun r = net({"cert", "show", file, "--json"});
        ASSERT_EQ(r.status, 0) << r.err;
        const auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["officeNumber"], "1310000001");
        EXPECT_EQ(j["daysLeft"], 12);
        EXPECT_EQ(j["expiry"]["state"], "warning");
        EXPECT_EQ(j["expiry"]["milestone"], 30);
        EXPECT_EQ(j["keyType"], "EC P-256");
        EXPECT_EQ(j["serial"], id.certificate().serialHex());
        EXPECT_EQ(j["sha256Fingerprint"], id.certificate().sha256Fingerprint());
        EXPECT_EQ(j["subject"], "CN=事業所,O=事業所,serialNumber=1310000001");
        EXPECT_EQ(j["notBefore"], "2025-04-01T00:00:00Z");
    }
    // The threshold is configurable: at 12 days left with --warn-days 10 there is no warning.
    const CliRun quiet = net({"cert", "show", pem, "--warn-days", "10", "--json"});
    EXPECT_EQ(nlohmann::json::parse(quiet.out)["expiry"]["state"], "valid");
    const CliRun text = net({"cert", "show", pem});
    EXPECT_NE(text.err.find("warning: certificate expires in 12 days"), std::string::npos) << text.err;
}

TEST(CertCli, ShowExpiredAndNotYetValidExitOne) {
    CliNetwork net;
    ASSERT_EQ(net.issue("1310000001", "a.p12", {"--days", "10"}).status, 0);
    net.clock().advanceDays(11);
    const CliRun expired =
        net({"cert", "show", net.path("a.p12"), "--password-file", net.path("pw"), "--json"});
    EXPECT_EQ(expired.status, 1);
    EXPECT_EQ(nlohmann::json::parse(expired.out)["expiry"]["state"], "expired");
    net.clock().set(test::testEpoch() - kDay);
    const CliRun early = net({"cert", "show", net.path("a.p12"), "--password-file", net.path("pw")});
    EXPECT_EQ(early.status, 1);
    EXPECT_NE(early.out.find("not-yet-valid"), std::string::npos) << early.out;
}

TEST(CertCli, ShowErrors) {
    CliNetwork net;
    ASSERT_EQ(net.issue("1310000001", "a.p12").status, 0);
    net.dir().write("wrong", "not it\n");
    const CliRun wrong = net({"cert", "show", net.path("a.p12"), "--password-file", net.path("wrong")});
    EXPECT_EQ(wrong.status, 1);
    EXPECT_NE(wrong.err.find("wrong password"), std::string::npos) << wrong.err;
    EXPECT_EQ(wrong.err.find("mac verify"), std::string::npos) << wrong.err;

    const CliRun noPassword = net({"cert", "show", net.path("a.p12")});
    EXPECT_EQ(noPassword.status, 2);
    EXPECT_NE(noPassword.err.find("needs --password-file"), std::string::npos) << noPassword.err;

    const CliRun garbage = net({"cert", "show", net.dir().write("junk", "junk")});
    EXPECT_EQ(garbage.status, 1);
    EXPECT_NE(garbage.err.find("not a certificate or PKCS#12 file"), std::string::npos) << garbage.err;

    EXPECT_EQ(net({"cert", "show", net.path("missing.pem")}).status, 2);
    EXPECT_EQ(net({"cert", "show", net.path("ca/ca.pem"), "--office-number-from", "DN"}).status, 2);
}

TEST(CertCli, OfficeNumberFromConfiguration) {
    CliNetwork net;
    const CliRun ca = net({"cert", "show", net.path("ca/ca.pem")});
    ASSERT_EQ(ca.status, 0) << ca.err;
    EXPECT_NE(ca.out.find("Office number:  (none: serialNumber)"), std::string::npos) << ca.out;
    ASSERT_EQ(net.issue("1310000001", "a.p12").status, 0);
    const CliRun regex = net({"cert", "show", net.path("a.p12"), "--password-file", net.path("pw"),
                              "--office-number-from", "regex:serialNumber=([0-9]{10})", "--json"});
    ASSERT_EQ(regex.status, 0) << regex.err;
    EXPECT_EQ(nlohmann::json::parse(regex.out)["officeNumber"], "1310000001");
    const CliRun cn = net({"cert", "show", net.path("a.p12"), "--password-file", net.path("pw"),
                           "--office-number-from", "CN", "--json"});
    EXPECT_TRUE(nlohmann::json::parse(cn.out)["officeNumber"].is_null());
}
