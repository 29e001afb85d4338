#include "RelayHarness.h"

#include "SyscallRefusal.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace cplink::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
const char* const kPassword = "relay-test-password";

std::string readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}
} // namespace

RelayNetwork::RelayNetwork() {
    m_ca = std::make_unique<crypto::TestCa>(
        crypto::TestCa::create(path("ca"), "Relay Test CA", crypto::KeySpec::ec(), m_clock));
    m_dir.write("ca.pem", m_ca->certificate().toPem());
    m_dir.write("password", std::string(kPassword) + "\n");
    const auto server = m_ca->issueServer({"localhost", {"127.0.0.1"}});
    m_dir.write("server.p12", crypto::exportPkcs12(server, crypto::Secret(kPassword), "relay"));
}

crypto::Identity RelayNetwork::office(const std::string& number, const std::string& name,
                                      const crypto::KeySpec& key) {
    return m_ca->issueOffice({number, name, key, 365});
}

crypto::Identity RelayNetwork::expiredOffice(const std::string& number) {
    crypto::FixedClock past(m_clock.now() - std::chrono::hours(24 * 365));
    auto ca = crypto::TestCa::open(path("ca"), past);
    return ca.issueOffice({number, "Expired office", crypto::KeySpec::ec(), 30});
}

crypto::Identity RelayNetwork::futureOffice(const std::string& number) {
    crypto::FixedClock future(m_clock.now() + std::chrono::hours(24 * 30));
    auto ca = crypto::TestCa::open(path("ca"), future);
    return ca.issueOffice({number, "Future office", crypto::KeySpec::ec(), 365});
}

std::string RelayNetwork::writeCrl() {
    return m_dir.write("crl.pem", m_ca->makeCrl().toPem());
}

RelayProcess::RelayProcess(RelayNetwork& network, Options options)
    : m_network(network), m_options(std::move(options)) {
}

RelayProcess::~RelayProcess() {
    if (m_pid > 0)
        kill();
}

void RelayProcess::start() {
    ++m_starts;
    m_logPath =
        m_network.path("relay-" + std::to_string(m_starts) + "-" + std::to_string(::getpid()) + ".log");
    m_portFile = m_network.path("relay.port");
    ::unlink(m_portFile.c_str());
    std::vector<std::string> args = {CPLINK_RELAY_EXE,
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(m_listenPort),
                                     "--port-file",
                                     m_portFile,
                                     "--cert",
                                     m_network.serverP12(),
                                     "--password-file",
                                     m_network.passwordFile(),
                                     "--ca",
                                     m_network.caFile(),
                                     "--db",
                                     m_options.database};
    if (m_options.withCrl) {
        args.push_back("--crl");
        args.push_back(m_network.path("crl.pem"));
    }
    args.insert(args.end(), m_options.extraArgs.begin(), m_options.extraArgs.end());
    std::vector<char*> argv;
    for (auto& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    const SyscallRefusal refusal(m_options.refusedSyscalls);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0) << "fork failed";
    if (pid == 0) {
        if (!m_options.refusedSyscalls.empty() && !refusal.apply())
            ::_exit(126);
        const int log = ::open(m_logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int null = ::open("/dev/null", O_RDWR);
        if (log >= 0)
            ::dup2(log, STDERR_FILENO);
        if (null >= 0)
            ::dup2(null, STDOUT_FILENO);
        if (!m_options.clockFile.empty())
            ::setenv("CPLINK_RELAY_TEST_CLOCK_FILE", m_options.clockFile.c_str(), 1);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    m_pid = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string text = readWhole(m_portFile);
        if (!text.empty() && text.back() == '\n') {
            m_port = static_cast<unsigned short>(std::stoi(text));
            return;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            FAIL() << "relay exited during start:\n" << log();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "relay did not start in 20 s:\n" << log();
}

void RelayProcess::restartOnSamePort() {
    kill();
    m_listenPort = m_port;
    start();
}

int RelayProcess::terminate() {
    if (m_pid <= 0)
        return -1;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void RelayProcess::kill() {
    if (m_pid <= 0)
        return;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
}

bool RelayProcess::running() {
    if (m_pid <= 0)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return false;
    }
    return true;
}

std::string RelayProcess::log() const {
    return readWhole(m_logPath);
}

std::string HttpReply::header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

struct TlsTestClient::Impl {
    asio::io_context io;
    asio::ssl::context tls{asio::ssl::context::tls_client};
    std::optional<beast::ssl_stream<beast::tcp_stream>> stream; // made once `tls` is configured
    beast::flat_buffer buffer;
    unsigned short port = 0;
    std::size_t recordsReceived = 0; // application-data records (TLS 1.3: every record after the handshake)
};

namespace {
void countRecords(int writing, int, int contentType, const void* data, std::size_t length, SSL*, void* arg) {
    if (writing || contentType != SSL3_RT_HEADER || length < 1)
        return;
    if (static_cast<const unsigned char*>(data)[0] == SSL3_RT_APPLICATION_DATA)
        ++*static_cast<std::size_t*>(arg);
}
} // namespace

TlsTestClient::TlsTestClient(unsigned short port, const crypto::Identity* identity,
                             const std::vector<crypto::Certificate>& anchors)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->port = port;
    SSL_CTX* native = m_impl->tls.native_handle();
    for (const auto& anchor : anchors)
        X509_STORE_add_cert(SSL_CTX_get_cert_store(native), anchor.get());
    m_impl->tls.set_verify_mode(asio::ssl::verify_peer);
    if (identity) {
        SSL_CTX_use_certificate(native, identity->certificate().get());
        SSL_CTX_use_PrivateKey(native, identity->key());
    }
    m_impl->stream.emplace(m_impl->io, m_impl->tls);
    SSL_set_msg_callback(m_impl->stream->native_handle(), countRecords);
    SSL_set_msg_callback_arg(m_impl->stream->native_handle(), &m_impl->recordsReceived);
}

std::size_t TlsTestClient::recordsReceived() const {
    return m_impl->recordsReceived;
}

TlsTestClient::~TlsTestClient() = default;

// Beast's timeouts apply to asynchronous operations only, so each step runs asynchronously and the
// io_context is driven until it is done: a test can never hang on a silent server.
namespace {
template <typename Start> beast::error_code runStep(asio::io_context& io, Start start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
}
} // namespace

bool TlsTestClient::connect() {
    auto& stream = *m_impl->stream;
    auto& socket = beast::get_lowest_layer(stream);
    socket.expires_after(std::chrono::seconds(20));
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), m_impl->port);
    beast::error_code ec = runStep(m_impl->io, [&](auto done) { socket.async_connect(endpoint, done); });
    if (!ec) {
        // SSL_set_tlsext_host_name is a macro with an old-style cast.
        SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>("localhost"));
        socket.expires_after(std::chrono::seconds(20));
        ec = runStep(m_impl->io,
                     [&](auto done) { stream.async_handshake(asio::ssl::stream_base::client, done); });
    }
    if (ec) {
        m_error = ec.message();
        return false;
    }
    return true;
}

std::optional<HttpReply> TlsTestClient::request(const std::string& method, const std::string& target,
                                                const std::map<std::string, std::string>& headers,
                                                const std::string& body) {
    auto& stream = *m_impl->stream;
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, "localhost");
    for (const auto& [name, value] : headers)
        request.set(name, value);
    request.body() = body;
    if (!body.empty() || method == "POST")
        request.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    beast::error_code ec = runStep(m_impl->io, [&](auto done) { http::async_write(stream, request, done); });
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    if (!ec)
        ec = runStep(m_impl->io, [&](auto done) { http::async_read(stream, m_impl->buffer, parser, done); });
    if (ec) {
        m_error = ec.message();
        return std::nullopt;
    }
    const auto& response = parser.get();
    HttpReply reply;
    reply.status = static_cast<int>(response.result_int());
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    reply.body = response.body();
    return reply;
}

std::string TlsTestClient::raw(const std::string& bytes, int timeoutMs) {
    return raw(std::vector<std::string>{bytes}, timeoutMs);
}

std::string TlsTestClient::raw(const std::vector<std::string>& parts, int timeoutMs) {
    auto& stream = *m_impl->stream;
    beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(timeoutMs));
    beast::error_code ec;
    for (const std::string& bytes : parts) {
        if (!ec)
            ec =
                runStep(m_impl->io, [&](auto done) { asio::async_write(stream, asio::buffer(bytes), done); });
    }
    std::string received;
    char chunk[4096];
    while (!ec) {
        std::size_t n = 0;
        ec = runStep(m_impl->io, [&](auto done) {
            stream.async_read_some(asio::buffer(chunk),
                                   [&n, done](beast::error_code e, std::size_t got) mutable {
                                       n = got;
                                       done(e);
                                   });
        });
        received.append(chunk, n);
    }
    m_error = ec.message();
    return received;
}

std::optional<HttpReply> requestAs(unsigned short port, const crypto::Identity& identity,
                                   const RelayNetwork& network, const std::string& method,
                                   const std::string& target,
                                   const std::map<std::string, std::string>& headers,
                                   const std::string& body) {
    TlsTestClient client(port, &identity, {crypto::Certificate::load(network.caFile())});
    if (!client.connect())
        return std::nullopt;
    return client.request(method, target, headers, body);
}

} // namespace cplink::test
