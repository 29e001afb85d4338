#pragma once

#include "FakeRelay.h"
#include "RealTimePki.h"
#include "net/RelayClient.h"
#include "net/RelayError.h"

#include <chrono>
#include <functional>
#include <gtest/gtest.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cplink::test {

inline constexpr const char* kSakura = "0300000100";   // the sending care-management office
inline constexpr const char* kHimawari = "0300000005"; // the receiving care-service office

// A real-time test network, two offices, and a fake relay with a trusted certificate for 127.0.0.1.
// Clients get a recording sleeper, so retries never wait for real and their delays can be checked.
class RelayTest : public ::testing::Test {
protected:
    RelayTest();

    // Starts the fake relay; the options' TLS files default to the trusted localhost certificate and the CA.
    FakeRelay& startRelay(FakeRelayOptions options = {});
    // Options for a relay that already knows the recipient office (as if it had connected before).
    static FakeRelayOptions knowingRecipient() {
        FakeRelayOptions options;
        options.knownOffices = {kHimawari};
        return options;
    }
    // Short fixed delays, no jitter, 4 attempts, generous timeouts, the recording sleeper.
    net::RelayClientConfig config(const std::string& url);
    net::RelayClientConfig config() { return config(relay().url()); }
    net::RelayClient client(const crypto::Identity& identity) { return net::RelayClient(config(), identity); }

    FakeRelay& relay();
    ServerFiles serverFiles(const std::string& name, const crypto::Identity& server) {
        return writeServerFiles(m_files, name, server);
    }
    const TempDir& files() const { return m_files; }

    RealTimePki pki;
    crypto::Identity sakura;
    crypto::Identity himawari;
    std::vector<std::chrono::milliseconds> sleeps; // every delay a client asked to sleep

private:
    TempDir m_files;
    std::unique_ptr<FakeRelay> m_relay;
};

// Runs the call and returns the RelayError it throws; fails the test if it throws nothing.
net::RelayError relayErrorOf(const std::function<void()>& call);

} // namespace cplink::test
