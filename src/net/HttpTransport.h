#pragma once

#include "net/ConnectionSettings.h"
#include "net/CurlHandles.h"
#include "net/TlsCredentials.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cplink::net {

struct HttpRequest {
    std::string method;               // "GET", "POST" or "DELETE"
    std::string path;                 // "/v1/inbox?limit=10", appended to the base URL
    std::vector<std::string> headers; // "X-Message-Id: …"
    std::string_view body;            // POST only; must stay alive during perform()
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers; // names lower-cased; a repeated field keeps its last value
    std::string body;

    std::optional<std::string> header(const std::string& lowerName) const;
};

// Why no HTTP answer arrived, in libcurl's terms; FailureClassifier turns it into a RelayFailure.
struct TransportFailure {
    CURLcode code = CURLE_OK;
    std::string message;           // libcurl's error buffer (OpenSSL's reason for TLS failures)
    long verifyResult = 0;         // CURLINFO_SSL_VERIFYRESULT: X509_V_OK if the relay's chain passed
    bool responseTooLarge = false; // our maxResponseBytes cap stopped the transfer
};

using HttpOutcome = std::variant<HttpResponse, TransportFailure>;

// One libcurl easy handle speaking HTTP/1.1 over mutual TLS to the relay. The handle lives as long as
// the transport, so its connection cache keeps the TLS connection open between requests (keep-alive)
// and libcurl's TLS session cache shortens reconnects. Not thread-safe: one request at a time.
class HttpTransport {
public:
    HttpTransport(ConnectionSettings settings, TlsCredentials credentials);
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // One attempt, no retries.
    HttpOutcome perform(const HttpRequest& request);

    const TlsCredentials& credentials() const { return m_credentials; }

private:
    void configure(const HttpRequest& request, const curl_slist* headers);
    static size_t onBody(char* data, size_t size, size_t count, void* self);
    static size_t onHeader(char* data, size_t size, size_t count, void* self);

    ConnectionSettings m_settings;
    TlsCredentials m_credentials; // the SSL_CTX callback points here: the transport does not move
    CurlPtr m_curl;
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
    HttpResponse m_response;
    bool m_tooLarge = false;
};

} // namespace cplink::net
