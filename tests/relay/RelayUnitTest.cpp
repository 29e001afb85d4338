// Pieces of the relay that need no process: options and config file, the rate limiter on an injected
// time, the metrics text, message-id rules, routes.
#include "TestSupport.h"
#include "relay/Api.h"
#include "relay/Housekeeping.h"
#include "relay/Metrics.h"
#include "relay/RateLimiter.h"
#include "relay/RelayOptions.h"
#include "relay/Scheduling.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <thread>

using namespace cplink;
using namespace cplink::relay;

TEST(RelayOptions, TheExampleConfigFileIsReadAndFlagsWin) {
    test::TempDir dir;
    const std::string config = dir.write("relay.conf", "listen = 0.0.0.0:443\n"
                                                       "db = postgresql://cplink@db/cplink\n"
                                                       "ca = /etc/ca.pem\n"
                                                       "max-body = 1048576\n"
                                                       "rate = 50\n"
                                                       "retention-days = 7\n");
    CLI::App app;
    RelayOptions options;
    addRelayOptions(app, options);
    const char* argv[] = {"cplink-relay", "--config", config.c_str(), "--rate", "75"};
    app.parse(5, const_cast<char**>(argv));
    EXPECT_EQ(options.listen, "0.0.0.0:443");
    EXPECT_EQ(options.database, "postgresql://cplink@db/cplink");
    EXPECT_EQ(options.anchors, std::vector<std::string>{"/etc/ca.pem"});
    EXPECT_EQ(options.maxBody, 1048576u);
    EXPECT_EQ(options.rate, 75);
    EXPECT_EQ(options.retentionDays, 7);
    const ServerSettings settings = options.serverSettings();
    EXPECT_EQ(settings.host, "0.0.0.0");
    EXPECT_EQ(settings.port, 443);
}

TEST(RelayOptions, TheShippedExampleParses) {
    CLI::App app;
    RelayOptions options;
    addRelayOptions(app, options);
    const std::string path = std::string(CPLINK_SOURCE_DIR) + "/resources/relay/relay.conf.example";
    const char* argv[] = {"cplink-relay", "--config", path.c_str()};
    EXPECT_NO_THROW(app.parse(3, const_cast<char**>(argv)));
    EXPECT_EQ(options.certificate, "/etc/cplink-relay/server.p12");
    EXPECT_NO_THROW(options.serverSettings());
}

TEST(RelayOptions, SchedulingIsBatchUnlessToldNormalAndNothingElseIsAccepted) {
    for (const auto& [args, expected] :
         {std::pair{std::vector<const char*>{"cplink-relay"}, "batch"},
          std::pair{std::vector<const char*>{"cplink-relay", "--scheduling", "normal"}, "normal"},
          std::pair{std::vector<const char*>{"cplink-relay", "--scheduling", "batch"}, "batch"}}) {
        CLI::App app;
        RelayOptions options;
        addRelayOptions(app, options);
        app.parse(static_cast<int>(args.size()), const_cast<char**>(args.data()));
        EXPECT_EQ(options.scheduling, expected);
        EXPECT_NO_THROW(schedulingPolicyFromString(options.scheduling));
    }
    CLI::App app;
    RelayOptions options;
    addRelayOptions(app, options);
    const char* fifo[] = {"cplink-relay", "--scheduling", "fifo"};
    EXPECT_THROW(app.parse(3, const_cast<char**>(fifo)), CLI::ValidationError);
    EXPECT_THROW(schedulingPolicyFromString("fifo"), std::invalid_argument);
    EXPECT_EQ(schedulingPolicyFromString("normal"), SchedulingPolicy::Normal);
    EXPECT_EQ(schedulingPolicyFromString("batch"), SchedulingPolicy::Batch);
}

// On a thread of its own, so that the test binary's other threads keep their policy.
TEST(Scheduling, BatchAppliesToTheCallingThreadAndTheThreadsItStartsNormalChangesNothing) {
    int before = -1, after = -1, inherited = -1, normal = -1;
    std::string normalProblem = "not run", problem = "not run";
    std::thread([&] {
        before = sched_getscheduler(0);
        normalProblem = applySchedulingPolicy(SchedulingPolicy::Normal);
        normal = sched_getscheduler(0);
        problem = applySchedulingPolicy(SchedulingPolicy::Batch);
        after = sched_getscheduler(0);
        std::thread([&] { inherited = sched_getscheduler(0); }).join();
    }).join();
    EXPECT_EQ(before, SCHED_OTHER);
    EXPECT_EQ(normalProblem, "");
    EXPECT_EQ(normal, SCHED_OTHER);
    EXPECT_EQ(problem, "");
    EXPECT_EQ(after, SCHED_BATCH);
    EXPECT_EQ(inherited, SCHED_BATCH);
    EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER) << "the test's own thread is untouched";
}

TEST(RelayOptions, BadListenAddressesAreRefused) {
    RelayOptions options;
    for (const char* bad : {"localhost", ":80", "host:99999", "host:abc"}) {
        options.listen = bad;
        EXPECT_THROW(options.serverSettings(), CLI::ValidationError) << bad;
    }
    options.listen = "[::1]:8443";
    EXPECT_EQ(options.serverSettings().host, "::1");
}

TEST(RateLimiter, BurstThenRateWithRetryAfter) {
    auto now = std::chrono::steady_clock::time_point{};
    RateLimiter limiter(2, 3, [&now] { return now; });
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(limiter.allow("A"));
    int retryAfter = 0;
    EXPECT_FALSE(limiter.allow("A", &retryAfter));
    EXPECT_EQ(retryAfter, 1);
    EXPECT_TRUE(limiter.allow("B")) << "each office has its own bucket";
    now += std::chrono::milliseconds(500); // one token at 2/s
    EXPECT_TRUE(limiter.allow("A"));
    EXPECT_FALSE(limiter.allow("A"));
    now += std::chrono::hours(1); // never more than the burst
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(limiter.allow("A"));
    EXPECT_FALSE(limiter.allow("A"));
    RateLimiter unlimited(0, 0);
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(unlimited.allow("A"));
}

TEST(Metrics, RendersPrometheusText) {
    Metrics metrics;
    metrics.request("upload", 201, 100, 50);
    metrics.request("upload", 201, 10, 5);
    metrics.jobRun("retention", false);
    const std::string text = metrics.render([] { return 7; });
    EXPECT_NE(text.find("# TYPE cplink_relay_requests_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("cplink_relay_requests_total{route=\"upload\",status=\"201\"} 2\n"),
              std::string::npos);
    EXPECT_NE(text.find("cplink_relay_request_bytes_total 110\n"), std::string::npos);
    EXPECT_NE(text.find("cplink_relay_job_runs_total{job=\"retention\",result=\"error\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("cplink_relay_pending_messages 7\n"), std::string::npos);
}

TEST(Api, MessageIdsAreSafeInPathsHeadersAndFileNames) {
    for (const char* good : {"01JD7QAZ3X4Y5Z6A7B8C9D0E1F", "a", "receipt.01J-x_y"})
        EXPECT_TRUE(isMessageId(good)) << good;
    for (const char* bad : {"", ".", "..", "a/b", "a b", "a\\b", "é", "a\nb"})
        EXPECT_FALSE(isMessageId(bad)) << bad;
    EXPECT_TRUE(isMessageId(std::string(64, 'x')));
    EXPECT_FALSE(isMessageId(std::string(65, 'x')));
}

TEST(Api, RoutesAreBoundedNames) {
    EXPECT_EQ(Api::routeOf("POST", "/v1/messages"), "upload");
    EXPECT_EQ(Api::routeOf("GET", "/v1/inbox?limit=3"), "inbox");
    EXPECT_EQ(Api::routeOf("GET", "/v1/messages/x"), "download");
    EXPECT_EQ(Api::routeOf("DELETE", "/v1/messages/x"), "acknowledge");
    EXPECT_EQ(Api::routeOf("GET", "/v1/messages/x/y"), "unknown");
    EXPECT_EQ(Api::routeOf("GET", "/v1/offices/1310000001"), "office");
    EXPECT_EQ(Api::routeOf("GET", "/anything/else"), "unknown");
}

TEST(Housekeeping, AFailingJobIsCountedAndRunsAgain) {
    Metrics metrics;
    Housekeeping housekeeping(metrics, std::chrono::hours(1));
    int runs = 0;
    housekeeping.add({"flaky", [&runs] {
                          if (++runs == 1)
                              throw std::runtime_error("database is locked");
                      }});
    housekeeping.runOnce();
    housekeeping.runOnce();
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(metrics.value("cplink_relay_job_runs_total", "job=\"flaky\",result=\"error\""), 1u);
    EXPECT_EQ(metrics.value("cplink_relay_job_runs_total", "job=\"flaky\",result=\"ok\""), 1u);
    EXPECT_EQ(metrics.value("cplink_relay_errors_total", "kind=\"job\""), 1u);
}
