// The `cplink` exchange commands as a user types them (cli::runExchange with captured output), against
// the real relay: init refusals change nothing, send --dry-run sends nothing, and the JSON that scripts
// read from history, show, partners and evidence.
#include "ExchangeFixture.h"
#include "cli/ExchangeCommands.h"
#include "crypto/Files.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cplink::test {

namespace {

using nlohmann::json;

class CliWorkflow : public ExchangeFixture {
protected:
    struct Result {
        int status = -1;
        std::string out, err;
    };
    Result run(cli::ExchangeOptions options) {
        std::ostringstream out, err;
        static const crypto::SystemClock clock;
        Result result;
        result.status = cli::runExchange(options, clock, out, err);
        result.out = out.str();
        result.err = err.str();
        return result;
    }
    cli::ExchangeOptions command(const OfficeClient& client, const std::string& name) const {
        cli::ExchangeOptions options;
        options.profile = client.profileDir;
        options.command = name;
        return options;
    }
    cli::ExchangeOptions initFor(const std::string& number, const std::string& password) {
        const crypto::Identity identity = network.office(number, "新しい事業所");
        const std::string p12 = network.path(number + "-new.p12");
        crypto::writeFileAtomic(p12, crypto::exportPkcs12(identity, crypto::Secret("right"), "office"), 0600);
        crypto::writeFileAtomic(network.path("pw-" + password), password + "\n", 0600);
        cli::ExchangeOptions options;
        options.command = "init";
        options.profile = network.path("new-profile");
        options.relay = relay->url();
        options.identity = p12;
        options.passwordFile = network.path("pw-" + password);
        options.trust = network.caFile();
        options.importDir = network.path("new-import");
        return options;
    }
};

TEST_P(CliWorkflow, InitWithAWrongPasswordOrForeignTrustWritesNothing) {
    const auto wrong = run(initFor("0300000200", "wrong"));
    EXPECT_EQ(wrong.status, 1) << wrong.err;
    EXPECT_NE(wrong.err.find("password"), std::string::npos) << wrong.err;
    EXPECT_FALSE(std::filesystem::exists(network.path("new-profile")));

    auto foreign = initFor("0300000200", "right");
    RelayNetwork other; // another CA: the identity's chain does not verify against it
    foreign.trust = other.caFile();
    const auto refused = run(foreign);
    EXPECT_EQ(refused.status, 2) << refused.err;
    EXPECT_NE(refused.err.find("does not verify"), std::string::npos) << refused.err;
    EXPECT_FALSE(std::filesystem::exists(network.path("new-profile")));

    const auto good = run(initFor("0300000200", "right"));
    EXPECT_EQ(good.status, 0) << good.err;
    EXPECT_NE(good.out.find("0300000200"), std::string::npos);
    EXPECT_EQ(crypto::fileMode(network.path("new-profile")) & 0777, 0700u);
    EXPECT_EQ(crypto::fileMode(exchange::profile::identityPath(network.path("new-profile"), "0300000200")) &
                  0777,
              0600u);
}

TEST_P(CliWorkflow, SendDryRunShowsThePlanAndSendsNothing) {
    auto& manager = office("0300000100");
    office("0300000005");
    auto options = command(manager, "send");
    options.paths = {manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504"),
        testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)})))};
    options.dryRun = true;
    options.json = true;
    const auto result = run(options);
    EXPECT_EQ(result.status, 0) << result.err;
    const json plan = json::parse(result.out);
    EXPECT_EQ(plan["sendable"], 1);
    EXPECT_EQ(plan["refused"], 0);
    EXPECT_TRUE(history(manager, store::Direction::Outgoing).empty());
}

TEST_P(CliWorkflow, HistoryShowPartnersAndEvidenceSpeakJson) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005", "ひまわり訪問介護");
    auto sendOptions = command(manager, "send");
    sendOptions.paths = {manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504"),
        testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)})))};
    const auto sent = run(sendOptions);
    ASSERT_EQ(sent.status, 0) << sent.out << sent.err;
    EXPECT_NE(sent.out.find("relayed 1"), std::string::npos) << sent.out;
    receiveAll({&service, &manager});

    auto historyOptions = command(manager, "history");
    historyOptions.json = true;
    const json history = json::parse(run(historyOptions).out);
    ASSERT_EQ(history["messages"].size(), 1u);
    EXPECT_EQ(history["total"], 1);
    EXPECT_EQ(history["messages"][0]["state"], "delivered");
    EXPECT_EQ(history["messages"][0]["receipt_status"], "verified");

    auto showOptions = command(manager, "show");
    showOptions.json = true;
    showOptions.id = history["messages"][0]["message_id"];
    const json shown = json::parse(run(showOptions).out);
    ASSERT_GE(shown["transitions"].size(), 4u);
    EXPECT_EQ(shown["transitions"][0]["state"], "queued");
    EXPECT_EQ(shown["transitions"].back()["state"], "delivered");

    auto partnersOptions = command(manager, "partners");
    partnersOptions.json = true;
    partnersOptions.query = "ひまわり";
    const json partners = json::parse(run(partnersOptions).out);
    ASSERT_EQ(partners.size(), 1u);
    EXPECT_EQ(partners[0]["office"], "0300000005");
    EXPECT_EQ(partners[0]["certificates"].size(), 1u);

    auto cancelOptions = command(manager, "cancel");
    cancelOptions.id = std::to_string(history["messages"][0]["id"].get<int>());
    const auto cancel = run(cancelOptions);
    EXPECT_EQ(cancel.status, 1);
    EXPECT_NE(cancel.err.find("取り消せません"), std::string::npos) << cancel.err;

    auto evidenceOptions = command(manager, "evidence");
    evidenceOptions.month = "202504";
    evidenceOptions.out = network.path("evidence.json");
    EXPECT_EQ(run(evidenceOptions).status, 0);
    EXPECT_EQ(json::parse(crypto::readFile(evidenceOptions.out))["messages"].size(), 1u);
}

TEST_P(CliWorkflow, CommandsWithoutAProfileSayHowToMakeOne) {
    cli::ExchangeOptions options;
    options.command = "history";
    options.profile = network.path("nowhere");
    const auto result = run(options);
    EXPECT_EQ(result.status, 2);
    EXPECT_NE(result.err.find("no profile"), std::string::npos) << result.err;
}

INSTANTIATE_TEST_SUITE_P(Relay, CliWorkflow, ::testing::Values(Backend::Sqlite), backendName);

} // namespace

} // namespace cplink::test
