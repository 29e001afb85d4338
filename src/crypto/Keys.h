#pragma once

#include "Handles.h"
#include "Secret.h"

#include <optional>
#include <string>
#include <string_view>

namespace cplink::crypto {

// The key types the network supports (DESIGN.md §3): ECDSA P-256 (default for new keys), P-384, and
// RSA 2048–4096 (real national certificates are very likely RSA; 3072 is ours).
enum class KeyAlgorithm { EcP256, EcP384, Rsa };

struct KeySpec {
    KeyAlgorithm algorithm = KeyAlgorithm::EcP256;
    int rsaBits = 3072;

    static KeySpec ec() { return {}; }
    static KeySpec rsa(int bits = 3072) { return {KeyAlgorithm::Rsa, bits}; }
    // "ec" → P-256, "ec384", "rsa" → RSA-3072, "rsa2048", "rsa4096"; nullopt otherwise.
    static std::optional<KeySpec> parse(std::string_view name);
};

// What kind of key a certificate or identity holds, as read from the key itself.
struct KeyInfo {
    KeyAlgorithm algorithm = KeyAlgorithm::EcP256;
    int bits = 0;            // RSA modulus or EC field size
    std::string description; // "EC P-256", "EC P-384", "RSA 3072", or "unsupported: …"
    bool supported = false;  // one of the types the network accepts
    bool isRsa() const { return algorithm == KeyAlgorithm::Rsa; }
};

EvpPkeyPtr generateKey(const KeySpec& spec);
KeyInfo describeKey(const EVP_PKEY* key);

// Private keys at rest: PKCS#8 EncryptedPrivateKeyInfo in PEM ("ENCRYPTED PRIVATE KEY"), AES-256-CBC
// with a key from scrypt (N=2^14, r=8, p=1, 16-byte random salt) — the parameters of
// `openssl pkcs8 -topk8 -scrypt`, so the file also opens with the openssl CLI.
std::string encryptPrivateKeyPem(const EVP_PKEY* key, const Secret& passphrase);
// Reads an encrypted (or, for the test CA's own key, plain) PKCS#8 / traditional PEM key.
// A wrong passphrase throws CryptoError(WrongPassword).
EvpPkeyPtr readPrivateKeyPem(std::string_view pem, const Secret& passphrase);
// Unencrypted PKCS#8 PEM. Only for the test CA's signing key, which lives in a 0700 directory.
std::string plainPrivateKeyPem(const EVP_PKEY* key);

// A read-only memory BIO over bytes that outlive it.
BioPtr memoryBio(std::string_view bytes);
// A fresh writable memory BIO, and what has been written to it.
BioPtr newMemoryBio();
std::string bioContents(BIO* bio);

} // namespace cplink::crypto
