// `cplink seal`, `open` and `receipt verify` through their run functions: files written only when
// everything verifies, receipts after the file, exit status of every path.
#include "CryptoTestSupport.h"
#include "cli/EnvelopeCommands.h"
#include "crypto/Files.h"
#include "crypto/Pkcs12.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

using namespace cplink;

namespace {

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

// Two offices of one test network as PKCS#12 files, and the real CLI11 parsing of main().
class Offices {
public:
    Offices() {
        write("a.p12", net.office("0300000100", "さくら居宅"));
        write("b.p12", net.office("0300000005", "ひまわり訪問介護"));
        write("c.p12", net.office("0300000009", "つばさ"));
        net.dir().write("pw", "secret\n");
        net.dir().write("ca.pem", net.ca().certificate().toPem());
        net.dir().write(
            "b.pem",
            crypto::loadPkcs12(path("b.p12"), crypto::Secret("secret"), net.clock()).certificate().toPem());
        net.dir().write("UPPLAN.CSV", std::string("202407,123456,\"\x8e\x52\x93\x63\"\r\n"));
    }
    std::string path(const std::string& name) const { return net.path(name); }

    Run operator()(std::vector<std::string> args) {
        CLI::App app;
        app.require_subcommand(1);
        cli::SealOptions seal;
        cli::OpenOptions open;
        cli::ReceiptVerifyOptions receipt;
        cli::addEnvelopeCommands(app, seal, open, receipt);
        std::reverse(args.begin(), args.end());
        Run r;
        try {
            app.parse(args);
        } catch (const CLI::ParseError& e) {
            r.status = 2;
            return r;
        }
        std::ostringstream out;
        std::ostringstream err;
        if (app.got_subcommand("seal"))
            r.status = cli::runSeal(seal, net.clock(), out, err);
        else if (app.got_subcommand("open"))
            r.status = cli::runOpen(open, net.clock(), out, err);
        else
            r.status = cli::runReceiptVerify(receipt, net.clock(), out, err);
        r.out = out.str();
        r.err = err.str();
        return r;
    }

    test::Network net;

private:
    void write(const std::string& name, const crypto::Identity& identity) {
        net.dir().write(name, crypto::exportPkcs12(identity, crypto::Secret("secret"), "office"));
    }
};

bool exists(const std::string& path) {
    return std::filesystem::exists(path);
}

} // namespace

TEST(EnvelopeCli, SealOpenAndReceiptRoundTrip) {
    Offices o;
    const auto sealed = o({"seal", "--identity", o.path("a.p12"), "--password-file", o.path("pw"), "--to",
                           o.path("b.pem"), "--id", "MSG1", o.path("UPPLAN.CSV"), o.path("env.der")});
    ASSERT_EQ(sealed.status, 0) << sealed.err;
    EXPECT_NE(sealed.out.find("id MSG1 0300000100 -> 0300000005"), std::string::npos) << sealed.out;

    const auto opened =
        o({"open", "--identity", o.path("b.p12"), "--password-file", o.path("pw"), "--trust",
           o.path("ca.pem"), "--receipt", o.path("r.der"), o.path("env.der"), o.path("got.CSV")});
    ASSERT_EQ(opened.status, 0) << opened.err;
    EXPECT_EQ(opened.out, "verified sender 0300000100 file UPPLAN.CSV id MSG1\n");
    EXPECT_EQ(crypto::readFile(o.path("got.CSV")), crypto::readFile(o.path("UPPLAN.CSV")));
    EXPECT_EQ(crypto::fileMode(o.path("got.CSV")), 0600u);

    const auto receipt =
        o({"receipt", "verify", "--identity", o.path("a.p12"), "--password-file", o.path("pw"), "--trust",
           o.path("ca.pem"), "--envelope", o.path("env.der"), o.path("r.der")});
    EXPECT_EQ(receipt.status, 0) << receipt.err;
    EXPECT_EQ(receipt.out, "receipt verified: 0300000005 received UPPLAN.CSV id MSG1\n");
}

TEST(EnvelopeCli, ARefusedEnvelopeWritesNothingAndExitsOne) {
    Offices o;
    ASSERT_EQ(o({"seal", "--identity", o.path("a.p12"), "--password-file", o.path("pw"), "--to",
                 o.path("b.pem"), o.path("UPPLAN.CSV"), o.path("env.der")})
                  .status,
              0);
    // The wrong office, and a tampered envelope: refused, no output file, no receipt.
    auto third = o({"open", "--identity", o.path("c.p12"), "--password-file", o.path("pw"), "--trust",
                    o.path("ca.pem"), "--receipt", o.path("r.der"), o.path("env.der"), o.path("got.CSV")});
    EXPECT_EQ(third.status, 1);
    EXPECT_NE(third.err.find("not addressed to this office"), std::string::npos) << third.err;
    std::string envelope = crypto::readFile(o.path("env.der"));
    envelope[envelope.size() - 5] = static_cast<char>(envelope[envelope.size() - 5] ^ 0x01);
    o.net.dir().write("tampered.der", envelope);
    auto tampered =
        o({"open", "--identity", o.path("b.p12"), "--password-file", o.path("pw"), "--trust",
           o.path("ca.pem"), "--receipt", o.path("r.der"), o.path("tampered.der"), o.path("got.CSV")});
    EXPECT_EQ(tampered.status, 1);
    EXPECT_FALSE(exists(o.path("got.CSV")));
    EXPECT_FALSE(exists(o.path("r.der")));
}

TEST(EnvelopeCli, AReceiptForAnotherMessageIsRefused) {
    Offices o;
    for (const char* name : {"env1.der", "env2.der"})
        ASSERT_EQ(o({"seal", "--identity", o.path("a.p12"), "--password-file", o.path("pw"), "--to",
                     o.path("b.pem"), o.path("UPPLAN.CSV"), o.path(name)})
                      .status,
                  0);
    ASSERT_EQ(o({"open", "--identity", o.path("b.p12"), "--password-file", o.path("pw"), "--trust",
                 o.path("ca.pem"), "--receipt", o.path("r1.der"), o.path("env1.der"), o.path("got.CSV")})
                  .status,
              0);
    const auto wrong = o({"receipt", "verify", "--identity", o.path("a.p12"), "--password-file", o.path("pw"),
                          "--trust", o.path("ca.pem"), "--envelope", o.path("env2.der"), o.path("r1.der")});
    EXPECT_EQ(wrong.status, 1);
}

TEST(EnvelopeCli, MissingArgumentsAndFilesAreUsageOrIoErrors) {
    Offices o;
    EXPECT_EQ(o({"seal", "--identity", o.path("a.p12"), o.path("UPPLAN.CSV"), o.path("env.der")}).status, 2);
    EXPECT_EQ(o({"seal", "--identity", o.path("a.p12"), "--password-file", o.path("pw"), "--to",
                 o.path("b.pem"), o.path("missing.CSV"), o.path("env.der")})
                  .status,
              2);
    EXPECT_FALSE(exists(o.path("env.der")));
}
