#include "HttpTypes.h"

#include <nlohmann/json.hpp>

namespace cplink::relay {

std::optional<std::string> ApiRequest::header(std::string_view lowerName) const {
    const auto it = headers.find(std::string(lowerName));
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

ApiResponse errorResponse(int status, std::string code, std::string message) {
    ApiResponse response;
    response.status = status;
    response.body = nlohmann::json{{"error", code}, {"message", std::move(message)}}.dump();
    response.errorCode = std::move(code);
    return response;
}

} // namespace cplink::relay
