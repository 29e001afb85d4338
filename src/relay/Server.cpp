#include "Server.h"

#include "Log.h"
#include "TlsContext.h"
#include "TlsSocket.h"
#include "storage/ThreadName.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <unordered_map>
#include <vector>

namespace cplink::relay {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

struct Server::Shared {
    ServerSettings settings;
    crypto::OfficeNumberPolicy policy;
    Api& api;
    Metrics& metrics;
    RateLimiter& limiter;
    asio::thread_pool& workers;

    std::shared_ptr<asio::ssl::context> tls;
    std::mutex tlsMutex;

    std::atomic<bool> stopping{false};
    std::mutex sessionsMutex;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
    std::atomic<std::uint64_t> requestCounter{0};

    std::shared_ptr<asio::ssl::context> currentTls() {
        const std::lock_guard lock(tlsMutex);
        return tls;
    }
};

namespace {

std::string remoteOf(const TlsSocket::Socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("?") : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

bool isQuietEnd(const boost::system::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
           ec == asio::ssl::error::stream_truncated;
}

} // namespace

// One client connection: TLS handshake, then requests one after another (HTTP/1.1 keep-alive). All
// of its handlers run on its network thread; the API call runs on the worker pool and posts back.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(TlsSocket::Socket&& socket, std::shared_ptr<asio::ssl::context> tls,
            std::shared_ptr<Server::Shared> shared)
        : m_remote(remoteOf(socket)), m_tls(std::move(tls)),
          m_stream(std::move(socket), m_tls->native_handle()), m_shared(std::move(shared)) {
        m_shared->metrics.openConnections++;
    }
    ~Session() {
        m_shared->metrics.openConnections--;
        const std::lock_guard lock(m_shared->sessionsMutex);
        m_shared->sessions.erase(this);
    }

    void start() {
        {
            const std::lock_guard lock(m_shared->sessionsMutex);
            m_shared->sessions.emplace(this, weak_from_this());
        }
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->handshake(); });
    }

    // Server::stop(): a connection waiting for its next request ends now; a busy one after answering.
    void closeIfIdle() {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
            if (self->m_idle)
                self->m_stream.cancel();
        });
    }

private:
    const ServerSettings& settings() const { return m_shared->settings; }

    void handshake() {
        m_stream.expires_after(settings().handshakeTimeout);
        m_stream.async_handshake(
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHandshake(ec); });
    }

    void onHandshake(beast::error_code ec) {
        if (ec) {
            m_shared->metrics.error(ec == beast::error::timeout ? "handshake_timeout" : "tls_handshake");
            log::info("handshake_failed", {{"remote", m_remote}, {"reason", ec.message()}});
            return drainAfterRefusal();
        }
        const auto caller = callerOf(m_stream.native_handle(), m_shared->policy);
        if (!caller) {
            m_shared->metrics.error("tls_handshake");
            return;
        }
        m_caller = *caller;
        // The office becomes known on its first verified connection (a database write: on a worker).
        asio::post(m_shared->workers, [self = shared_from_this()] {
            try {
                self->m_shared->api.connected(self->m_caller);
            } catch (const std::exception& e) {
                self->m_shared->metrics.error("storage");
                log::error("office_seen_failed", {{"office", self->m_caller.office}, {"detail", e.what()}});
            }
            asio::dispatch(self->m_stream.get_executor(), [self] { self->readHeader(); });
        });
    }

    // The TLS alert that says why (e.g. "certificate expired") has been written. Closing now, with the
    // client's first request still unread, would make the kernel send a reset that can overtake the
    // alert, and the client would report a network drop instead of the refusal. So: stop sending,
    // read and discard for a moment, then close.
    void drainAfterRefusal() {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.expires_after(std::chrono::seconds(1));
        drain();
    }
    void drain() {
        m_stream.socket().async_read_some(asio::buffer(m_drain),
                                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                              if (!ec)
                                                  self->drain();
                                          });
    }

    void readHeader() {
        if (m_shared->stopping)
            return shutdown();
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(settings().maxHeader));
        m_parser->body_limit(settings().maxBody);
        m_stream.expires_after(m_requests == 0 ? settings().handshakeTimeout : settings().idleTimeout);
        m_idle = true;
        http::async_read_header(
            m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
    }

    void onHeader(beast::error_code ec) {
        m_idle = false;
        m_started = std::chrono::steady_clock::now();
        if (ec == http::error::header_limit)
            return reject(431, "header_too_large", "request header fields too large");
        if (ec == http::error::body_limit) // a Content-Length over the limit is seen with the header
            return reject(413, "too_large",
                          "the body exceeds the relay's limit of " + std::to_string(settings().maxBody) +
                              " bytes");
        if (ec == beast::error::timeout) {
            m_shared->metrics.error("timeout");
            return; // idle or too slow: just close
        }
        if (ec) {
            if (!isQuietEnd(ec))
                return reject(400, "bad_request", "malformed request: " + ec.message());
            return shutdown();
        }
        ++m_requests;
        auto& request = m_parser->get();
        int retryAfter = 1;
        if (!m_shared->limiter.allow(m_caller.office, &retryAfter)) {
            m_shared->metrics.error("rate_limited");
            ApiResponse response = errorResponse(429, "rate_limited", "too many requests; retry later");
            response.headers.emplace_back("Retry-After", std::to_string(retryAfter));
            return respond(std::move(response), !m_parser->is_done() ? false : request.keep_alive());
        }
        // Without a length a request has no body (RFC 9112 6.3): an upload must say how long it is.
        // (A Content-Length over the limit was refused with the header, as body_limit.)
        if (request.method() == http::verb::post && !m_parser->content_length() && !m_parser->chunked())
            return reject(411, "length_required", "Content-Length is required");
        if (beast::iequals(request[http::field::expect], "100-continue") && !m_parser->is_done()) {
            auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
            m_stream.expires_after(settings().bodyTimeout);
            return http::async_write(
                m_stream, *interim,
                [self = shared_from_this(), interim](beast::error_code writeError, std::size_t) {
                    if (writeError)
                        return self->shutdown();
                    self->readBody();
                });
        }
        readBody();
    }

    void readBody() {
        m_stream.expires_after(settings().bodyTimeout);
        http::async_read(
            m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
    }

    void onBody(beast::error_code ec) {
        if (ec == http::error::body_limit)
            return reject(413, "too_large", "the body exceeds the relay's limit");
        if (ec == beast::error::timeout) {
            m_shared->metrics.error("timeout");
            return;
        }
        if (ec) {
            if (!isQuietEnd(ec))
                return reject(400, "bad_request", "malformed request: " + ec.message());
            return;
        }
        auto message = m_parser->release();
        auto request = std::make_shared<ApiRequest>();
        request->method = std::string(message.method_string());
        request->target = std::string(message.target());
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (char& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request->headers[name] = std::string(field.value());
        }
        request->body = std::move(message.body());
        request->requestId = "r" + std::to_string(++m_shared->requestCounter);
        const bool keepAlive = message.keep_alive();
        // An upload to a storage that waits without a thread goes straight to it from here: no worker
        // hop, and the answer comes back to this thread once the group commit holding it is durable.
        if (m_shared->api.uploadsWithoutBlocking() &&
            Api::routeOf(request->method, request->target) == "upload") {
            m_route = "upload";
            m_requestBytes = request->body.size();
            m_requestId = request->requestId;
            try {
                m_shared->api.handleUpload(std::move(*request), m_caller,
                                           [self = shared_from_this(), keepAlive](Api::Answer answer) {
                                               asio::post(self->m_stream.get_executor(),
                                                          [self, keepAlive, answer = std::move(answer)] {
                                                              self->respond(self->answered(answer),
                                                                            keepAlive);
                                                          });
                                           });
            } catch (const std::exception& e) { // nothing was queued: answer here
                respond(internalError(m_requestId, e), keepAlive);
            }
            return;
        }
        asio::post(m_shared->workers, [self = shared_from_this(), request, keepAlive] {
            ApiResponse response;
            try {
                response = self->m_shared->api.handle(*request, self->m_caller);
            } catch (const std::exception& e) {
                response = self->internalError(request->requestId, e);
            }
            asio::dispatch(self->m_stream.get_executor(),
                           [self, request, keepAlive, response = std::move(response)]() mutable {
                               self->m_route = Api::routeOf(request->method, request->target);
                               self->m_requestBytes = request->body.size();
                               self->m_requestId = request->requestId;
                               self->respond(std::move(response), keepAlive);
                           });
        });
    }

    ApiResponse internalError(const std::string& requestId, const std::exception& e) {
        return m_shared->api.internalError(requestId, e);
    }
    // An upload's answer is built on this connection's thread; an exception there must not end it.
    ApiResponse answered(const Api::Answer& answer) {
        try {
            return answer();
        } catch (const std::exception& e) {
            return internalError(m_requestId, e);
        }
    }

    // An answer the server gives itself; the rest of the request is not read, so the connection ends.
    void reject(int status, const char* code, const std::string& message) {
        m_shared->metrics.error(code);
        m_route = "rejected";
        respond(errorResponse(status, code, message), false);
    }

    void respond(ApiResponse response, bool keepAlive) {
        auto out = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(response.status), 11);
        out->set(http::field::server, "cplink-relay");
        if (!response.contentType.empty())
            out->set(http::field::content_type, response.contentType);
        for (const auto& [name, value] : response.headers)
            out->set(name, value);
        out->body() = std::move(response.body);
        out->keep_alive(keepAlive && !m_shared->stopping);
        out->prepare_payload();
        m_shared->metrics.request(m_route.empty() ? "unknown" : m_route, response.status, m_requestBytes,
                                  out->body().size());
        if (log::infoEnabled()) {
            const auto elapsed =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_started);
            log::info("request", {{"request_id", m_requestId},
                                  {"office", m_caller.office},
                                  {"route", m_route},
                                  {"status", response.status},
                                  {"error", response.errorCode},
                                  {"bytes_in", m_requestBytes},
                                  {"bytes_out", out->body().size()},
                                  {"ms", std::round(elapsed.count() * 10) / 10}});
        }
        m_route.clear();
        m_requestBytes = 0;
        m_requestId.clear();
        m_stream.expires_after(settings().bodyTimeout);
        http::async_write(m_stream, *out,
                          [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
                              if (ec || !out->keep_alive())
                                  return self->shutdown();
                              self->m_stream.waitBeforeNextRead();
                              self->readHeader();
                          });
    }

    void shutdown() {
        // close_notify both ways, briefly: a client that never answers it must not hold a stopping relay.
        m_stream.expires_after(m_shared->stopping ? std::chrono::milliseconds(200)
                                                  : std::chrono::milliseconds(2000));
        m_stream.async_shutdown([self = shared_from_this()](beast::error_code, std::size_t) {
            beast::error_code ignored;
            self->m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
    }

    std::string m_remote;
    std::shared_ptr<asio::ssl::context> m_tls; // outlives the stream that uses it
    TlsSocket m_stream;
    std::shared_ptr<Server::Shared> m_shared;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    Caller m_caller;
    bool m_idle = false;
    std::uint64_t m_requests = 0;
    std::chrono::steady_clock::time_point m_started;
    std::string m_route;
    std::string m_requestId;
    std::size_t m_requestBytes = 0;
    std::array<char, 512> m_drain{};
};

namespace {

std::vector<std::unique_ptr<asio::io_context>> networkLoops(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> loops;
    for (int i = 0; i < std::max(1, threads); ++i)
        loops.push_back(std::make_unique<asio::io_context>(1)); // 1: run by one thread only
    return loops;
}

} // namespace

Server::Server(ServerSettings settings, std::shared_ptr<asio::ssl::context> tls,
               crypto::OfficeNumberPolicy policy, Api& api, Metrics& metrics, RateLimiter& limiter)
    : m_settings(std::move(settings)), m_networks(networkLoops(m_settings.ioThreads)),
      m_acceptor(*m_networks.front()),
      m_workers(static_cast<std::size_t>(std::max(1, m_settings.workerThreads))),
      m_shared(std::make_shared<Shared>(m_settings, std::move(policy), api, metrics, limiter, m_workers,
                                        std::move(tls))) {
}

Server::~Server() {
    m_workers.join();
}

void Server::listen() {
    const tcp::endpoint endpoint(asio::ip::make_address(m_settings.host), m_settings.port);
    m_acceptor.open(endpoint.protocol());
    m_acceptor.set_option(asio::socket_base::reuse_address(true));
    m_acceptor.bind(endpoint);
    m_acceptor.listen(asio::socket_base::max_listen_connections);
    accept();
}

unsigned short Server::port() const {
    return m_acceptor.local_endpoint().port();
}

asio::io_context& Server::nextNetwork() {
    asio::io_context& network = *m_networks[m_nextNetwork];
    m_nextNetwork = (m_nextNetwork + 1) % m_networks.size();
    return network;
}

void Server::accept() {
    auto socket = std::make_unique<TlsSocket::Socket>(nextNetwork());
    TlsSocket::Socket& peer = *socket;
    m_acceptor.async_accept(peer, [this, socket = std::move(socket)](beast::error_code ec) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open())
            return;
        if (ec) {
            // Out of descriptors or similar: say so, back off briefly instead of spinning.
            m_shared->metrics.error("accept");
            log::warning("accept_failed", {{"reason", ec.message()}});
            auto timer = std::make_shared<asio::steady_timer>(ioContext(), std::chrono::milliseconds(100));
            timer->async_wait([this, timer](beast::error_code) { accept(); });
            return;
        }
        // Responses are written whole; Nagle's algorithm would hold the last partial TLS record of a
        // download back until the client's delayed ACK (40 ms per download, measured).
        beast::error_code ignored;
        socket->set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(*socket), m_shared->currentTls(), m_shared)->start();
        accept();
    });
}

void Server::setTlsContext(std::shared_ptr<asio::ssl::context> tls) {
    const std::lock_guard lock(m_shared->tlsMutex);
    m_shared->tls = std::move(tls);
}

void Server::run() {
    // Worker jobs and group commits post back: a loop must not run dry while they are out.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    for (auto& network : m_networks)
        guards.push_back(asio::make_work_guard(*network));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < m_networks.size(); ++i)
        threads.emplace_back([network = m_networks[i].get()] {
            nameThisThread("relay-io");
            network->run();
        });
    ioContext().run();
    for (auto& thread : threads)
        thread.join();
    m_workers.join();
}

void Server::stop() {
    asio::post(ioContext(), [this] {
        if (m_shared->stopping.exchange(true))
            return;
        log::info("stopping", {{"grace_ms", m_settings.shutdownGrace.count()}});
        beast::error_code ignored;
        m_acceptor.close(ignored);
        // Collected first and told outside the lock: the last reference to a session that is ending on
        // another network thread may be one of these, and ~Session takes the same lock.
        std::vector<std::shared_ptr<Session>> open;
        {
            const std::lock_guard lock(m_shared->sessionsMutex);
            for (auto& [raw, weak] : m_shared->sessions)
                if (auto session = weak.lock())
                    open.push_back(std::move(session));
        }
        for (const auto& session : open)
            session->closeIfIdle();
        waitForSessions(std::make_shared<asio::steady_timer>(ioContext()),
                        std::chrono::steady_clock::now() + m_settings.shutdownGrace);
    });
}

// Polls until the last connection has ended or the grace period is over, then ends run().
void Server::waitForSessions(std::shared_ptr<asio::steady_timer> timer,
                             std::chrono::steady_clock::time_point deadline) {
    bool empty = false;
    {
        const std::lock_guard lock(m_shared->sessionsMutex);
        empty = m_shared->sessions.empty();
    }
    if (empty || std::chrono::steady_clock::now() >= deadline) {
        for (auto& network : m_networks)
            network->stop();
        return;
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([this, timer, deadline](beast::error_code) { waitForSessions(timer, deadline); });
}

} // namespace cplink::relay
