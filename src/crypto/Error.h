#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace cplink::crypto {

// What went wrong, for callers that react differently (a wrong password asks again; an expired
// certificate tells the admin to renew). The message says the same thing in words.
enum class ErrorCode {
    Failure,        // an OpenSSL call failed for a reason not listed here
    Io,             // reading or writing a file
    Malformed,      // input is not what it claims to be (PEM/DER/CRL parse)
    NotPkcs12,      // the file is not a PKCS#12 file at all
    WrongPassword,  // PKCS#12 MAC or encrypted key did not open with the password
    NoKey,          // a PKCS#12 file without a private key
    NoCertificate,  // a key without its certificate
    KeyMismatch,    // key and certificate do not belong together
    Expired,        // certificate past notAfter at the injected clock's time
    NotYetValid,    // certificate before notBefore
    NoOfficeNumber, // the certificate subject carries no office number under the network's policy
    Usage,          // the caller asked for something impossible (bad key type, CA dir exists, …)
};

// The one exception of src/crypto. what() is the message plus the OpenSSL error queue text (if any),
// which names functions and reasons but never key material or passwords.
class CryptoError : public std::runtime_error {
public:
    CryptoError(ErrorCode code, const std::string& message);
    ErrorCode code() const { return m_code; }

private:
    ErrorCode m_code;
};

// Drains the calling thread's OpenSSL error queue into one line ("" when empty).
std::string takeOpenSslErrors();

// Throws CryptoError(code, message + queue text). The queue is emptied so the next call starts clean.
[[noreturn]] void fail(ErrorCode code, std::string_view message);
[[noreturn]] inline void fail(std::string_view message) {
    fail(ErrorCode::Failure, message);
}

// Runs `read` (which reads `path`) and names the file in any error it throws, except I/O errors,
// which name it already.
template <typename F> auto withPath(const std::string& path, F&& read) {
    try {
        return read();
    } catch (const CryptoError& e) {
        if (e.code() == ErrorCode::Io)
            throw;
        throw CryptoError(e.code(), path + ": " + e.what());
    }
}

// For OpenSSL calls that return 1 (or a non-null pointer) on success.
inline void check(int result, std::string_view what) {
    if (result != 1)
        fail(what);
}
template <typename T> T* check(T* result, std::string_view what) {
    if (result == nullptr)
        fail(what);
    return result;
}

} // namespace cplink::crypto
