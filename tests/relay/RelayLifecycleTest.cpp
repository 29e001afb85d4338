// The relay's life: a success answer means the message is on disk (SIGKILL right after it loses
// nothing), SIGTERM ends it cleanly, retention expires undelivered messages and tells the sender,
// and several relays on one PostgreSQL serve the same offices.
#include "RelayFixture.h"
#include "SyscallRefusal.h"
#include "crypto/Digest.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sched.h>
#include <set>
#include <sys/syscall.h>
#include <thread>

using namespace cplink;
using namespace cplink::test;
using nlohmann::json;

TEST_P(RelayFixture, ASuccessAnswerSurvivesSigkillRightAfterIt) {
    std::vector<std::string> bodies;
    for (int i = 0; i < 20; ++i) {
        bodies.push_back("envelope " + std::to_string(i) +
                         std::string(static_cast<std::size_t>(1000 * i), 'z'));
        ASSERT_EQ(upload(a, kOfficeB, "durable-" + std::to_string(i), bodies.back()).status, 201);
    }
    relay->kill(); // no chance to flush anything after the last answer
    startRelay();
    const json inbox = inboxOf(b);
    ASSERT_EQ(inbox.size(), bodies.size());
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        const auto download = as(b, "GET", "/v1/messages/durable-" + std::to_string(i));
        EXPECT_EQ(download.status, 200);
        EXPECT_EQ(download.body, bodies[i]);
    }
}

TEST_P(RelayFixture, SigtermEndsTheRelayCleanly) {
    quietRelay = false;
    startRelay();
    const std::string secretBody = "SEALED-ENVELOPE-BYTES-7f3a9c";
    ASSERT_EQ(upload(a, kOfficeB, "before-stop", secretBody).status, 201);
    auto idle = std::make_unique<TlsTestClient>(relay->port(), &a,
                                                std::vector{crypto::Certificate::load(network.caFile())});
    ASSERT_TRUE(idle->connect());
    ASSERT_TRUE(idle->request("GET", "/v1/inbox")); // now idle, kept alive
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(relay->terminate(), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5))
        << "idle connections must not delay";
    EXPECT_NE(relay->log().find("\"event\":\"stopped\""), std::string::npos) << relay->log();
    // The log tells what happened (offices, ids, sizes, statuses) and nothing it must not.
    const std::string log = relay->log();
    EXPECT_NE(log.find("\"event\":\"message_stored\""), std::string::npos) << log;
    EXPECT_EQ(log.find(secretBody), std::string::npos) << "an envelope's bytes reached the log";
    EXPECT_EQ(log.find("relay-test-password"), std::string::npos) << "the PKCS#12 password reached the log";
    startRelay();
    EXPECT_EQ(inboxOf(b).size(), 1u);
}

namespace {
// The scheduling policy of every thread of `pid`, by thread name.
std::multimap<std::string, int> schedulingPoliciesOf(int pid) {
    std::multimap<std::string, int> policies;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        policies.emplace(name, sched_getscheduler(std::stoi(task.path().filename().string())));
    }
    return policies;
}
} // namespace

// `top -H` and `perf` show which thread is busy: the network threads, housekeeping and (SQLite) the
// group-commit writer, its sync thread and the checkpointer carry names of their own.
TEST_P(RelayFixture, ThreadsCarryNamesAnOperatorCanRead) {
    const auto names = schedulingPoliciesOf(relay->pid()); // keyed by thread name
    EXPECT_EQ(names.count("relay-io"), 1u); // two network threads: the main thread and one more
    EXPECT_EQ(names.count("relay-housekeep"), 1u);
    const std::size_t sqliteThreads = GetParam() == Backend::Sqlite ? 1u : 0u;
    EXPECT_EQ(names.count("relay-writer"), sqliteThreads);
    EXPECT_EQ(names.count("relay-walsync"), sqliteThreads);
    EXPECT_EQ(names.count("relay-checkpt"), sqliteThreads);
}

// Every thread runs under SCHED_BATCH by default (Scheduling.h), including the storage threads that
// start before the server; `--scheduling normal` leaves them all SCHED_OTHER.
TEST_P(RelayFixture, EveryThreadRunsUnderTheChosenSchedulingPolicy) {
    for (const auto& [args, expected] :
         {std::pair{std::vector<std::string>{}, SCHED_BATCH},
          std::pair{std::vector<std::string>{"--scheduling", "normal"}, SCHED_OTHER}}) {
        startRelay(args);
        ASSERT_EQ(upload(a, kOfficeB, "scheduled-" + std::to_string(expected), "sealed").status, 201);
        const auto policies = schedulingPoliciesOf(relay->pid());
        EXPECT_GE(policies.size(), GetParam() == Backend::Sqlite ? 6u : 3u);
        for (const auto& [name, policy] : policies)
            EXPECT_EQ(policy, expected) << name << " with" << (args.empty() ? " the default" : " " + args[1]);
        EXPECT_EQ(policies.count("relay-io"), 1u);
        if (GetParam() == Backend::Sqlite) {
            EXPECT_EQ(policies.count("relay-writer"), 1u);
        }
    }
}

// Where the kernel refuses SCHED_BATCH (a container's seccomp profile may), the relay says so once in its
// log and serves on under the normal policy; `--scheduling normal` asks for nothing, so nothing is said.
TEST_P(RelayFixture, ARefusedSchedulingPolicyIsLoggedAndTheRelayServesOn) {
    if (!SyscallRefusal::available())
        GTEST_SKIP() << "this kernel offers no seccomp filters to refuse sched_setscheduler with";
    refusedSyscalls = {SYS_sched_setscheduler};
    startRelay();
    ASSERT_EQ(upload(a, kOfficeB, "batch-refused", "sealed").status, 201);
    for (const auto& [name, policy] : schedulingPoliciesOf(relay->pid()))
        EXPECT_EQ(policy, SCHED_OTHER) << name;
    const std::string log = relay->log();
    EXPECT_NE(log.find("\"scheduling_policy_not_applied\""), std::string::npos) << log;
    EXPECT_NE(log.find("sched_setscheduler(SCHED_BATCH): Operation not permitted"), std::string::npos) << log;

    startRelay({"--scheduling", "normal"});
    ASSERT_EQ(upload(a, kOfficeB, "normal-asked", "sealed").status, 201);
    EXPECT_EQ(relay->log().find("scheduling_policy_not_applied"), std::string::npos) << relay->log();
}

TEST_P(RelayFixture, UndeliveredMessagesExpireAndTheSenderIsTold) {
    const std::string clockFile = network.path("clock");
    const auto writeClock = [&](long long t) {
        std::ofstream(clockFile + ".tmp") << t << '\n';
        std::rename((clockFile + ".tmp").c_str(), clockFile.c_str());
    };
    const long long start = 1'800'000'000;
    writeClock(start);
    startRelay({"--housekeeping-interval", "0.2", "--retention-days", "30"}, clockFile);
    ASSERT_EQ(upload(a, kOfficeB, "will-expire", "sealed").status, 201);
    ASSERT_EQ(upload(a, kOfficeC, "will-arrive", "sealed too").status, 201);
    ASSERT_EQ(as(c, "DELETE", "/v1/messages/will-arrive").status, 204);

    writeClock(start + 29 * 86400);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    EXPECT_EQ(inboxOf(b).size(), 1u) << "not yet";

    writeClock(start + 31 * 86400);
    json notices = json::array();
    for (int i = 0; i < 50 && notices.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        notices = inboxOf(a);
    }
    EXPECT_TRUE(inboxOf(b).empty()) << "expired messages leave the addressee's inbox";
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_EQ(notices[0]["kind"], "expiry-notice");
    EXPECT_EQ(notices[0]["from"], "relay");
    const std::string id = notices[0]["message_id"];
    const auto notice = as(a, "GET", "/v1/messages/" + id);
    ASSERT_EQ(notice.status, 200);
    const json body = json::parse(notice.body);
    EXPECT_EQ(body["type"], "expired");
    EXPECT_EQ(body["message_id"], "will-expire");
    EXPECT_EQ(body["recipient"], kOfficeB);
    EXPECT_EQ(body["received_at"], start);
    EXPECT_EQ(notice.header("x-content-sha256"), crypto::sha256Hex(notice.body));
    EXPECT_EQ(as(a, "DELETE", "/v1/messages/" + id).status, 204);
    EXPECT_EQ(as(b, "GET", "/v1/messages/will-expire").status, 404);

    // The sender may send it again under the same id: it was never delivered.
    EXPECT_EQ(upload(a, kOfficeB, "will-expire", "sealed").status, 201);
    EXPECT_EQ(inboxOf(b).size(), 1u);
    const std::string metrics = as(a, "GET", "/metrics").body;
    EXPECT_NE(metrics.find("cplink_relay_expired_messages_total 1\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("cplink_relay_job_runs_total{job=\"retention\",result=\"ok\"}"),
              std::string::npos);
}

class TwoRelays : public RelayFixture {};

TEST_P(TwoRelays, AMessageUploadedThroughOneRelayIsDownloadedThroughAnother) {
    RelayProcess second(network, RelayProcess::Options{database, {"--quiet"}, {}, false, {}});
    second.start();
    ASSERT_EQ(upload(a, kOfficeB, "scale-out", "via relay one").status, 201);
    const auto viaSecond = requestAs(second.port(), b, network, "GET", "/v1/messages/scale-out");
    ASSERT_TRUE(viaSecond);
    EXPECT_EQ(viaSecond->status, 200);
    EXPECT_EQ(viaSecond->body, "via relay one");
    EXPECT_EQ(requestAs(second.port(), b, network, "DELETE", "/v1/messages/scale-out")->status, 204);
    EXPECT_EQ(as(b, "DELETE", "/v1/messages/scale-out").status, 404) << "acknowledged once, for both";
    // The same upload retried through the other relay gets the original answer.
    const auto retry =
        requestAs(second.port(), a, network, "POST", "/v1/messages",
                  {{"X-Message-Id", "scale-out"}, {"X-Recipient-Office", kOfficeB}}, "via relay one");
    EXPECT_EQ(retry->status, 201);
    EXPECT_TRUE(inboxOf(b).empty());
}

#ifdef CPLINK_WITH_POSTGRES_TESTS
INSTANTIATE_TEST_SUITE_P(Postgres, TwoRelays, ::testing::Values(Backend::Postgres), backendName);
#endif
