#include "ExchangeFixture.h"

#include "crypto/Files.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"
#include "exchange/Profile.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <sys/wait.h>

namespace cplink::test {

namespace fs = std::filesystem;

std::string OfficeClient::writeOutgoing(const std::string& name, const std::string& bytes) const {
    fs::create_directories(outboxDir);
    const std::string path = outboxDir + "/" + name;
    crypto::writeFileAtomic(path, bytes, 0644);
    return path;
}

std::map<std::string, std::string> OfficeClient::importFolder() const {
    std::map<std::string, std::string> files;
    if (!fs::exists(importDir))
        return files;
    for (const auto& entry : fs::directory_iterator(importDir))
        files[entry.path().filename().string()] = crypto::readFile(entry.path().string());
    return files;
}

void ExchangeFixture::SetUp() {
    database = freshDatabase(GetParam(), network);
    relay = std::make_unique<RelayProcess>(
        network, RelayProcess::Options{database, relayArgs, relayClockFile, false, {}});
    relay->start();
}

OfficeClient& ExchangeFixture::office(const std::string& number, const std::string& name) {
    auto client = std::make_unique<OfficeClient>();
    client->number = number;
    client->profileDir = network.path("profile-" + number);
    client->importDir = network.path("import-" + number);
    client->outboxDir = network.path("outbox-" + number);
    const crypto::Identity identity = network.office(number, name);
    const std::string p12 = network.path(number + ".p12");
    crypto::writeFileAtomic(p12, crypto::exportPkcs12(identity, crypto::Secret("office-password"), "office"),
                            0600);
    const std::string password = network.path(number + ".pw");
    crypto::writeFileAtomic(password, "office-password\n", 0600);

    exchange::InitRequest request;
    request.profileDir = client->profileDir;
    request.relayUrl = relay->url();
    request.identityP12 = p12;
    request.passwordFile = password;
    request.trustFile = network.caFile();
    request.importDir = client->importDir;
    const crypto::SystemClock clock;
    exchange::initProfile(request, clock);
    OfficeClient& ref = *client;
    clients[number] = std::move(client);
    reopen(ref);
    ref.engine->receive(); // the relay learns the office from its first connection
    return ref;
}

void ExchangeFixture::reopen(OfficeClient& client) {
    static const crypto::SystemClock clock;
    exchange::EngineOptions options;
    options.profileDir = client.profileDir;
    options.clock = &clock;
    options.retry.maxAttempts = 2;
    options.retry.baseDelay = std::chrono::milliseconds(20);
    options.retry.maxDelay = std::chrono::milliseconds(50);
    options.log = [&client](std::string_view line) {
        client.log.emplace_back(line);
    };
    client.engine.reset();
    client.engine = std::make_unique<exchange::Engine>(std::move(options));
}

exchange::SendReport ExchangeFixture::send(OfficeClient& from, const std::vector<std::string>& paths) {
    const exchange::SendPlan plan = from.engine->plan(paths);
    EXPECT_EQ(plan.refused(), 0u);
    for (const auto& queued : from.engine->queue(plan))
        EXPECT_EQ(queued.refusal, "") << queued.fileName;
    return from.engine->sendPending();
}

void ExchangeFixture::receiveAll(const std::vector<OfficeClient*>& all, int rounds) {
    for (int round = 0; round < rounds; ++round) {
        for (OfficeClient* client : all)
            client->engine->receive();
    }
}

int ExchangeFixture::officeCommand(const std::string& arguments) {
    const std::string command =
        std::string(CPLINK_RELAY_EXE) + " --db '" + database + "' office " + arguments + " >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<store::MessageRecord> ExchangeFixture::history(OfficeClient& client, store::Direction direction) {
    store::HistoryQuery query;
    query.direction = direction;
    query.descending = false;
    query.limit = 1000;
    return client.store().history(query).rows;
}

} // namespace cplink::test
