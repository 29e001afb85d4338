#include "net/RelayClient.h"

#include "crypto/Digest.h"
#include "net/FailureClassifier.h"
#include "net/HttpTransport.h"
#include "net/RelayResponses.h"

#include <algorithm>
#include <initializer_list>
#include <random>

namespace cplink::net {

namespace {

constexpr int kMaxInboxLimit = 1000; // the relay's maximum (docs/protocol.md)

// A call the relay would refuse anyway, stopped before anything is sent (attempts = 0). Ids also go
// into the URL path, so an unchecked one could address another resource.
[[noreturn]] void refuseLocally(const std::string& operation, std::string detail) {
    throw RelayError(localFailure(RelayErrorCategory::BadRequest, std::move(detail)), operation, 0);
}

void requireMessageId(std::string_view id, const std::string& operation) {
    if (!isValidMessageId(id))
        refuseLocally(operation, "invalid message id");
}

void requireOfficeNumber(std::string_view number, const std::string& operation) {
    if (!isValidOfficeNumber(number))
        refuseLocally(operation, "invalid office number");
}

ConnectionSettings checkedConnection(ConnectionSettings settings) {
    while (!settings.baseUrl.empty() && settings.baseUrl.back() == '/')
        settings.baseUrl.pop_back();
    if (settings.baseUrl.rfind("https://", 0) != 0)
        failSetup("relay URL must start with https://");
    return settings;
}

struct Answer {
    HttpResponse response;
    int attempts = 0;
};

} // namespace

struct RelayClient::Impl {
    Impl(RelayClientConfig configuration, const crypto::Identity& identity)
        : config(std::move(configuration)),
          transport(checkedConnection(config.connection),
                    TlsCredentials(identity, std::move(config.trustAnchors), std::move(config.crls))),
          random(std::random_device{}()) {
        if (!config.sleeper)
            config.sleeper = threadSleeper();
    }

    // Sends the request until the relay answers one of `accepted` statuses, retrying transient failures.
    Answer exchange(const HttpRequest& request, std::initializer_list<long> accepted);
    // Reads an accepted answer; a malformed one is a ProtocolError of this call.
    template <typename Read>
    auto read(const HttpRequest& request, const Answer& answer, Read&& reader) -> decltype(reader());
    std::chrono::milliseconds delayAfter(const RelayFailure& failure, int attempt);
    bool ownCertificateExpired() const;

    RelayClientConfig config; // trustAnchors and crls moved into the transport
    HttpTransport transport;
    std::mt19937_64 random;
};

namespace {
std::string operationOf(const HttpRequest& request) {
    return request.method + " " + request.path.substr(0, request.path.find('?'));
}
} // namespace

Answer RelayClient::Impl::exchange(const HttpRequest& request, std::initializer_list<long> accepted) {
    const int maxAttempts = std::max(1, config.retry.maxAttempts);
    for (int attempt = 1;; ++attempt) {
        HttpOutcome outcome = transport.perform(request);
        RelayFailure failure;
        if (auto* response = std::get_if<HttpResponse>(&outcome)) {
            if (std::find(accepted.begin(), accepted.end(), response->status) != accepted.end())
                return Answer{std::move(*response), attempt};
            failure = classifyHttpFailure(*response);
        } else {
            failure = classifyTransportFailure(std::get<TransportFailure>(outcome), ownCertificateExpired());
        }

        const bool tooLongToWait = failure.retryAfter && *failure.retryAfter > config.retry.maxRetryAfter;
        if (!isTransient(failure.category) || attempt >= maxAttempts || tooLongToWait)
            throw RelayError(std::move(failure), operationOf(request), attempt);

        const std::chrono::milliseconds delay = delayAfter(failure, attempt);
        if (config.log) {
            const RelayError attemptError(failure, operationOf(request), attempt);
            config.log(std::string("relay: ") + attemptError.what() + "; retrying in " +
                       std::to_string(delay.count()) + " ms (attempt " + std::to_string(attempt + 1) +
                       " of " + std::to_string(maxAttempts) + ")");
        }
        config.sleeper(delay);
    }
}

template <typename Read>
auto RelayClient::Impl::read(const HttpRequest& request, const Answer& answer, Read&& reader)
    -> decltype(reader()) {
    try {
        return reader();
    } catch (const MalformedAnswer& e) {
        throw RelayError(localFailure(RelayErrorCategory::ProtocolError, e.what()), operationOf(request),
                         answer.attempts);
    }
}

std::chrono::milliseconds RelayClient::Impl::delayAfter(const RelayFailure& failure, int attempt) {
    if (failure.retryAfter)
        return std::chrono::duration_cast<std::chrono::milliseconds>(*failure.retryAfter);
    std::uniform_real_distribution<double> share(0.0, 1.0);
    return backoffDelay(config.retry, attempt, share(random));
}

bool RelayClient::Impl::ownCertificateExpired() const {
    const crypto::SystemClock systemClock;
    const crypto::Clock& clock = config.clock != nullptr ? *config.clock : systemClock;
    return clock.now() > transport.credentials().certificate().notAfter();
}

RelayClient::RelayClient(RelayClientConfig config, const crypto::Identity& identity)
    : m_impl(std::make_unique<Impl>(std::move(config), identity)) {
}
RelayClient::~RelayClient() = default;
RelayClient::RelayClient(RelayClient&&) noexcept = default;
RelayClient& RelayClient::operator=(RelayClient&&) noexcept = default;

UploadReceipt RelayClient::upload(std::string_view recipientOffice, std::string_view messageId,
                                  MessageKind kind, std::string_view envelope) {
    const HttpRequest request{
        "POST",
        "/v1/messages",
        {"X-Message-Id: " + std::string(messageId), "X-Recipient-Office: " + std::string(recipientOffice),
         std::string("X-Message-Kind: ") + toString(kind), "Content-Type: application/cms"},
        envelope};
    const std::string operation = operationOf(request);
    requireMessageId(messageId, operation);
    requireOfficeNumber(recipientOffice, operation);
    if (kind != MessageKind::Envelope && kind != MessageKind::Receipt)
        refuseLocally(operation, std::string("cannot upload a message of kind ") + toString(kind));

    const Answer answer = m_impl->exchange(request, {201});
    return m_impl->read(request, answer, [&] {
        UploadReceipt receipt = parseUploadReceipt(answer.response.body);
        if (receipt.messageId != messageId)
            throw MalformedAnswer("upload answer names message " + receipt.messageId);
        if (receipt.sha256 != crypto::sha256Hex(envelope))
            throw MalformedAnswer("upload answer: the relay's SHA-256 differs from the bytes sent");
        return receipt;
    });
}

std::vector<InboxEntry> RelayClient::inbox(int limit) {
    const HttpRequest request{"GET", "/v1/inbox?limit=" + std::to_string(limit), {}, {}};
    if (limit < 1 || limit > kMaxInboxLimit)
        refuseLocally(operationOf(request), "inbox limit must be 1-1000");
    const Answer answer = m_impl->exchange(request, {200});
    return m_impl->read(request, answer, [&] { return parseInbox(answer.response.body); });
}

DownloadedMessage RelayClient::download(std::string_view messageId) {
    const HttpRequest request{"GET", "/v1/messages/" + std::string(messageId), {}, {}};
    requireMessageId(messageId, operationOf(request));
    Answer answer = m_impl->exchange(request, {200});
    return m_impl->read(request, answer, [&] { return readDownload(std::move(answer.response)); });
}

bool RelayClient::acknowledge(std::string_view messageId) {
    const HttpRequest request{"DELETE", "/v1/messages/" + std::string(messageId), {}, {}};
    requireMessageId(messageId, operationOf(request));
    return m_impl->exchange(request, {204, 404}).response.status != 404;
}

OfficeEntry RelayClient::office(std::string_view officeNumber) {
    const HttpRequest request{"GET", "/v1/offices/" + std::string(officeNumber), {}, {}};
    requireOfficeNumber(officeNumber, operationOf(request));
    const Answer answer = m_impl->exchange(request, {200});
    return m_impl->read(request, answer, [&] { return parseOffice(answer.response.body); });
}

std::optional<std::string> RelayClient::crl() {
    const HttpRequest request{"GET", "/v1/crl", {}, {}};
    Answer answer = m_impl->exchange(request, {200, 404});
    if (answer.response.status == 404)
        return std::nullopt;
    return m_impl->read(request, answer, [&] { return readCrl(std::move(answer.response.body)); });
}

Health RelayClient::health() {
    const HttpRequest request{"GET", "/healthz", {}, {}};
    const Answer answer = m_impl->exchange(request, {200});
    return m_impl->read(request, answer, [&] { return parseHealth(answer.response.body); });
}

} // namespace cplink::net
