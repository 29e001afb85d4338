#include "Api.h"

#include "Log.h"
#include "crypto/Digest.h"
#include "crypto/OfficeNumberPolicy.h"

#include <charconv>
#include <future>
#include <nlohmann/json.hpp>

namespace cplink::relay {

namespace {

using nlohmann::json;

constexpr int kInboxMaximum = 1000;

ApiResponse jsonResponse(int status, const json& body) {
    ApiResponse response;
    response.status = status;
    response.body = body.dump();
    return response;
}

ApiResponse notFound() {
    return errorResponse(404, "not_found", "no such message, office or resource for this caller");
}

json receiptJson(const UploadReceipt& receipt) {
    return {
        {"message_id", receipt.messageId}, {"sha256", receipt.sha256}, {"received_at", receipt.receivedAt}};
}

// "/v1/messages/ID" → "ID" when `path` is `prefix` followed by one non-empty segment.
std::optional<std::string> segmentAfter(std::string_view path, std::string_view prefix) {
    if (path.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    const std::string_view rest = path.substr(prefix.size());
    if (rest.empty() || rest.find('/') != std::string_view::npos)
        return std::nullopt;
    return std::string(rest);
}

std::pair<std::string, std::string> splitTarget(const std::string& target) {
    const auto question = target.find('?');
    if (question == std::string::npos)
        return {target, {}};
    return {target.substr(0, question), target.substr(question + 1)};
}

// The value of `name` in "a=1&b=2", undecoded (our parameters are digits only).
std::optional<std::string> queryValue(const std::string& query, std::string_view name) {
    std::string_view rest = query;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto equals = pair.find('=');
        if (pair.substr(0, equals) == name)
            return std::string(equals == std::string_view::npos ? std::string_view()
                                                                : pair.substr(equals + 1));
        if (amp == std::string_view::npos)
            break;
        rest.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

} // namespace

bool isMessageId(std::string_view id) {
    if (id.empty() || id.size() > 64 || id == "." || id == "..")
        return false;
    for (const char c : id) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

Api::Api(Storage& storage, const crypto::Clock& clock, Metrics& metrics, CrlSource crl)
    : m_storage(storage), m_clock(clock), m_metrics(metrics), m_crl(std::move(crl)) {
}

UnixTime Api::now() const {
    return static_cast<UnixTime>(crypto::toTimeT(m_clock.now()));
}

std::string Api::routeOf(const std::string& method, const std::string& target) {
    const std::string path = splitTarget(target).first;
    if (path == "/v1/messages" && method == "POST")
        return "upload";
    if (path == "/v1/inbox" && method == "GET")
        return "inbox";
    if (segmentAfter(path, "/v1/messages/"))
        return method == "GET" ? "download" : method == "DELETE" ? "acknowledge" : "unknown";
    if (segmentAfter(path, "/v1/offices/") && method == "GET")
        return "office";
    if (path == "/v1/crl" && method == "GET")
        return "crl";
    if (path == "/healthz" && method == "GET")
        return "healthz";
    if (path == "/metrics" && method == "GET")
        return "metrics";
    return "unknown";
}

void Api::connected(const Caller& caller) {
    const UnixTime t = now();
    m_storage.officeSeen(Office{caller.office, caller.name, true, t, t},
                         OfficeCertificate{caller.fingerprint, caller.certificatePem, caller.notAfter, t});
}

ApiResponse Api::handle(const ApiRequest& request, const Caller& caller) {
    const auto [path, query] = splitTarget(request.target);
    const std::string route = routeOf(request.method, request.target);
    if (route == "upload") {
        std::promise<ApiResponse> answered;
        std::future<ApiResponse> future = answered.get_future();
        handleUpload(request, caller, [&answered](const Answer& answer) { answered.set_value(answer()); });
        return future.get();
    }
    try {
        if (route == "inbox")
            return inbox(query, caller);
        if (route == "download")
            return download(*segmentAfter(path, "/v1/messages/"), caller);
        if (route == "acknowledge")
            return acknowledge(*segmentAfter(path, "/v1/messages/"), caller);
        if (route == "office")
            return office(*segmentAfter(path, "/v1/offices/"));
        if (route == "crl")
            return crl();
        if (route == "healthz")
            return health();
        if (route == "metrics")
            return metrics();
    } catch (const StorageError& e) {
        return storageUnavailable(request.requestId, route, e);
    }
    if (segmentAfter(path, "/v1/messages/") || path == "/v1/messages" || path == "/v1/inbox")
        return errorResponse(405, "method_not_allowed", "method not allowed on " + path);
    return errorResponse(404, "not_found", "no such endpoint");
}

ApiResponse Api::storageUnavailable(const std::string& requestId, const std::string& route,
                                    const StorageError& error) {
    m_metrics.error("storage");
    log::error("storage_failed", {{"request_id", requestId}, {"route", route}, {"detail", error.what()}});
    return errorResponse(503, "unavailable",
                         "storage is not available; retry later with the same message id");
}

std::variant<Upload, ApiResponse> Api::uploadOf(ApiRequest& request, const Caller& caller) const {
    const auto id = request.header("x-message-id");
    const auto recipient = request.header("x-recipient-office");
    if (!id || !isMessageId(*id))
        return errorResponse(400, "bad_request", "X-Message-Id must be 1-64 characters of [0-9A-Za-z._-]");
    if (!recipient || !crypto::isOfficeNumber(*recipient))
        return errorResponse(400, "bad_request", "X-Recipient-Office must be a ten-digit office number");
    if (*recipient == caller.office)
        return errorResponse(400, "bad_request", "an office cannot send to itself");
    MessageKind kind = MessageKind::Envelope;
    if (const auto kindHeader = request.header("x-message-kind")) {
        const auto parsed = messageKindFromString(*kindHeader);
        if (!parsed || *parsed == MessageKind::ExpiryNotice)
            return errorResponse(400, "bad_request", "X-Message-Kind must be envelope or receipt");
        kind = *parsed;
    }
    if (request.body.empty())
        return errorResponse(400, "bad_request", "the body must be the envelope");
    std::string sha256 = crypto::sha256Hex(request.body);
    return Upload{caller.office, *recipient, *id, kind, std::move(request.body), std::move(sha256), now()};
}

void Api::handleUpload(ApiRequest request, const Caller& caller, Responder respond) {
    auto prepared = uploadOf(request, caller);
    if (auto* refusal = std::get_if<ApiResponse>(&prepared))
        return respond([refusal = std::move(*refusal)] { return refusal; });
    Upload& upload = std::get<Upload>(prepared);
    UploadNote note{std::move(request.requestId), upload.sender, upload.recipient, upload.body.size()};
    m_storage.uploadAsync(std::move(upload), [this, note = std::move(note), respond = std::move(respond)](
                                                 UploadResult result, std::exception_ptr error) {
        respond(
            [this, note, result = std::move(result), error] { return uploadAnswer(result, error, note); });
    });
}

ApiResponse Api::internalError(const std::string& requestId, const std::exception& error) {
    m_metrics.error("internal");
    log::error("internal_error", {{"request_id", requestId}, {"detail", error.what()}});
    return errorResponse(500, "internal", "internal error, request " + requestId);
}

ApiResponse Api::uploadAnswer(const UploadResult& result, const std::exception_ptr& error,
                              const UploadNote& note) {
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const StorageError& e) {
            return storageUnavailable(note.requestId, "upload", e);
        } catch (const std::exception& e) {
            return internalError(note.requestId, e);
        }
    }
    const UploadReceipt& receipt = result.receipt;
    switch (result.outcome) {
    case UploadOutcome::Stored:
        m_metrics.count("cplink_relay_uploads_total", "outcome=\"stored\"");
        if (log::infoEnabled()) {
            log::info("message_stored", {{"request_id", note.requestId},
                                         {"from", note.sender},
                                         {"to", note.recipient},
                                         {"message_id", receipt.messageId},
                                         {"size", note.size}});
        }
        return jsonResponse(201, receiptJson(receipt));
    case UploadOutcome::Duplicate:
        m_metrics.count("cplink_relay_uploads_total", "outcome=\"duplicate\"");
        return jsonResponse(201, receiptJson(receipt));
    case UploadOutcome::Conflict:
        m_metrics.count("cplink_relay_uploads_total", "outcome=\"conflict\"");
        return errorResponse(409, "conflict", "message id already used for other content");
    case UploadOutcome::UnknownRecipient:
        m_metrics.count("cplink_relay_uploads_total", "outcome=\"unknown_recipient\"");
        return errorResponse(404, "unknown_recipient", "the relay does not know office " + note.recipient);
    case UploadOutcome::RecipientDisabled:
        m_metrics.count("cplink_relay_uploads_total", "outcome=\"recipient_disabled\"");
        return errorResponse(403, "recipient_disabled",
                             "office " + note.recipient + " is disabled on the relay");
    case UploadOutcome::SenderDisabled:
        m_metrics.count("cplink_relay_uploads_total", "outcome=\"sender_disabled\"");
        return errorResponse(403, "sender_disabled", "this office is disabled on the relay");
    }
    return errorResponse(500, "internal", "unexpected upload outcome");
}

ApiResponse Api::inbox(const std::string& query, const Caller& caller) {
    int limit = kInboxMaximum;
    if (const auto text = queryValue(query, "limit")) {
        int parsed = 0;
        const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), parsed);
        if (error != std::errc() || end != text->data() + text->size() || parsed < 1)
            return errorResponse(400, "bad_request", "limit must be a positive number");
        limit = std::min(parsed, kInboxMaximum);
    }
    json messages = json::array();
    for (const auto& entry : m_storage.inbox(caller.office, limit)) {
        messages.push_back({{"message_id", entry.messageId},
                            {"from", entry.sender},
                            {"kind", toString(entry.kind)},
                            {"size", entry.size},
                            {"sha256", entry.sha256},
                            {"received_at", entry.receivedAt}});
    }
    return jsonResponse(200, {{"messages", std::move(messages)}});
}

ApiResponse Api::download(const std::string& id, const Caller& caller) {
    if (!isMessageId(id))
        return notFound();
    auto message = m_storage.download(caller.office, id);
    if (!message)
        return notFound();
    ApiResponse response;
    response.contentType = "application/cms";
    response.headers = {{"X-Sender-Office", message->sender},
                        {"X-Message-Kind", toString(message->kind)},
                        {"X-Content-SHA256", message->sha256}};
    response.body = std::move(message->body);
    return response;
}

ApiResponse Api::acknowledge(const std::string& id, const Caller& caller) {
    if (!isMessageId(id) || !m_storage.acknowledge(caller.office, id, now()))
        return notFound();
    log::info("message_acknowledged", {{"by", caller.office}, {"message_id", id}});
    ApiResponse response;
    response.status = 204;
    response.contentType.clear();
    return response;
}

ApiResponse Api::office(const std::string& number) {
    if (!crypto::isOfficeNumber(number))
        return notFound();
    const auto office = m_storage.office(number);
    if (!office)
        return notFound();
    json certificates = json::array();
    for (const auto& certificate : m_storage.officeCertificates(number, now()))
        certificates.push_back(certificate.pem);
    return jsonResponse(200, {{"office", office->number},
                              {"name", office->name},
                              {"enabled", office->enabled},
                              {"certificates", std::move(certificates)}});
}

ApiResponse Api::crl() {
    const auto pem = m_crl ? m_crl() : std::nullopt;
    if (!pem)
        return notFound();
    ApiResponse response;
    response.contentType = "application/pkix-crl";
    response.body = *pem;
    return response;
}

ApiResponse Api::health() {
    m_storage.pendingCount(); // throws StorageError (→ 503) if the database does not answer
    return jsonResponse(200, {{"status", "ok"}, {"storage", m_storage.backendName()}});
}

ApiResponse Api::metrics() {
    ApiResponse response;
    response.contentType = "text/plain; version=0.0.4";
    response.body = m_metrics.render([this] { return m_storage.pendingCount(); });
    return response;
}

} // namespace cplink::relay
