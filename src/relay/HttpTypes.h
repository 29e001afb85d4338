#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::relay {

// The relay's view of one HTTP exchange, independent of Beast: the API handlers are plain functions
// of these, so every rule of docs/protocol.md is testable without a socket.
struct ApiRequest {
    std::string method;                         // "GET", "POST", …
    std::string target;                         // path and query, as received
    std::map<std::string, std::string> headers; // field names lower-cased
    std::string body;
    std::string requestId; // for logs, set by the server

    std::optional<std::string> header(std::string_view lowerName) const;
};

struct ApiResponse {
    int status = 200;
    std::string contentType = "application/json; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers; // extra fields
    std::string body;
    std::string errorCode; // for logs and metrics; empty on success
};

// Who is calling: taken from the verified client certificate, never from the request.
struct Caller {
    std::string office;
    std::string name;
    std::string certificatePem;
    std::string fingerprint; // SHA-256 of the DER, lowercase hex
    long long notAfter = 0;  // unix time
};

// {"error": code, "message": message} with the status.
ApiResponse errorResponse(int status, std::string code, std::string message);

} // namespace cplink::relay
