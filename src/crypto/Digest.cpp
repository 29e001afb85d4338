#include "Digest.h"

#include "Error.h"
#include "Handles.h"

#include <openssl/evp.h>

namespace cplink::crypto {

namespace {
std::string toHex(const unsigned char* bytes, unsigned int length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(kDigits[bytes[i] >> 4]);
        hex.push_back(kDigits[bytes[i] & 0x0f]);
    }
    return hex;
}

// EVP_sha256() is a legacy handle: OpenSSL 3 looks its implementation up in the provider tables on
// every EVP_DigestInit_ex (name comparisons under a lock). The relay hashes every upload, so the
// implementation is fetched once and kept for the life of the process (it is immutable and shared
// safely between threads).
const EVP_MD* sha256Implementation() {
    static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    return fetched ? fetched : EVP_sha256();
}
} // namespace

struct Sha256::State {
    Handle<EVP_MD_CTX, EVP_MD_CTX_free> context{EVP_MD_CTX_new()};
};

Sha256::Sha256() : m_state(std::make_unique<State>()) {
    check(m_state->context.get(), "EVP_MD_CTX_new");
    check(EVP_DigestInit_ex(m_state->context.get(), sha256Implementation(), nullptr), "EVP_DigestInit_ex");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
    check(EVP_DigestUpdate(m_state->context.get(), bytes.data(), bytes.size()), "EVP_DigestUpdate");
}

std::string Sha256::finishHex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    check(EVP_DigestFinal_ex(m_state->context.get(), digest, &length), "EVP_DigestFinal_ex");
    return toHex(digest, length);
}

std::string sha256Hex(std::string_view bytes) {
    Sha256 digest;
    digest.update(bytes);
    return digest.finishHex();
}

} // namespace cplink::crypto
