#pragma once

#include "HttpTypes.h"
#include "Metrics.h"
#include "crypto/Clock.h"
#include "relay/storage/Storage.h"

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace cplink::relay {

// The endpoints of docs/protocol.md "Relay API" as plain functions of (request, caller) → response.
// The server has already verified the caller's certificate, applied the size and rate limits, and
// runs this on a worker thread (storage calls block).
class Api {
public:
    // The CRL the relay serves at /v1/crl (PEM), if one is configured; asked per request so that a
    // reloaded CRL is served at once.
    using CrlSource = std::function<std::optional<std::string>()>;

    Api(Storage& storage, const crypto::Clock& clock, Metrics& metrics, CrlSource crl);

    ApiResponse handle(const ApiRequest& request, const Caller& caller);

    // POST /v1/messages, answered through `respond` once the upload is durable (or refused). With a
    // storage that waits without a thread this returns at once and the server calls it from a network
    // thread. `respond` then runs on the storage's writer and must only hand the answer on: the answer
    // is built (JSON, metrics, log line) wherever the responder calls it, off the writer's path.
    using Answer = std::function<ApiResponse()>;
    using Responder = std::function<void(Answer)>;
    void handleUpload(ApiRequest request, const Caller& caller, Responder respond);
    bool uploadsWithoutBlocking() const { return m_storage.uploadsWithoutBlocking(); }
    // Once per connection, before its first request: the office becomes known (DESIGN.md §5).
    void connected(const Caller& caller);

    // 500 for a request that failed in a way no rule foresees: counted, logged with the detail (which
    // never goes to the client), answered with the request id to quote.
    ApiResponse internalError(const std::string& requestId, const std::exception& error);

    // The route name for metrics and logs ("upload", "inbox", …, "unknown"): bounded label values.
    static std::string routeOf(const std::string& method, const std::string& target);

private:
    // The Upload a request asks for, or the answer that refuses it.
    std::variant<Upload, ApiResponse> uploadOf(ApiRequest& request, const Caller& caller) const;
    struct UploadNote { // what the answer and its log line say of the request
        std::string requestId, sender, recipient;
        std::size_t size = 0;
    };
    ApiResponse uploadAnswer(const UploadResult& result, const std::exception_ptr& error,
                             const UploadNote& note);
    ApiResponse storageUnavailable(const std::string& requestId, const std::string& route,
                                   const StorageError& error);
    ApiResponse inbox(const std::string& query, const Caller& caller);
    ApiResponse download(const std::string& id, const Caller& caller);
    ApiResponse acknowledge(const std::string& id, const Caller& caller);
    ApiResponse office(const std::string& number);
    ApiResponse crl();
    ApiResponse health();
    ApiResponse metrics();
    UnixTime now() const;

    Storage& m_storage;
    const crypto::Clock& m_clock;
    Metrics& m_metrics;
    CrlSource m_crl;
};

// 1–64 characters of [0-9A-Za-z._-]: safe in a path, a header and a file name.
bool isMessageId(std::string_view id);

} // namespace cplink::relay
