#pragma once

#include "RelayHarness.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cplink::test {

// Offices of the integration tests: A a care-management office, B and C service offices.
inline const std::string kOfficeA = "1310000001";
inline const std::string kOfficeB = "1310000002";
inline const std::string kOfficeC = "1310000003";

// Where a test relay keeps its state: a SQLite file in the network's directory, or a fresh database
// on the test PostgreSQL server. Integration suites are parameterised over both.
enum class Backend { Sqlite, Postgres };
std::string backendName(const ::testing::TestParamInfo<Backend>& info);
// SQLite, and PostgreSQL when the tests are built with it.
std::vector<Backend> allBackends();
// A new, empty database location for `backend` (PostgreSQL: started once per test binary).
std::string freshDatabase(Backend backend, const RelayNetwork& network);

// A running relay with three office identities that have each connected once (so they are known).
class RelayFixture : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override;
    // Starts the relay (again) with these extra arguments; keeps the database.
    void startRelay(std::vector<std::string> extraArgs = {}, const std::string& clockFile = {},
                    bool withCrl = false);

    // One request on a fresh connection; a connection that fails is a test failure (status 0).
    HttpReply as(const crypto::Identity& who, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers = {}, const std::string& body = {});
    HttpReply upload(const crypto::Identity& from, const std::string& to, const std::string& id,
                     const std::string& body);
    nlohmann::json inboxOf(const crypto::Identity& who);
    // Runs `cplink-relay office …` on the relay's database; returns the exit status.
    int officeCommand(const std::string& arguments, std::string* output = nullptr);

    RelayNetwork network;
    bool quietRelay = true;           // the relay logs warnings and errors only
    std::vector<int> refusedSyscalls; // for the next startRelay(): fail with EPERM in the relay
    std::string database;
    std::unique_ptr<RelayProcess> relay;
    crypto::Identity a = network.office(kOfficeA, "さくら居宅介護支援事業所");
    crypto::Identity b = network.office(kOfficeB, "ひまわり訪問介護");
    crypto::Identity c = network.office(kOfficeC, "つばさ通所介護");
};

} // namespace cplink::test
