#pragma once

#include "TestSupport.h"

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace cplink::test {

struct FakeRelayOptions {
    std::string certificateFile; // server certificate + chain, PEM
    std::string keyFile;         // server key, PEM
    std::string clientCaFile;    // CA that client certificates must chain to
    bool tls12Only = false;
    std::size_t maxBody = 16u << 20;
    std::string crlFile; // served at /v1/crl; "" = none configured (404)
    std::vector<std::string> knownOffices;
    std::vector<std::string> disabledOffices;
};

// One request as the fake relay saw it (see fake_relay.py).
struct RecordedRequest {
    int connection = 0; // TLS connections are numbered in accept order
    std::string office; // the caller, from its certificate
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers; // lower-case names
    std::size_t bodySize = 0;
    std::string bodySha256;

    std::string header(const std::string& lowerName) const;
};

// tests/net/fake_relay.py as a real process on 127.0.0.1 with a free port, for error injection. Started
// by the constructor (which waits until it listens), killed by the destructor.
class FakeRelay {
public:
    explicit FakeRelay(FakeRelayOptions options);
    ~FakeRelay();
    FakeRelay(const FakeRelay&) = delete;
    FakeRelay& operator=(const FakeRelay&) = delete;

    int port() const { return m_port; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }

    // Replaces the fault rules (see fake_relay.py); the relay picks them up on its next request. A vector,
    // not one json value: a braced single rule would otherwise become the object instead of a list of it.
    void setFaults(const std::vector<nlohmann::json>& rules);

    std::vector<RecordedRequest> requests() const;
    std::vector<RecordedRequest> requests(std::string_view method, std::string_view path) const;
    // What the relay printed on stderr (failed handshakes), for failure messages.
    std::string diagnostics() const;

private:
    TempDir m_dir;
    std::string m_faultsFile;
    std::string m_logFile;
    pid_t m_pid = -1;
    int m_port = 0;
};

// A TCP port on 127.0.0.1 that nothing listens on (bound and released at once).
int unusedPort();

} // namespace cplink::test
