// Crash safety (DESIGN.md §6, LESSONS.md): real `cplink` processes that die by SIGKILL at every state
// transition (CPLINK_TEST_FAILPOINT) while 100 files go each way, restarted each time. Afterwards every
// file has arrived exactly once, byte-identical, with a verified receipt, and neither side has a
// duplicate in its import folder or its history.
#include "ExchangeFixture.h"
#include "crypto/Digest.h"
#include "crypto/Files.h"

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

namespace cplink::test {

namespace {

using store::Direction;
using store::MessageState;

struct Run {
    bool killed = false; // ended by SIGKILL (the failpoint fired)
    int exitCode = -1;
};

// Runs the real cplink with `arguments`, the failpoint armed if given; output goes to `logPath`.
Run runCplink(const std::vector<std::string>& arguments, const std::string& failpoint,
              const std::string& logPath) {
    std::vector<std::string> argvStrings{CPLINK_EXE};
    argvStrings.insert(argvStrings.end(), arguments.begin(), arguments.end());
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log >= 0) {
            ::dup2(log, 1);
            ::dup2(log, 2);
        }
        if (failpoint.empty())
            ::unsetenv("CPLINK_TEST_FAILPOINT");
        else
            ::setenv("CPLINK_TEST_FAILPOINT", failpoint.c_str(), 1);
        std::vector<char*> argv;
        for (auto& argument : argvStrings)
            argv.push_back(argument.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    Run run;
    run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

// Distinct valid times of day for 100 sequences: 10:00:00, 10:00:01, …
std::string sequenceFor(int i) {
    char text[32];
    std::snprintf(text, sizeof text, "20250401%02d%02d%02d", 10 + i / 3600, (i / 60) % 60, i % 60);
    return text;
}

class ExchangeCrash : public ExchangeFixture {};

TEST_P(ExchangeCrash, EveryFileArrivesExactlyOnceThroughKillsAtEveryTransition) {
    constexpr int kFiles = 100;
    auto& manager = office("0300000100", "さくら");
    auto& service = office("0300000005", "ひまわり");
    std::map<std::string, std::string> toService, toManager; // name → bytes
    for (int i = 0; i < kFiles; ++i) {
        auto plan = testdata::validRecord(spec::FileKind::DltPlan);
        const auto planName = testdata::directedFileName(spec::FileKind::DltPlan, "202504", sequenceFor(i));
        toService[planName] = testdata::sjis(testdata::toCsv({plan}));
        manager.writeOutgoing(planName, toService[planName]);
        const auto actualName = testdata::directedFileName(spec::FileKind::UpJsk, "202504", sequenceFor(i));
        toManager[actualName] =
            testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::UpJsk)}));
        service.writeOutgoing(actualName, toManager[actualName]);
    }
    // The engines of the fixture stay closed while the processes run.
    manager.engine.reset();
    service.engine.reset();
    const std::string log = network.path("cplink.log");
    auto sendAs = [&](OfficeClient& client, const std::string& failpoint) {
        return runCplink({"--profile", client.profileDir, "send", client.outboxDir}, failpoint, log);
    };
    auto receiveAs = [&](OfficeClient& client, const std::string& failpoint) {
        return runCplink({"--profile", client.profileDir, "receive", "--once"}, failpoint, log);
    };

    std::map<std::string, int> kills;
    for (const char* failpoint : {"send.queued@3", "send.sending@2", "send.uploaded@2", "send.relayed@2"}) {
        for (OfficeClient* client : {&manager, &service})
            kills[failpoint] += sendAs(*client, failpoint).killed ? 1 : 0;
    }
    for (OfficeClient* client : {&manager, &service})
        EXPECT_FALSE(sendAs(*client, "").killed);
    for (const char* failpoint :
         {"receive.downloaded@2", "receive.verified@2", "receive.staged@2", "receive.saving@2",
          "receive.published@2", "receive.saved@2", "receive.receipt-made@2", "receive.receipt-uploaded@2",
          "receive.receipt-sent@2", "receive.acknowledge-sent@2", "receive.acknowledged@2",
          "send.delivered@2"}) {
        for (OfficeClient* client : {&manager, &service})
            kills[failpoint] += receiveAs(*client, failpoint).killed ? 1 : 0;
    }
    for (const auto& [failpoint, count] : kills)
        EXPECT_GE(count, 1) << failpoint << " never fired: that transition was not tested";
    EXPECT_EQ(kills.size(), 16u);
    for (int round = 0; round < 4; ++round) {
        for (OfficeClient* client : {&manager, &service})
            EXPECT_FALSE(receiveAs(*client, "").killed);
    }

    reopen(manager);
    reopen(service);
    EXPECT_EQ(service.importFolder(), toService) << crypto::readFile(log).substr(0, 4000);
    EXPECT_EQ(manager.importFolder(), toManager);
    for (auto [client, sent, received] :
         {std::tuple{&manager, &toService, &toManager}, std::tuple{&service, &toManager, &toService}}) {
        const auto outgoing = history(*client, Direction::Outgoing);
        EXPECT_EQ(outgoing.size(), sent->size()) << client->number;
        std::set<std::string> names;
        for (const auto& record : outgoing) {
            names.insert(record.fileName);
            EXPECT_EQ(record.state, MessageState::Delivered) << record.fileName << " " << record.error;
            EXPECT_EQ(record.receiptStatus, store::ReceiptStatus::Verified) << record.fileName;
            EXPECT_EQ(record.sha256, crypto::sha256Hex(sent->at(record.fileName)));
        }
        EXPECT_EQ(names.size(), sent->size());
        const auto incoming = history(*client, Direction::Incoming);
        EXPECT_EQ(incoming.size(), received->size()) << client->number;
        std::set<std::string> ids;
        for (const auto& record : incoming) {
            ids.insert(record.messageId);
            EXPECT_EQ(record.state, MessageState::Acknowledged) << record.fileName << " " << record.error;
        }
        EXPECT_EQ(ids.size(), received->size());
        EXPECT_TRUE(client->engine->context().relay(client->number).inbox().empty());
    }
}

INSTANTIATE_TEST_SUITE_P(Relay, ExchangeCrash, ::testing::Values(Backend::Sqlite), backendName);

} // namespace

} // namespace cplink::test
