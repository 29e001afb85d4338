#include "RelayTestFixture.h"

namespace cplink::test {

using namespace std::chrono_literals;

RelayTest::RelayTest()
    : sakura(pki.office(kSakura, "さくら居宅")), himawari(pki.office(kHimawari, "ひまわり訪問介護")) {
}

FakeRelay& RelayTest::startRelay(FakeRelayOptions options) {
    if (options.certificateFile.empty()) {
        const ServerFiles server = serverFiles("relay", pki.server());
        options.certificateFile = server.certificate;
        options.keyFile = server.key;
    }
    if (options.clientCaFile.empty())
        options.clientCaFile = pki.caFile();
    m_relay = std::make_unique<FakeRelay>(std::move(options));
    return *m_relay;
}

FakeRelay& RelayTest::relay() {
    if (!m_relay)
        throw std::logic_error("startRelay() first");
    return *m_relay;
}

net::RelayClientConfig RelayTest::config(const std::string& url) {
    net::RelayClientConfig config;
    config.connection.baseUrl = url;
    config.connection.connectTimeout = 20s;
    config.connection.requestTimeout = 30s;
    config.trustAnchors = {pki.caCertificate()};
    config.retry.maxAttempts = 4;
    config.retry.baseDelay = 100ms;
    config.retry.maxDelay = 1000ms;
    config.retry.jitter = 0;
    config.sleeper = [this](std::chrono::milliseconds delay) {
        sleeps.push_back(delay);
    };
    return config;
}

net::RelayError relayErrorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const net::RelayError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a RelayError";
    throw std::runtime_error("expected a RelayError");
}

} // namespace cplink::test
