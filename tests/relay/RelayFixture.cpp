#include "RelayFixture.h"

#include <array>
#include <cstdio>
#include <sys/wait.h>

#ifdef CPLINK_WITH_POSTGRES_TESTS
#include "PostgresServer.h"
#endif

namespace cplink::test {

std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

std::vector<Backend> allBackends() {
#ifdef CPLINK_WITH_POSTGRES_TESTS
    return {Backend::Sqlite, Backend::Postgres};
#else
    return {Backend::Sqlite};
#endif
}

std::string freshDatabase(Backend backend, const RelayNetwork& network) {
    if (backend == Backend::Sqlite) {
        static int counter = 0;
        return network.path("relay-" + std::to_string(++counter) + ".db");
    }
#ifdef CPLINK_WITH_POSTGRES_TESTS
    static PostgresServer server; // one real PostgreSQL per test binary, a database per test
    return server.createDatabase();
#else
    ADD_FAILURE() << "built without PostgreSQL tests";
    return {};
#endif
}

void RelayFixture::SetUp() {
    database = freshDatabase(GetParam(), network);
    startRelay();
    for (const auto* office : {&a, &b, &c})
        ASSERT_EQ(as(*office, "GET", "/v1/inbox").status, 200) << "office could not connect";
}

void RelayFixture::startRelay(std::vector<std::string> extraArgs, const std::string& clockFile,
                              bool withCrl) {
    if (relay)
        relay->kill();
    if (quietRelay)
        extraArgs.push_back("--quiet");
    relay = std::make_unique<RelayProcess>(
        network, RelayProcess::Options{database, extraArgs, clockFile, withCrl, refusedSyscalls});
    relay->start();
}

HttpReply RelayFixture::as(const crypto::Identity& who, const std::string& method, const std::string& target,
                           const std::map<std::string, std::string>& headers, const std::string& body) {
    auto reply = requestAs(relay->port(), who, network, method, target, headers, body);
    if (!reply) {
        ADD_FAILURE() << method << ' ' << target << ": no answer";
        return HttpReply{};
    }
    return *reply;
}

HttpReply RelayFixture::upload(const crypto::Identity& from, const std::string& to, const std::string& id,
                               const std::string& body) {
    return as(from, "POST", "/v1/messages",
              {{"X-Message-Id", id}, {"X-Recipient-Office", to}, {"Content-Type", "application/cms"}}, body);
}

nlohmann::json RelayFixture::inboxOf(const crypto::Identity& who) {
    const auto reply = as(who, "GET", "/v1/inbox");
    if (reply.status != 200) {
        ADD_FAILURE() << "inbox failed: " << reply.status;
        return nlohmann::json::array();
    }
    return nlohmann::json::parse(reply.body)["messages"];
}

int RelayFixture::officeCommand(const std::string& arguments, std::string* output) {
    const std::string command =
        std::string(CPLINK_RELAY_EXE) + " --db '" + database + "' office " + arguments + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return -1;
    std::array<char, 4096> buffer{};
    std::string text;
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        text.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    if (output)
        *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace cplink::test
