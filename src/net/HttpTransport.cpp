#include "net/HttpTransport.h"

#include "net/RelayError.h"

#include <algorithm>
#include <cctype>

namespace cplink::net {

namespace {

// curl_easy_setopt with the result checked: a refused option (e.g. a libcurl built without a
// protocol) must not silently weaken the connection.
template <typename T> void setOption(CURL* curl, CURLoption option, T value) {
    if (curl_easy_setopt(curl, option, value) != CURLE_OK)
        failSetup("curl_easy_setopt " + std::to_string(static_cast<int>(option)) + " failed");
}

long milliseconds(std::chrono::milliseconds duration) {
    return static_cast<long>(duration.count());
}

std::string trim(std::string_view text) {
    const auto isSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return std::string(text);
}

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return text;
}

} // namespace

std::optional<std::string> HttpResponse::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

HttpTransport::HttpTransport(ConnectionSettings settings, TlsCredentials credentials)
    : m_settings(std::move(settings)), m_credentials(std::move(credentials)), m_curl(newCurlHandle()) {
}

HttpOutcome HttpTransport::perform(const HttpRequest& request) {
    CurlSlistPtr headers;
    for (const std::string& line : request.headers)
        appendHeader(headers, line.c_str());
    // libcurl would wait for "100 Continue" before a large body; the relay does not promise to send it.
    appendHeader(headers, "Expect:");
    configure(request, headers.get());

    m_response = HttpResponse{};
    m_tooLarge = false;
    m_errorBuffer[0] = '\0';
    const CURLcode code = curl_easy_perform(m_curl.get());
    if (code != CURLE_OK) {
        TransportFailure failure;
        failure.code = code;
        failure.message = m_errorBuffer[0] != '\0' ? m_errorBuffer : curl_easy_strerror(code);
        if (code == CURLE_SSL_CERTPROBLEM && !m_credentials.setupError().empty())
            failure.message += " (" + m_credentials.setupError() + ")";
        curl_easy_getinfo(m_curl.get(), CURLINFO_SSL_VERIFYRESULT, &failure.verifyResult);
        failure.responseTooLarge = m_tooLarge;
        return failure;
    }
    curl_easy_getinfo(m_curl.get(), CURLINFO_RESPONSE_CODE, &m_response.status);
    return std::move(m_response);
}

void HttpTransport::configure(const HttpRequest& request, const curl_slist* headers) {
    CURL* curl = m_curl.get();
    // Back to defaults, so nothing of the previous request (method, body) carries over. The
    // connection cache and TLS session cache survive a reset: keep-alive still works.
    curl_easy_reset(curl);
    const std::string url = m_settings.baseUrl + request.path;
    setOption(curl, CURLOPT_URL, url.c_str());
    setOption(curl, CURLOPT_PROTOCOLS_STR, "https");
    setOption(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    setOption(curl, CURLOPT_USERAGENT, m_settings.userAgent.c_str());
    setOption(curl, CURLOPT_HTTPHEADER, headers);
    setOption(curl, CURLOPT_NOSIGNAL, 1L); // timeouts without SIGALRM: safe in threads
    setOption(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    setOption(curl, CURLOPT_ERRORBUFFER, m_errorBuffer);

    setOption(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    setOption(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    setOption(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    // No system CA bundle: the relay is trusted through the network's anchors only (TlsCredentials).
    setOption(curl, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
    setOption(curl, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    setOption(curl, CURLOPT_SSL_CTX_FUNCTION, &TlsCredentials::configureContext);
    setOption(curl, CURLOPT_SSL_CTX_DATA, static_cast<void*>(&m_credentials));

    setOption(curl, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(m_settings.connectTimeout));
    setOption(curl, CURLOPT_TIMEOUT_MS, milliseconds(m_settings.requestTimeout));
    setOption(curl, CURLOPT_LOW_SPEED_LIMIT, m_settings.lowSpeedBytesPerSecond);
    setOption(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(m_settings.lowSpeedTime.count()));

    setOption(curl, CURLOPT_WRITEFUNCTION, &HttpTransport::onBody);
    setOption(curl, CURLOPT_WRITEDATA, static_cast<void*>(this));
    setOption(curl, CURLOPT_HEADERFUNCTION, &HttpTransport::onHeader);
    setOption(curl, CURLOPT_HEADERDATA, static_cast<void*>(this));

    if (request.method == "GET") {
        setOption(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "POST") {
        setOption(curl, CURLOPT_POST, 1L);
        setOption(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        setOption(curl, CURLOPT_POSTFIELDS, request.body.data());
    } else {
        setOption(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
}

size_t HttpTransport::onBody(char* data, size_t size, size_t count, void* self) {
    auto* transport = static_cast<HttpTransport*>(self);
    const size_t bytes = size * count;
    if (transport->m_response.body.size() + bytes > transport->m_settings.maxResponseBytes) {
        transport->m_tooLarge = true;
        return 0; // ends the transfer with CURLE_WRITE_ERROR
    }
    transport->m_response.body.append(data, bytes);
    return bytes;
}

size_t HttpTransport::onHeader(char* data, size_t size, size_t count, void* self) {
    auto* transport = static_cast<HttpTransport*>(self);
    const size_t bytes = size * count;
    const std::string_view line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0) {
        transport->m_response.headers.clear(); // a new status line (e.g. after "100 Continue")
    } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
        transport->m_response.headers[lowerCase(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    return bytes;
}

} // namespace cplink::net
