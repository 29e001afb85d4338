#include "Error.h"

#include "Handles.h"

#include <openssl/err.h>

namespace cplink::crypto {

namespace {

std::string compose(const std::string& message, const std::string& queue) {
    if (queue.empty())
        return message;
    return message + " (" + queue + ")";
}

} // namespace

CryptoError::CryptoError(ErrorCode code, const std::string& message)
    : std::runtime_error(message), m_code(code) {
}

std::string takeOpenSslErrors() {
    std::string text;
    const char* data = nullptr;
    int flags = 0;
    // ERR_get_error_all also yields the optional data string (e.g. "Algorithm (RC2-40-CBC : 0)").
    while (const unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        char buffer[256];
        ERR_error_string_n(e, buffer, sizeof buffer);
        if (!text.empty())
            text += "; ";
        text += buffer;
        if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
            text += ": ";
            text += data;
        }
    }
    return text;
}

void fail(ErrorCode code, std::string_view message) {
    throw CryptoError(code, compose(std::string(message), takeOpenSslErrors()));
}

X509Ptr shareX509(X509* x) {
    if (x != nullptr)
        X509_up_ref(x);
    return X509Ptr(x);
}

EvpPkeyPtr shareKey(EVP_PKEY* key) {
    if (key != nullptr)
        EVP_PKEY_up_ref(key);
    return EvpPkeyPtr(key);
}

} // namespace cplink::crypto
