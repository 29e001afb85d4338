#pragma once

#include "RelayFixture.h"
#include "RelayHarness.h"
#include "SampleData.h"
#include "exchange/Engine.h"
#include "exchange/EngineContext.h"

#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cplink::store {
// Readable states in test failures.
inline void PrintTo(MessageState state, std::ostream* out) {
    *out << toString(state);
}
inline void PrintTo(ReceiptStatus status, std::ostream* out) {
    *out << toString(status);
}
} // namespace cplink::store

namespace cplink::test {

// One office's client as a user has it: a profile folder made by `init` (initProfile), an import
// folder, and an Engine on the profile with quick retries so that tests of a relay that is down stay fast.
struct OfficeClient {
    std::string number;
    std::string profileDir;
    std::string importDir;
    std::string outboxDir; // where the test writes the files it sends
    std::vector<std::string> log;
    std::unique_ptr<exchange::Engine> engine;

    store::Store& store() { return engine->store(); }
    // Writes a file into this office's outbox folder and returns its path.
    std::string writeOutgoing(const std::string& name, const std::string& bytes) const;
    // Every file of the import folder (hidden staging files included): name → bytes.
    std::map<std::string, std::string> importFolder() const;
};

// A real relay (SQLite or PostgreSQL, the test's parameter) on 127.0.0.1 with real mutual TLS, and office
// clients on demand. Everything lives in the network's temporary directory.
class ExchangeFixture : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override;

    // Creates the office's certificate and profile, opens its engine, and connects it once so that
    // the relay knows the office.
    OfficeClient& office(const std::string& number, const std::string& name = "事業所");
    // Opens the office's engine again (as a restarted program would), e.g. after its CRL changed.
    void reopen(OfficeClient& client);
    // validate → seal → queue → upload of the given files; expects every file to be queued.
    exchange::SendReport send(OfficeClient& from, const std::vector<std::string>& paths);
    // Polls until nothing moves any more (at most `rounds` polls of every client).
    void receiveAll(const std::vector<OfficeClient*>& clients, int rounds = 4);
    // Runs `cplink-relay office …` on the relay's database.
    int officeCommand(const std::string& arguments);
    std::vector<store::MessageRecord> history(OfficeClient& client, store::Direction direction);

    RelayNetwork network;
    // Set by a derived fixture's constructor to start the relay on a test clock or with other flags.
    std::string relayClockFile;
    std::vector<std::string> relayArgs;
    std::string database;
    std::unique_ptr<RelayProcess> relay;
    std::map<std::string, std::unique_ptr<OfficeClient>> clients;
};

} // namespace cplink::test
