#pragma once

#include "Api.h"
#include "Metrics.h"
#include "RateLimiter.h"
#include "crypto/OfficeNumberPolicy.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cplink::relay {

struct ServerSettings {
    std::string host = "127.0.0.1";
    unsigned short port = 8443; // 0: any free port (tests), see Server::port()
    std::size_t maxBody = 16u << 20;
    std::size_t maxHeader = 8u << 10;
    std::chrono::milliseconds handshakeTimeout{10'000}; // TLS handshake and the first request head
    std::chrono::milliseconds bodyTimeout{60'000};      // one request body
    std::chrono::milliseconds idleTimeout{120'000};     // between requests on a kept-alive connection
    std::chrono::milliseconds shutdownGrace{10'000};    // SIGTERM: time for requests in progress
    int ioThreads = 2;
    int workerThreads = 32; // storage calls block; uploads wait for a group commit
};

// The HTTP/1.1-over-TLS front of the relay (Boost.Beast): accepts connections, performs the mutual
// TLS handshake, reads requests within the limits, answers 413/429/431/400 itself, and runs the API
// on a worker pool so that slow storage never stalls the network threads.
class Server {
public:
    Server(ServerSettings settings, std::shared_ptr<boost::asio::ssl::context> tls,
           crypto::OfficeNumberPolicy policy, Api& api, Metrics& metrics, RateLimiter& limiter);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; throws std::system_error if the address is taken.
    void listen();
    unsigned short port() const;
    // Runs the network threads until stop() and the connections have ended; then waits for workers.
    void run();
    // Graceful: stop accepting, close idle connections, let requests in progress answer (up to the
    // grace period), then end. Safe from any thread and from a signal handler's asio callback.
    void stop();
    // New connections use this context (a reloaded CRL); existing ones keep theirs.
    void setTlsContext(std::shared_ptr<boost::asio::ssl::context> tls);

    // The context of the first network thread (the one run() is called on): the acceptor's, and the one
    // for signals and other main-loop work.
    boost::asio::io_context& ioContext() { return *m_networks.front(); }

    struct Shared; // what sessions need; defined in Server.cpp

private:
    void accept();
    void waitForSessions(std::shared_ptr<boost::asio::steady_timer> timer,
                         std::chrono::steady_clock::time_point deadline);

    boost::asio::io_context& nextNetwork();

    ServerSettings m_settings;
    // One event loop per network thread, each run by that thread alone: a connection lives on one of
    // them for its whole life, so its handlers never need a strand, and no thread wakes another to hand
    // work over. (Measured: with all threads on one shared loop, each upload cost about one epoll_ctl
    // and half a context switch more, for one thread interrupting the other's epoll_wait.)
    std::vector<std::unique_ptr<boost::asio::io_context>> m_networks;
    std::size_t m_nextNetwork = 0; // round robin over m_networks; the acceptor's thread only
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::thread_pool m_workers;
    std::shared_ptr<Shared> m_shared;
};

} // namespace cplink::relay
