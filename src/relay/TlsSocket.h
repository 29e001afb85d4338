#pragma once

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <cstddef>
#include <iterator>
#include <memory>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <string>

namespace cplink::relay {

// A server-side TLS connection: OpenSSL working directly on the non-blocking TCP socket (SSL_set_fd),
// Asio only waiting for readiness. Why not asio::ssl::stream: it keeps two 17 KiB buffers and a
// 2 × 17 KiB BIO pair per connection for the connection's whole life — about 82 KiB per idle client
// (measured with 10,000 held connections: 820 MiB). Here an idle connection keeps the SSL object with
// its record buffers released (SSL_MODE_RELEASE_BUFFERS).
//
// It is a Beast AsyncReadStream/AsyncWriteStream with tcp_stream-like timeouts: expires_after() arms a
// deadline for the operations that follow; when it passes, they end with beast::error::timeout.
// Like every Asio stream, one read and one write may be outstanding at a time, on one thread.
class TlsSocket {
public:
    // The concrete executor of the connection's event loop, not any_io_executor: Beast's composed
    // operations copy and query the executor several times per operation, and through the type-erased
    // one that was 2.5 % of the relay's CPU under upload load.
    using executor_type = boost::asio::io_context::executor_type;
    using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, executor_type>;

    // Takes ownership of the socket; the SSL object is made from `context` for the server side.
    TlsSocket(Socket socket, SSL_CTX* context);
    ~TlsSocket();
    TlsSocket(const TlsSocket&) = delete;
    TlsSocket& operator=(const TlsSocket&) = delete;

    executor_type get_executor() { return m_socket.get_executor(); }
    Socket& socket() { return m_socket; }
    SSL* native_handle() { return m_ssl.get(); }

    void expires_after(std::chrono::steady_clock::duration timeout);
    // The next read waits for the socket first instead of trying SSL_read at once: after an answer the
    // client's next request cannot be there yet (it waits for the answer), so the attempt would only
    // cost a recv() that fails with EAGAIN, one per request. Bytes OpenSSL already holds are read at
    // once all the same.
    void waitBeforeNextRead() { m_waitBeforeRead = true; }
    // Ends whatever is outstanding now with operation_aborted.
    void cancel();

    template <typename Handler> auto async_handshake(Handler&& handler) {
        return run(Step::Handshake, nullptr, 0, std::forward<Handler>(handler));
    }
    template <typename MutableBuffers, typename Handler>
    auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
        const boost::asio::mutable_buffer first = *boost::asio::buffer_sequence_begin(buffers);
        return run(Step::Read, first.data(), first.size(), std::forward<Handler>(handler));
    }
    template <typename ConstBuffers, typename Handler>
    auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
        // A write may be partial, and the callers (Beast) loop. Beast hands an answer over as many
        // small buffers (status line, each field, the body); written one by one they were one TLS
        // record and one send() each, eight per upload answer. Small pieces go out as one record.
        const boost::asio::const_buffer piece = gather(buffers);
        return run(Step::Write, const_cast<void*>(piece.data()), piece.size(),
                   std::forward<Handler>(handler));
    }
    // Sends close_notify (without waiting for the peer's) and shuts the socket down.
    template <typename Handler> auto async_shutdown(Handler&& handler) {
        return run(Step::Shutdown, nullptr, 0, std::forward<Handler>(handler));
    }

private:
    enum class Step { Handshake, Read, Write, Shutdown };
    struct SslDeleter {
        void operator()(SSL* ssl) const { SSL_free(ssl); }
    };

    // One OpenSSL call: done (with bytes), or wait for readable/writable, or failed.
    enum class Outcome { Done, WantRead, WantWrite, Failed };
    Outcome attempt(Step step, void* data, std::size_t size, std::size_t& transferred,
                    boost::beast::error_code& ec);
    boost::beast::error_code waitError(const boost::beast::error_code& ec) const;

    // Answers' heads and small bodies fit; a larger piece goes out as it is. Bounded because every
    // connection keeps its m_gathered (10,000 idle connections × 4 KiB at most).
    static constexpr std::size_t kGatherLimit = 4096;
    // The first buffer if it is large by itself (no copy), else the leading bytes of the sequence,
    // up to kGatherLimit, copied into m_gathered. Stays valid until the write completes:
    // only one write is outstanding, and OpenSSL wants the same bytes again after WANT_WRITE.
    template <typename ConstBuffers> boost::asio::const_buffer gather(const ConstBuffers& buffers) {
        auto it = boost::asio::buffer_sequence_begin(buffers);
        const auto end = boost::asio::buffer_sequence_end(buffers);
        while (it != end && boost::asio::const_buffer(*it).size() == 0)
            ++it;
        if (it == end)
            return {};
        const boost::asio::const_buffer first = *it;
        if (first.size() >= kGatherLimit || std::next(it) == end)
            return first;
        m_gathered.clear();
        for (; it != end && m_gathered.size() < kGatherLimit; ++it) {
            const boost::asio::const_buffer piece = *it;
            const std::size_t take = std::min(piece.size(), kGatherLimit - m_gathered.size());
            m_gathered.append(static_cast<const char*>(piece.data()), take);
        }
        return boost::asio::buffer(m_gathered);
    }

    template <typename Handler> auto run(Step step, void* data, std::size_t size, Handler&& handler) {
        return boost::asio::async_compose<Handler, void(boost::beast::error_code, std::size_t)>(
            [this, step, data, size, started = false](auto& self,
                                                      boost::beast::error_code waited = {}) mutable {
                if (started && waited)
                    return self.complete(waitError(waited), 0);
                const bool waitFirst = !started && step == Step::Read && m_waitBeforeRead &&
                                       !m_deadlineState->timedOut && SSL_has_pending(m_ssl.get()) == 0;
                started = true;
                if (step == Step::Read)
                    m_waitBeforeRead = false;
                if (waitFirst)
                    return m_socket.async_wait(boost::asio::socket_base::wait_read, std::move(self));
                std::size_t transferred = 0;
                boost::beast::error_code ec;
                switch (attempt(step, data, size, transferred, ec)) {
                case Outcome::Done:
                    return self.complete(ec, transferred);
                case Outcome::Failed:
                    return self.complete(ec, 0);
                case Outcome::WantRead:
                    return m_socket.async_wait(boost::asio::socket_base::wait_read, std::move(self));
                case Outcome::WantWrite:
                    return m_socket.async_wait(boost::asio::socket_base::wait_write, std::move(self));
                }
            },
            handler, m_socket);
    }

    using Clock = std::chrono::steady_clock;
    using Timer = boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>, executor_type>;

    Socket m_socket;
    std::unique_ptr<SSL, SslDeleter> m_ssl;
    Timer m_deadline;
    // Shared with the deadline's handler, which may run after this socket is gone.
    struct DeadlineState {
        Clock::time_point deadline = Clock::time_point::max();
        bool armed = false; // a wait on m_deadline is outstanding
        bool timedOut = false;
        Socket* socket = nullptr; // null once the TlsSocket is destroyed
        Timer* timer = nullptr;   // likewise
    };
    std::shared_ptr<DeadlineState> m_deadlineState;
    static void armDeadline(const std::shared_ptr<DeadlineState>& state);
    std::string m_gathered; // see gather()
    bool m_waitBeforeRead = false;
};

} // namespace cplink::relay
