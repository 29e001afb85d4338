// relay_load: a small load generator for cplink-relay (tests/bench/run_relay.sh). Async Boost.Beast
// clients over mutual TLS, one keep-alive connection per office, all on one io_context (1–2 threads).
//
//   --mode cycle   each office: POST /v1/messages to the next office in the ring → GET /v1/inbox →
//                  GET /v1/messages/{id} (oldest pending) → DELETE /v1/messages/{id}, repeatedly
//   --mode upload  POST /v1/messages only (also against nginx as the reference ceiling)
//   --mode idle    N authenticated connections (TLS handshake + GET /healthz), then held idle for
//                  --hold seconds; reports how many are still open at the end
//
// Office identities: --offices DIR holds NNNNNNNNNN.crt (PEM certificate) and NNNNNNNNNN.key (PEM key,
// unencrypted) per office; the file name is the office number. Prints a human summary and, as the
// last line, one JSON object with every number. Exit status: 0 clean, 1 when any request failed or
// answered non-2xx (the run still completes and reports), 2 usage or setup error.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
template <class T> using awaitable = asio::awaitable<T>;

constexpr std::chrono::seconds kRequestTimeout{60};

enum Kind : std::size_t { kUpload, kInbox, kDownload, kAck, kHealth, kKindCount };
constexpr std::array<const char*, kKindCount> kKindNames{"upload", "inbox", "download", "ack", "healthz"};

struct Options {
    std::string url;
    std::string ca;
    std::string officesDir;
    std::string mode = "cycle";
    int concurrency = 64;
    double duration = 10;
    std::uint64_t cycles = 0; // per connection; 0: run for --duration
    std::size_t size = 20480;
    double hold = 20;
    int threads = 1;
    int connectParallel = 64;
    std::string readyFile;
    std::string label;
};

struct Office {
    std::string number;
    std::shared_ptr<ssl::context> tls;
};

struct Target {
    std::string host;
    std::string hostHeader;
    bool hostIsIp = false;
    tcp::endpoint endpoint;
};

// Everything one connection measured; merged after the run (no locking while it runs).
struct Stats {
    std::array<std::vector<std::uint32_t>, kKindCount> latencyUs; // completed requests, any status
    std::vector<std::uint32_t> connectUs;                         // TCP connect + TLS handshake
    std::uint64_t okUploads = 0;
    std::uint64_t requests = 0;
    std::uint64_t emptyInbox = 0;
    std::uint64_t integrity = 0; // downloaded bytes differ from the inbox's size/sha256
    std::uint64_t reconnects = 0;
    std::uint64_t serverClosed = 0;              // answers with Connection: close
    std::map<std::string, std::uint64_t> non2xx; // "503 unavailable" → count
    std::map<std::string, std::uint64_t> errors; // "upload: connection reset by peer" → count
    std::vector<std::string> samples;            // first few non-2xx bodies, verbatim

    void error(const std::string& what) { ++errors[what]; }
    void merge(const Stats& o) {
        for (std::size_t k = 0; k < latencyUs.size(); ++k)
            latencyUs[k].insert(latencyUs[k].end(), o.latencyUs[k].begin(), o.latencyUs[k].end());
        connectUs.insert(connectUs.end(), o.connectUs.begin(), o.connectUs.end());
        okUploads += o.okUploads;
        requests += o.requests;
        emptyInbox += o.emptyInbox;
        integrity += o.integrity;
        reconnects += o.reconnects;
        serverClosed += o.serverClosed;
        for (const auto& [k, v] : o.non2xx)
            non2xx[k] += v;
        for (const auto& [k, v] : o.errors)
            errors[k] += v;
        for (const auto& s : o.samples)
            if (samples.size() < 5)
                samples.push_back(s);
    }
    std::uint64_t non2xxTotal() const {
        std::uint64_t n = 0;
        for (const auto& [k, v] : non2xx)
            n += v;
        return n;
    }
    std::uint64_t errorTotal() const {
        std::uint64_t n = 0;
        for (const auto& [k, v] : errors)
            n += v;
        return n;
    }
};

// Shared between the coroutines and the controller.
struct Run {
    Run(const Options& o, const Target& t, std::vector<Office>& offs)
        : options(o), target(t), offices(offs) {}

    const Options& options;
    const Target& target;
    std::vector<Office>& offices;
    std::string runId;
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<bool> stop{false};
    std::atomic<int> running{0};
    std::mutex mutex; // guards the fields below
    Clock::time_point lastFinish{};
    std::string tlsVersion;
    std::string tlsCipher;
};

std::string describe(const beast::error_code& ec) {
    return ec.message() + " [" + ec.category().name() + ":" + std::to_string(ec.value()) + "]";
}

std::uint32_t microsSince(Clock::time_point start) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    return static_cast<std::uint32_t>(std::clamp<long long>(us, 0, 0xffffffffLL));
}

std::string sha256Hex(const std::string& data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
    static const char* const digits = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex.push_back(digits[md[i] >> 4]);
        hex.push_back(digits[md[i] & 15]);
    }
    return hex;
}

struct Reply {
    int status = 0; // 0: no answer (transport error)
    std::string body;
};

// One keep-alive mTLS connection as one office.
class Connection {
public:
    Connection(Run& run, Office& office, Stats& stats) : m_run(run), m_office(office), m_stats(stats) {}

    bool isOpen() const { return m_stream.has_value(); }
    const Office& office() const { return m_office; }

    // TCP connect + TLS handshake (client certificate); the server certificate must name the host.
    awaitable<bool> open() {
        close();
        m_executor = co_await asio::this_coro::executor;
        m_stream.emplace(m_executor, *m_office.tls);
        m_buffer.clear();
        SSL* native = m_stream->native_handle();
        X509_VERIFY_PARAM* param = SSL_get0_param(native);
        if (m_run.target.hostIsIp) {
            X509_VERIFY_PARAM_set1_ip_asc(param, m_run.target.host.c_str());
        } else {
            X509_VERIFY_PARAM_set1_host(param, m_run.target.host.c_str(), 0);
            SSL_ctrl(native, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(m_run.target.host.c_str()));
        }
        const auto start = Clock::now();
        beast::error_code ec;
        auto& layer = beast::get_lowest_layer(*m_stream);
        layer.expires_after(kRequestTimeout);
        co_await layer.async_connect(m_run.target.endpoint, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            m_stats.error("connect: " + describe(ec));
            m_stream.reset();
            co_return false;
        }
        layer.socket().set_option(tcp::no_delay(true), ec);
        co_await m_stream->async_handshake(ssl::stream_base::client,
                                           asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            m_stats.error("tls handshake: " + describe(ec));
            m_stream.reset();
            co_return false;
        }
        m_stats.connectUs.push_back(microsSince(start));
        {
            const std::lock_guard lock(m_run.mutex);
            if (m_run.tlsVersion.empty()) {
                m_run.tlsVersion = SSL_get_version(native);
                m_run.tlsCipher = SSL_get_cipher_name(native);
            }
        }
        co_return true;
    }

    // One request; reconnects first if the previous answer closed the connection. Records latency
    // and non-2xx answers; a transport error closes the connection and gives status 0.
    awaitable<Reply> request(Kind kind, http::request<http::string_body>& request) {
        Reply reply;
        if (!m_stream) {
            ++m_stats.reconnects;
            if (!co_await open())
                co_return reply;
        }
        request.set(http::field::host, m_run.target.hostHeader);
        request.prepare_payload();
        const auto start = Clock::now();
        beast::error_code ec;
        beast::get_lowest_layer(*m_stream).expires_after(kRequestTimeout);
        co_await http::async_write(*m_stream, request, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            m_stats.error(std::string(kKindNames[kind]) + " write: " + describe(ec));
            close();
            co_return reply;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        co_await http::async_read(*m_stream, m_buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            m_stats.error(std::string(kKindNames[kind]) + " read: " + describe(ec));
            close();
            co_return reply;
        }
        m_stats.latencyUs[kind].push_back(microsSince(start));
        ++m_stats.requests;
        auto response = parser.release();
        reply.status = static_cast<int>(response.result_int());
        reply.body = std::move(response.body());
        if (reply.status < 200 || reply.status > 299) {
            std::string code;
            try {
                code = json::parse(reply.body).value("error", "");
            } catch (const std::exception&) {
            }
            ++m_stats.non2xx[std::to_string(reply.status) + (code.empty() ? "" : " " + code)];
            if (m_stats.samples.size() < 3)
                m_stats.samples.push_back(std::string(kKindNames[kind]) + " " + std::to_string(reply.status) +
                                          " " + reply.body.substr(0, 300));
        }
        if (!response.keep_alive()) {
            ++m_stats.serverClosed;
            close();
        }
        co_return reply;
    }

    // Idle mode: completes when the server closes the connection (or close() is called).
    awaitable<beast::error_code> waitClosed() {
        beast::error_code ec;
        if (!m_stream)
            co_return asio::error::not_connected;
        beast::get_lowest_layer(*m_stream).expires_never();
        char byte = 0;
        co_await m_stream->async_read_some(asio::buffer(&byte, 1),
                                           asio::redirect_error(asio::use_awaitable, ec));
        co_return ec ? ec : beast::error_code(asio::error::message_size); // data on an idle connection
    }

    // TLS close_notify (briefly), then the socket.
    awaitable<void> shutdown() {
        if (!m_stream)
            co_return;
        beast::error_code ec;
        beast::get_lowest_layer(*m_stream).expires_after(std::chrono::seconds(1));
        co_await m_stream->async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
        close();
    }

    void close() {
        if (!m_stream)
            return;
        beast::error_code ignored;
        beast::get_lowest_layer(*m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(*m_stream).close();
        m_stream.reset();
    }

    // From any thread: cancels the pending operations on the connection's own executor (strand).
    void cancelFromOutside(std::shared_ptr<Connection> self) {
        asio::post(m_executor, [self] {
            if (self->m_stream)
                beast::get_lowest_layer(*self->m_stream).cancel();
        });
    }

private:
    Run& m_run;
    Office& m_office;
    Stats& m_stats;
    asio::any_io_executor m_executor;
    std::optional<beast::ssl_stream<beast::tcp_stream>> m_stream;
    beast::flat_buffer m_buffer;
};

http::request<http::string_body> makeRequest(http::verb verb, std::string target) {
    http::request<http::string_body> request{verb, std::move(target), 11};
    request.set(http::field::user_agent, "relay_load");
    return request;
}

// cycle and upload modes: one coroutine per connection.
class Worker {
public:
    Worker(Run& run, int index, Office& office, const Office& next)
        : m_run(run), m_index(index), m_connection(run, office, stats), m_next(next) {
        m_body.resize(run.options.size);
        if (!m_body.empty())
            RAND_bytes(reinterpret_cast<unsigned char*>(m_body.data()), static_cast<int>(m_body.size()));
    }

    Stats stats;

    awaitable<void> main() {
        // Setup (not measured): handshake and one GET /healthz, then wait for every connection.
        if (co_await m_connection.open()) {
            auto health = makeRequest(http::verb::get, "/healthz");
            co_await m_connection.request(kHealth, health);
        }
        ++m_run.ready;
        asio::steady_timer timer(co_await asio::this_coro::executor);
        while (!m_run.go) {
            timer.expires_after(std::chrono::milliseconds(2));
            beast::error_code ec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        const bool cycle = m_run.options.mode == "cycle";
        for (std::uint64_t done = 0;
             !m_run.stop && (m_run.options.cycles == 0 || done < m_run.options.cycles); ++done) {
            bool ok = false;
            if (cycle)
                ok = co_await oneCycle();
            else
                ok = co_await upload();
            if (!ok && !m_connection.isOpen()) { // transport failure: do not spin
                timer.expires_after(std::chrono::milliseconds(100));
                beast::error_code ec;
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
        }
        {
            const std::lock_guard lock(m_run.mutex);
            m_run.lastFinish = std::max(m_run.lastFinish, Clock::now());
        }
        co_await m_connection.shutdown();
        --m_run.running;
    }

private:
    awaitable<bool> upload() {
        ++m_sequence;
        if (m_body.size() >= sizeof m_sequence) // every envelope differs
            std::memcpy(m_body.data(), &m_sequence, sizeof m_sequence);
        auto request = makeRequest(http::verb::post, "/v1/messages");
        request.set("X-Message-Id",
                    "L" + m_run.runId + "-" + std::to_string(m_index) + "-" + std::to_string(m_sequence));
        request.set("X-Recipient-Office", m_next.number);
        request.set(http::field::content_type, "application/cms");
        request.body() = m_body;
        const auto reply = co_await m_connection.request(kUpload, request);
        const bool ok = reply.status >= 200 && reply.status <= 299;
        if (ok)
            ++stats.okUploads;
        co_return ok;
    }

    awaitable<bool> oneCycle() {
        if (!co_await upload())
            co_return false;
        auto inboxRequest = makeRequest(http::verb::get, "/v1/inbox");
        const auto inbox = co_await m_connection.request(kInbox, inboxRequest);
        if (inbox.status != 200)
            co_return false;
        std::string id;
        std::string sha256;
        std::uint64_t size = 0;
        try {
            const auto listing = json::parse(inbox.body);
            const auto& messages = listing.at("messages");
            if (messages.empty()) {
                ++stats.emptyInbox;
                co_return true;
            }
            id = messages.at(0).at("message_id").get<std::string>();
            sha256 = messages.at(0).value("sha256", "");
            size = messages.at(0).value("size", std::uint64_t{0});
        } catch (const std::exception& e) {
            stats.error(std::string("inbox: unexpected JSON: ") + e.what());
            co_return false;
        }
        auto download = makeRequest(http::verb::get, "/v1/messages/" + id);
        const auto envelope = co_await m_connection.request(kDownload, download);
        if (envelope.status != 200)
            co_return false;
        if (envelope.body.size() != size || (!sha256.empty() && sha256Hex(envelope.body) != sha256))
            ++stats.integrity;
        auto ack = makeRequest(http::verb::delete_, "/v1/messages/" + id);
        const auto acked = co_await m_connection.request(kAck, ack);
        co_return acked.status >= 200 && acked.status <= 299;
    }

    Run& m_run;
    int m_index;
    Connection m_connection;
    const Office& m_next;
    std::string m_body;
    std::uint64_t m_sequence = 0;
};

json summarize(std::vector<std::uint32_t>& us) {
    if (us.empty())
        return {{"count", 0}};
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(us.size())));
        return us[std::clamp<std::size_t>(rank, 1, us.size()) - 1] / 1000.0;
    };
    double sum = 0;
    for (const auto v : us)
        sum += v;
    auto round3 = [](double v) {
        return std::round(v * 1000) / 1000;
    };
    return {{"count", us.size()},
            {"p50_ms", round3(at(0.50))},
            {"p90_ms", round3(at(0.90))},
            {"p99_ms", round3(at(0.99))},
            {"max_ms", round3(us.back() / 1000.0)},
            {"mean_ms", round3(sum / static_cast<double>(us.size()) / 1000.0)}};
}

void printLatencyTable(const json& latency) {
    std::printf("  %-10s %9s %9s %9s %9s %9s\n", "latency", "count", "p50 ms", "p99 ms", "max ms", "mean ms");
    for (const auto& [name, s] : latency.items()) {
        if (s.value("count", 0) == 0)
            continue;
        std::printf("  %-10s %9llu %9.2f %9.2f %9.2f %9.2f\n", name.c_str(),
                    static_cast<unsigned long long>(s["count"].get<std::uint64_t>()),
                    s["p50_ms"].get<double>(), s["p99_ms"].get<double>(), s["max_ms"].get<double>(),
                    s["mean_ms"].get<double>());
    }
}

json problems(const Stats& total) {
    json out = {{"non_2xx", total.non2xxTotal()},    {"errors", total.errorTotal()},
                {"non_2xx_by_status", total.non2xx}, {"errors_by_kind", total.errors},
                {"reconnects", total.reconnects},    {"server_closed", total.serverClosed}};
    if (!total.samples.empty())
        out["non_2xx_samples"] = total.samples;
    return out;
}

void printProblems(const Stats& total) {
    std::printf("  non-2xx: %llu   errors: %llu   reconnects: %llu   Connection: close answers: %llu\n",
                static_cast<unsigned long long>(total.non2xxTotal()),
                static_cast<unsigned long long>(total.errorTotal()),
                static_cast<unsigned long long>(total.reconnects),
                static_cast<unsigned long long>(total.serverClosed));
    for (const auto& [k, v] : total.non2xx)
        std::printf("    non-2xx %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
    for (const auto& [k, v] : total.errors)
        std::printf("    error %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
    for (const auto& s : total.samples)
        std::printf("    sample: %s\n", s.c_str());
}

void runThreads(asio::io_context& io, int threads) {
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i)
        pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool)
        t.join();
}

int runLoad(Run& run, json& result) {
    const auto& options = run.options;
    const int n = options.concurrency;
    asio::io_context io(options.threads);
    std::vector<std::unique_ptr<Worker>> workers;
    const int offices = static_cast<int>(run.offices.size());
    const int ring = std::min(n, offices); // the offices in use; each sends to the next of them
    for (int i = 0; i < n; ++i)
        workers.push_back(std::make_unique<Worker>(run, i, run.offices[static_cast<std::size_t>(i % offices)],
                                                   run.offices[static_cast<std::size_t>((i + 1) % ring)]));
    run.running = n;
    for (auto& worker : workers)
        asio::co_spawn(asio::make_strand(io), worker->main(), asio::detached);

    Clock::time_point start;
    Clock::time_point setupStart = Clock::now();
    double setupSeconds = 0;
    asio::steady_timer controllerTimer(io);
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            while (run.ready < n) {
                controllerTimer.expires_after(std::chrono::milliseconds(2));
                co_await controllerTimer.async_wait(asio::use_awaitable);
            }
            setupSeconds = std::chrono::duration<double>(Clock::now() - setupStart).count();
            start = Clock::now();
            run.go = true;
            if (options.cycles == 0) {
                controllerTimer.expires_at(start + std::chrono::duration_cast<Clock::duration>(
                                                       std::chrono::duration<double>(options.duration)));
                co_await controllerTimer.async_wait(asio::use_awaitable);
                run.stop = true;
            }
        },
        asio::detached);
    runThreads(io, options.threads);

    Stats total;
    for (const auto& worker : workers)
        total.merge(worker->stats);
    const double elapsed = std::chrono::duration<double>(run.lastFinish - start).count();
    std::vector<std::uint32_t> all;
    for (std::size_t k = 0; k < kKindCount; ++k)
        if (k != kHealth)
            all.insert(all.end(), total.latencyUs[k].begin(), total.latencyUs[k].end());
    const auto measuredRequests = all.size();
    json latency;
    for (std::size_t k = 0; k < kKindCount; ++k)
        if (k != kHealth)
            latency[kKindNames[k]] = summarize(total.latencyUs[k]);
    latency["all"] = summarize(all);
    auto connect = summarize(total.connectUs);

    const double msgsPerSecond = elapsed > 0 ? static_cast<double>(total.okUploads) / elapsed : 0;
    const double requestsPerSecond = elapsed > 0 ? static_cast<double>(measuredRequests) / elapsed : 0;
    result["elapsed_s"] = std::round(elapsed * 1000) / 1000;
    result["setup_s"] = std::round(setupSeconds * 1000) / 1000;
    result["uploads_ok"] = total.okUploads;
    result["msgs_per_s"] = std::round(msgsPerSecond * 10) / 10;
    result["requests"] = measuredRequests;
    result["requests_per_s"] = std::round(requestsPerSecond * 10) / 10;
    result["latency"] = latency;
    result["connect"] = connect;
    if (options.mode == "cycle") {
        result["empty_inbox"] = total.emptyInbox;
        result["integrity_mismatches"] = total.integrity;
    }
    result.update(problems(total));

    std::printf("relay_load %s%s: %d connections as %d offices, %.1f s measured, %zu-byte envelopes, %d "
                "client thread(s), %s %s\n",
                options.mode.c_str(), options.label.empty() ? "" : (" [" + options.label + "]").c_str(), n,
                std::min(n, offices), elapsed, options.size, options.threads, run.tlsVersion.c_str(),
                run.tlsCipher.c_str());
    std::printf("  setup (connect + TLS + GET /healthz, all connections): %.2f s; handshake p50 %.2f ms\n",
                setupSeconds, connect.value("p50_ms", 0.0));
    std::printf("  uploads 2xx: %llu → %.1f msgs/s;  requests: %zu → %.1f req/s\n",
                static_cast<unsigned long long>(total.okUploads), msgsPerSecond, measuredRequests,
                requestsPerSecond);
    printLatencyTable(latency);
    if (options.mode == "cycle")
        std::printf("  empty inbox: %llu   integrity mismatches: %llu\n",
                    static_cast<unsigned long long>(total.emptyInbox),
                    static_cast<unsigned long long>(total.integrity));
    printProblems(total);
    return total.non2xxTotal() + total.errorTotal() + total.integrity == 0 ? 0 : 1;
}

// idle mode: open N authenticated connections (at most --connect-parallel handshakes at once), then
// hold them and watch for the server closing any.
int runIdle(Run& run, json& result) {
    const auto& options = run.options;
    const int n = options.concurrency;
    asio::io_context io(options.threads);
    const std::size_t launchers = static_cast<std::size_t>(std::clamp(options.connectParallel, 1, n));
    std::vector<Stats> launcherStats(launchers);
    std::mutex heldMutex;
    std::vector<std::shared_ptr<Connection>> held;
    std::atomic<int> next{0};
    std::atomic<int> established{0};
    std::atomic<int> failed{0};
    std::atomic<int> open{0};
    std::atomic<int> closedDuringHold{0};
    std::atomic<bool> releasing{false};
    std::mutex closeReasonsMutex;
    std::map<std::string, std::uint64_t> closeReasons;
    const auto setupStart = Clock::now();

    auto hold = [&](std::shared_ptr<Connection> connection) -> awaitable<void> {
        const auto ec = co_await connection->waitClosed();
        --open;
        if (!releasing) {
            ++closedDuringHold;
            const std::lock_guard lock(closeReasonsMutex);
            ++closeReasons[describe(ec)];
        }
    };
    auto launcher = [&](std::size_t slot) -> awaitable<void> {
        for (int i = next++; i < n; i = next++) {
            auto& office = run.offices[static_cast<std::size_t>(i) % run.offices.size()];
            auto connection = std::make_shared<Connection>(run, office, launcherStats[slot]);
            auto health = makeRequest(http::verb::get, "/healthz");
            // Two statements: with `co_await open() && (co_await request(...)).status == 200` GCC 12.2
            // sent every request on a second connection (request() found no stream after open()).
            bool ok = co_await connection->open();
            if (ok) {
                const auto reply = co_await connection->request(kHealth, health);
                ok = reply.status == 200 && connection->isOpen();
            }
            if (ok) {
                ++established;
                ++open;
                {
                    const std::lock_guard lock(heldMutex);
                    held.push_back(connection);
                }
                asio::co_spawn(co_await asio::this_coro::executor, hold(connection), asio::detached);
            } else {
                ++failed;
            }
        }
    };
    for (std::size_t slot = 0; slot < launchers; ++slot)
        asio::co_spawn(asio::make_strand(io), launcher(slot), asio::detached);

    double setupSeconds = 0;
    int heldAtStart = 0;
    int heldAtEnd = 0;
    int minHeld = 0;
    asio::steady_timer timer(io);
    asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            auto lastReport = Clock::now();
            while (established + failed < n) {
                timer.expires_after(std::chrono::milliseconds(20));
                co_await timer.async_wait(asio::use_awaitable);
                if (Clock::now() - lastReport > std::chrono::seconds(2)) {
                    lastReport = Clock::now();
                    std::fprintf(stderr, "relay_load idle: %d established, %d failed of %d\n",
                                 established.load(), failed.load(), n);
                }
            }
            setupSeconds = std::chrono::duration<double>(Clock::now() - setupStart).count();
            heldAtStart = open;
            minHeld = heldAtStart;
            std::fprintf(stderr,
                         "relay_load idle: %d connections open after %.1f s (%d failed); holding %.0f s\n",
                         heldAtStart, setupSeconds, failed.load(), options.hold);
            if (!options.readyFile.empty())
                std::ofstream(options.readyFile) << heldAtStart << "\n";
            const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(options.hold));
            while (Clock::now() < until) {
                timer.expires_after(std::min<Clock::duration>(std::chrono::seconds(1), until - Clock::now()));
                co_await timer.async_wait(asio::use_awaitable);
                minHeld = std::min(minHeld, open.load());
            }
            heldAtEnd = open;
            releasing = true;
            const std::lock_guard lock(heldMutex);
            for (auto& connection : held) // the pending reads end with operation_aborted
                connection->cancelFromOutside(connection);
        },
        asio::detached);
    runThreads(io, options.threads);

    Stats total;
    for (const auto& s : launcherStats)
        total.merge(s);
    auto connect = summarize(total.connectUs);
    result["requested"] = n;
    result["established"] = established.load();
    result["failed"] = failed.load();
    result["setup_s"] = std::round(setupSeconds * 100) / 100;
    result["hold_s"] = options.hold;
    result["held_at_start"] = heldAtStart;
    result["held_min"] = minHeld;
    result["held_at_end"] = heldAtEnd;
    result["closed_during_hold"] = closedDuringHold.load();
    result["close_reasons"] = closeReasons;
    result["connect"] = connect;
    result.update(problems(total));

    std::printf("relay_load idle%s: %d requested, %d established in %.1f s (%d failed), %s %s\n",
                options.label.empty() ? "" : (" [" + options.label + "]").c_str(), n, established.load(),
                setupSeconds, failed.load(), run.tlsVersion.c_str(), run.tlsCipher.c_str());
    std::printf("  handshake p50 %.2f ms p99 %.2f ms; held %.0f s: %d at start, minimum %d, %d at end, %d "
                "closed by the server\n",
                connect.value("p50_ms", 0.0), connect.value("p99_ms", 0.0), options.hold, heldAtStart,
                minHeld, heldAtEnd, closedDuringHold.load());
    for (const auto& [k, v] : closeReasons)
        std::printf("    closed: %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
    printProblems(total);
    return failed == 0 && heldAtEnd == n && total.non2xxTotal() + total.errorTotal() == 0 ? 0 : 1;
}

Target parseUrl(const std::string& url) {
    const std::string scheme = "https://";
    if (url.rfind(scheme, 0) != 0)
        throw std::runtime_error("--url must start with https://");
    std::string rest = url.substr(scheme.size());
    if (const auto slash = rest.find('/'); slash != std::string::npos)
        rest.resize(slash);
    std::string host;
    std::string port = "443";
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string::npos)
            throw std::runtime_error("bad IPv6 address in --url");
        host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':')
            port = rest.substr(close + 2);
    } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    } else {
        host = rest;
    }
    Target target;
    target.host = host;
    target.hostHeader = rest;
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    target.hostIsIp = !ec;
    asio::io_context io;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(host, port);
    if (results.empty())
        throw std::runtime_error("cannot resolve " + host);
    target.endpoint = *results.begin();
    return target;
}

std::vector<Office> loadOffices(const Options& options) {
    std::vector<std::filesystem::path> certs;
    for (const auto& entry : std::filesystem::directory_iterator(options.officesDir))
        if (entry.path().extension() == ".crt")
            certs.push_back(entry.path());
    std::sort(certs.begin(), certs.end());
    std::vector<Office> offices;
    for (const auto& cert : certs) {
        auto key = cert;
        key.replace_extension(".key");
        auto tls = std::make_shared<ssl::context>(ssl::context::tls_client);
        SSL_CTX* native = tls->native_handle();
        SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
        SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS); // idle connections keep no buffers
        tls->load_verify_file(options.ca);
        tls->set_verify_mode(ssl::verify_peer);
        tls->use_certificate_chain_file(cert.string());
        tls->use_private_key_file(key.string(), ssl::context::pem);
        offices.push_back({cert.stem().string(), std::move(tls)});
    }
    return offices;
}

void raiseFileLimit(int connections) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = static_cast<rlim_t>(connections) + 256;
    if (limit.rlim_max < wanted) {
        rlimit raised{wanted, wanted};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            return;
    }
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted)
        std::fprintf(stderr, "relay_load: warning: RLIMIT_NOFILE is %llu, below %llu\n",
                     static_cast<unsigned long long>(limit.rlim_cur),
                     static_cast<unsigned long long>(wanted));
}

} // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Load generator for cplink-relay over mutual TLS (tests/bench/run_relay.sh)", "relay_load"};
    app.add_option("--url", options.url, "https://HOST:PORT of the relay (or of nginx)")->required();
    app.add_option("--ca", options.ca, "Trust anchor for the server certificate (PEM)")->required();
    app.add_option("--offices", options.officesDir, "Directory of OFFICE.crt + OFFICE.key PEM pairs")
        ->required()
        ->check(CLI::ExistingDirectory);
    app.add_option("--mode", options.mode, "cycle, upload or idle")
        ->check(CLI::IsMember({"cycle", "upload", "idle"}))
        ->capture_default_str();
    app.add_option("--concurrency", options.concurrency, "Connections (cycle: at most one per office)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--duration", options.duration, "Seconds to run (cycle, upload)")->capture_default_str();
    app.add_option("--cycles", options.cycles, "Cycles (or uploads) per connection instead of --duration");
    app.add_option("--size", options.size, "Envelope bytes (random)")->capture_default_str();
    app.add_option("--hold", options.hold, "Seconds to hold the idle connections")->capture_default_str();
    app.add_option("--threads", options.threads, "Threads running the io_context (1 or 2)")
        ->check(CLI::Range(1, 2))
        ->capture_default_str();
    app.add_option("--connect-parallel", options.connectParallel, "Idle mode: handshakes in flight at once")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--ready-file", options.readyFile, "Idle mode: written once every connection is open");
    app.add_option("--label", options.label, "Name of the run, copied into the output");
    CLI11_PARSE(app, argc, argv);

    json result = {{"tool", "relay_load"},
                   {"mode", options.mode},
                   {"url", options.url},
                   {"label", options.label},
                   {"concurrency", options.concurrency},
                   {"threads", options.threads}};
    int status = 0;
    try {
        raiseFileLimit(options.concurrency);
        const Target target = parseUrl(options.url);
        auto offices = loadOffices(options);
        if (offices.empty())
            throw std::runtime_error("no OFFICE.crt files in " + options.officesDir);
        if (options.mode == "cycle" && options.concurrency > static_cast<int>(offices.size()))
            throw std::runtime_error(
                "cycle mode needs one office per connection: " + std::to_string(options.concurrency) +
                " connections, " + std::to_string(offices.size()) + " offices");
        Run run(options, target, offices);
        std::array<unsigned char, 4> id{};
        RAND_bytes(id.data(), static_cast<int>(id.size()));
        for (const auto byte : id) {
            run.runId.push_back("0123456789abcdef"[byte >> 4]);
            run.runId.push_back("0123456789abcdef"[byte & 15]);
        }
        if (options.mode == "idle") {
            status = runIdle(run, result);
        } else {
            result["size"] = options.size;
            result["duration_s"] = options.cycles ? 0.0 : options.duration;
            result["cycles"] = options.cycles;
            status = runLoad(run, result);
        }
        result["tls"] = run.tlsVersion + " " + run.tlsCipher;
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        auto seconds = [](const timeval& t) {
            return std::round((static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6) * 100) /
                   100;
        };
        result["client_cpu_user_s"] = seconds(usage.ru_utime);
        result["client_cpu_sys_s"] = seconds(usage.ru_stime);
        result["client_max_rss_kib"] = usage.ru_maxrss;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "relay_load: %s\n", e.what());
        return 2;
    }
    std::fflush(stdout);
    std::cout << result.dump() << std::endl;
    return status;
}
