#pragma once

#include "TestSupport.h"
#include "crypto/Clock.h"
#include "crypto/Identity.h"
#include "crypto/TestCa.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cplink::test {

// A test network for the relay on the REAL clock (TLS checks certificates at the real time): a CA, the
// relay's server certificate for 127.0.0.1, and office certificates on demand. Files in a temp dir.
class RelayNetwork {
public:
    RelayNetwork();

    crypto::TestCa& ca() { return *m_ca; }
    const crypto::Clock& clock() const { return m_clock; }
    std::string path(const std::string& name) const { return m_dir.path() + "/" + name; }
    const TempDir& dir() const { return m_dir; }

    // An office certificate valid now (or as given: negative offsets issue it in the past/future).
    crypto::Identity office(const std::string& number, const std::string& name = "Office",
                            const crypto::KeySpec& key = crypto::KeySpec::ec());
    // Issued a year ago for 30 days: expired now.
    crypto::Identity expiredOffice(const std::string& number);
    // Valid from 30 days from now.
    crypto::Identity futureOffice(const std::string& number);
    // Writes the CA's current CRL to crl.pem and returns the path.
    std::string writeCrl();

    std::string caFile() const { return path("ca.pem"); }
    std::string serverP12() const { return path("server.p12"); }
    std::string passwordFile() const { return path("password"); }

private:
    TempDir m_dir;
    crypto::SystemClock m_clock;
    std::unique_ptr<crypto::TestCa> m_ca;
};

// A real `cplink-relay` process on 127.0.0.1 and a free port, stderr (its JSON log) to a file.
class RelayProcess {
public:
    struct Options {
        std::string database;               // SQLite path or postgresql:// URL
        std::vector<std::string> extraArgs; // e.g. {"--max-body", "1000"}
        std::string clockFile;              // CPLINK_RELAY_TEST_CLOCK_FILE, if set
        bool withCrl = false;               // --crl <network>/crl.pem
        std::vector<int> refusedSyscalls;   // fail with EPERM in the relay (SyscallRefusal.h)
    };
    RelayProcess(RelayNetwork& network, Options options);
    ~RelayProcess(); // SIGKILL if still running

    void start();             // waits until the port file appears (fails the test after 20 s)
    void restartOnSamePort(); // kill if running, start again listening on the previous port
    int terminate();          // SIGTERM, wait; returns the exit status
    void kill();              // SIGKILL, wait
    bool running();
    unsigned short port() const { return m_port; }
    int pid() const { return m_pid; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }
    std::string log() const; // what it wrote to stderr so far

private:
    RelayNetwork& m_network;
    Options m_options;
    std::string m_logPath;
    std::string m_portFile;
    int m_pid = -1;
    unsigned short m_port = 0;
    unsigned short m_listenPort = 0; // 0: any free port
    int m_starts = 0;
};

// A plain HTTP answer as a test sees it.
struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string header(const std::string& name) const;
};

// A TLS client for the relay built on Asio directly: it can present any identity or none, send raw
// bytes, and see exactly where a connection fails. (The product's client is src/net.)
class TlsTestClient {
public:
    TlsTestClient(unsigned short port, const crypto::Identity* identity,
                  const std::vector<crypto::Certificate>& anchors);
    ~TlsTestClient();
    TlsTestClient(const TlsTestClient&) = delete;
    TlsTestClient& operator=(const TlsTestClient&) = delete;

    // Connects and completes the TLS handshake; false with the reason in error() otherwise. Under TLS
    // 1.3 a refused client certificate is only noticed by the client on its first read.
    bool connect();
    const std::string& error() const { return m_error; }

    // One request on the connection (keep-alive); nullopt if the connection failed (reason in error()).
    std::optional<HttpReply> request(const std::string& method, const std::string& target,
                                     const std::map<std::string, std::string>& headers = {},
                                     const std::string& body = {});
    // Raw bytes; returns everything read until the server closes the connection or `timeoutMs`.
    std::string raw(const std::string& bytes, int timeoutMs = 5000);
    // The same with each part written on its own (its own TLS records), all before reading.
    std::string raw(const std::vector<std::string>& parts, int timeoutMs = 5000);
    // TLS records received after the handshake so far (each is one decryption and, on loopback,
    // usually one wake-up of the reader): how finely the server cuts its answers.
    std::size_t recordsReceived() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_error;
};

// Convenience: one request on a fresh connection as `identity`.
std::optional<HttpReply> requestAs(unsigned short port, const crypto::Identity& identity,
                                   const RelayNetwork& network, const std::string& method,
                                   const std::string& target,
                                   const std::map<std::string, std::string>& headers = {},
                                   const std::string& body = {});

} // namespace cplink::test
