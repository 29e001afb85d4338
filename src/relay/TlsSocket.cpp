#include "TlsSocket.h"

#include <boost/asio/error.hpp>
#include <cerrno>
#include <stdexcept>

namespace cplink::relay {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {
// Read-ahead fills OpenSSL's record buffer, by default one record (16,709 bytes): a 20 KB upload, two
// records, then takes two recv() calls. With room for a few records one recv() takes what has arrived.
// SSL_MODE_RELEASE_BUFFERS frees the buffer whenever it is empty, so an idle connection holds none.
constexpr std::size_t kReadBufferBytes = 64 * 1024;
} // namespace

TlsSocket::TlsSocket(Socket socket, SSL_CTX* context)
    : m_socket(std::move(socket)), m_ssl(SSL_new(context)), m_deadline(m_socket.get_executor()),
      m_deadlineState(std::make_shared<DeadlineState>()) {
    m_deadlineState->socket = &m_socket;
    m_deadlineState->timer = &m_deadline;
    beast::error_code ec;
    m_socket.non_blocking(true, ec);
    if (!m_ssl || ec || SSL_set_fd(m_ssl.get(), m_socket.native_handle()) != 1)
        throw std::runtime_error("TLS: cannot set up the connection");
    // Partial writes and a moving buffer: Beast's serializer hands us one piece at a time.
    SSL_set_mode(m_ssl.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                  SSL_MODE_RELEASE_BUFFERS);
    // Without read-ahead OpenSSL reads each record in two recv() calls (its 5-byte header, then the
    // rest); with it, one recv() takes whatever has arrived, up to the record buffer. Reads always
    // try SSL_read before waiting for the socket, so bytes held in OpenSSL are never waited for.
    SSL_set_read_ahead(m_ssl.get(), 1);
    SSL_set_default_read_buffer_len(m_ssl.get(), kReadBufferBytes);
    SSL_set_accept_state(m_ssl.get());
}

TlsSocket::~TlsSocket() {
    m_deadlineState->socket = nullptr;
    m_deadlineState->timer = nullptr;
}

// A request sets a deadline three times (head, body, answer), and each new deadline is later than the
// one before. Moving the timer each time would cancel its wait (one more handler run) and queue a new
// one; instead the deadline is only written down, and the one wait outstanding, when it ends early,
// waits again for the deadline now in force. A deadline earlier than the armed one (shutdown's short
// grace) re-arms at once.
void TlsSocket::expires_after(std::chrono::steady_clock::duration timeout) {
    DeadlineState& state = *m_deadlineState;
    state.timedOut = false;
    const Clock::time_point deadline = Clock::now() + timeout;
    const bool earlier = deadline < state.deadline;
    state.deadline = deadline;
    if (!state.armed || earlier)
        armDeadline(m_deadlineState);
}

void TlsSocket::armDeadline(const std::shared_ptr<DeadlineState>& state) {
    state->armed = true;
    state->timer->expires_at(state->deadline); // cancels the wait outstanding, if any
    state->timer->async_wait([state](const beast::error_code& ec) {
        if (ec == asio::error::operation_aborted || !state->socket)
            return; // moved to an earlier deadline (a newer wait is outstanding), or the socket is gone
        state->armed = false;
        if (Clock::now() < state->deadline)
            return armDeadline(state); // the deadline moved on since this wait began
        state->timedOut = true;
        beast::error_code ignored;
        state->socket->cancel(ignored);
    });
}

void TlsSocket::cancel() {
    beast::error_code ignored;
    m_socket.cancel(ignored);
}

beast::error_code TlsSocket::waitError(const beast::error_code& ec) const {
    if (ec == asio::error::operation_aborted && m_deadlineState->timedOut)
        return beast::error::timeout;
    return ec;
}

TlsSocket::Outcome TlsSocket::attempt(Step step, void* data, std::size_t size, std::size_t& transferred,
                                      beast::error_code& ec) {
    if (m_deadlineState->timedOut) {
        ec = beast::error::timeout;
        return Outcome::Failed;
    }
    SSL* ssl = m_ssl.get();
    // The error queue is per thread; only this call's errors may count. It is nearly always empty
    // (failures below clear it), and clearing an empty queue still walks all its slots: 1.7 % of the
    // relay's CPU under upload load, one call per SSL_read. SSL_get_error looks no further than
    // ERR_peek_error either.
    if (ERR_peek_error() != 0)
        ERR_clear_error();
    errno = 0;
    int result = 0;
    switch (step) {
    case Step::Handshake:
        result = SSL_do_handshake(ssl);
        break;
    case Step::Read:
        if (size == 0)
            return Outcome::Done;
        result = SSL_read_ex(ssl, data, size, &transferred);
        break;
    case Step::Write:
        if (size == 0)
            return Outcome::Done;
        result = SSL_write_ex(ssl, data, size, &transferred);
        break;
    case Step::Shutdown:
        result = SSL_shutdown(ssl);
        if (result >= 0) { // 0: our close_notify is out; the peer's is not awaited
            m_socket.shutdown(asio::socket_base::shutdown_both, ec);
            ec = {};
            return Outcome::Done;
        }
        break;
    }
    if (result == 1)
        return Outcome::Done;
    const int error = SSL_get_error(ssl, result);
    switch (error) {
    case SSL_ERROR_WANT_READ:
        return Outcome::WantRead;
    case SSL_ERROR_WANT_WRITE:
        return Outcome::WantWrite;
    case SSL_ERROR_ZERO_RETURN:
        ec = asio::error::eof; // the peer sent close_notify
        break;
    case SSL_ERROR_SYSCALL:
        if (const unsigned long queued = ERR_get_error())
            ec = beast::error_code(static_cast<int>(queued), asio::error::get_ssl_category());
        else if (errno != 0)
            ec = beast::error_code(errno, beast::system_category());
        else
            ec = asio::ssl::error::stream_truncated; // TCP closed without close_notify
        break;
    default:
        ec = beast::error_code(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
        if (!ec)
            ec = asio::ssl::error::unspecified_system_error;
        break;
    }
    ERR_clear_error();
    return Outcome::Failed;
}

} // namespace cplink::relay
