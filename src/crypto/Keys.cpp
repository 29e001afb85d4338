#include "Keys.h"

#include "Error.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

namespace cplink::crypto {

namespace {

// scrypt cost of `openssl pkcs8 -scrypt`: 16 MiB and about 50 ms per open, under OpenSSL's 32 MiB cap.
constexpr std::uint64_t kScryptN = 1u << 14;
constexpr std::uint64_t kScryptR = 8;
constexpr std::uint64_t kScryptP = 1;
constexpr int kSaltLength = 16;

// Passes the passphrase to PEM readers without OpenSSL prompting on a terminal.
int passphraseCallback(char* buffer, int size, int /*rwflag*/, void* userdata) {
    const auto* secret = static_cast<const Secret*>(userdata);
    if (secret == nullptr || secret->size() > size)
        return -1;
    std::copy(secret->view().begin(), secret->view().end(), buffer);
    return secret->size();
}

} // namespace

std::optional<KeySpec> KeySpec::parse(std::string_view name) {
    if (name == "ec" || name == "ec256" || name == "p256")
        return KeySpec{KeyAlgorithm::EcP256, 0};
    if (name == "ec384" || name == "p384")
        return KeySpec{KeyAlgorithm::EcP384, 0};
    if (name == "rsa" || name == "rsa3072")
        return KeySpec::rsa(3072);
    if (name == "rsa2048")
        return KeySpec::rsa(2048);
    if (name == "rsa4096")
        return KeySpec::rsa(4096);
    return std::nullopt;
}

EvpPkeyPtr generateKey(const KeySpec& spec) {
    EVP_PKEY* key = nullptr;
    switch (spec.algorithm) {
    case KeyAlgorithm::EcP256:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    case KeyAlgorithm::EcP384:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        break;
    case KeyAlgorithm::Rsa:
        if (spec.rsaBits < 2048 || spec.rsaBits > 4096)
            throw CryptoError(ErrorCode::Usage, "RSA keys must have 2048 to 4096 bits");
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(spec.rsaBits));
        break;
    }
    return EvpPkeyPtr(check(key, "cannot generate a key"));
}

KeyInfo describeKey(const EVP_PKEY* key) {
    KeyInfo info;
    if (key == nullptr) {
        info.description = "unsupported: no key";
        return info;
    }
    info.bits = EVP_PKEY_get_bits(key);
    if (EVP_PKEY_is_a(key, "RSA")) {
        info.algorithm = KeyAlgorithm::Rsa;
        info.description = "RSA " + std::to_string(info.bits);
        info.supported = info.bits >= 2048 && info.bits <= 4096;
        return info;
    }
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) !=
            1)
            ERR_clear_error();
        const std::string name(group);
        if (name == "prime256v1" || name == "P-256") {
            info.algorithm = KeyAlgorithm::EcP256;
            info.description = "EC P-256";
            info.supported = true;
        } else if (name == "secp384r1" || name == "P-384") {
            info.algorithm = KeyAlgorithm::EcP384;
            info.description = "EC P-384";
            info.supported = true;
        } else {
            info.description = "unsupported: EC " + (name.empty() ? std::string("(explicit curve)") : name);
        }
        return info;
    }
    const char* type = EVP_PKEY_get0_type_name(key);
    info.description = std::string("unsupported: ") + (type != nullptr ? type : "unknown key type");
    return info;
}

std::string encryptPrivateKeyPem(const EVP_PKEY* key, const Secret& passphrase) {
    if (passphrase.empty())
        throw CryptoError(ErrorCode::Usage, "an empty passphrase does not protect a private key");
    Pkcs8InfoPtr info(check(EVP_PKEY2PKCS8(key), "cannot encode the private key"));
    unsigned char salt[kSaltLength];
    check(RAND_bytes(salt, sizeof salt), "cannot make a random salt");
    // A null IV lets OpenSSL draw a random one.
    X509AlgorPtr pbe(check(
        PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, kSaltLength, nullptr, kScryptN, kScryptR, kScryptP),
        "cannot set up scrypt"));
    X509SigPtr encrypted(check(PKCS8_set0_pbe(passphrase.c_str(), passphrase.size(), info.get(), pbe.get()),
                               "cannot encrypt the private key"));
    pbe.release(); // owned by `encrypted` now (set0)
    BioPtr out = newMemoryBio();
    check(PEM_write_bio_PKCS8(out.get(), encrypted.get()), "cannot write the private key");
    return bioContents(out.get());
}

EvpPkeyPtr readPrivateKeyPem(std::string_view pem, const Secret& passphrase) {
    BioPtr in = memoryBio(pem);
    // The callback is only asked when the key is encrypted; a const_cast-free void* to our Secret.
    void* userdata = const_cast<void*>(static_cast<const void*>(&passphrase));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(in.get(), nullptr, passphraseCallback, userdata);
    if (key == nullptr) {
        // A wrong password mostly shows as "bad decrypt", but one time in 256 the padding happens to
        // look right and the ASN.1 decoder fails instead: any failure on an encrypted key is the password.
        const std::string queue = takeOpenSslErrors();
        const bool encrypted = pem.find("ENCRYPTED") != std::string_view::npos;
        if (encrypted)
            throw CryptoError(ErrorCode::WrongPassword, "wrong password for the private key");
        if (pem.find("PRIVATE KEY-----") == std::string_view::npos)
            throw CryptoError(ErrorCode::NoKey, "no private key in the file");
        throw CryptoError(ErrorCode::Malformed, "cannot read the private key (" + queue + ")");
    }
    return EvpPkeyPtr(key);
}

std::string plainPrivateKeyPem(const EVP_PKEY* key) {
    BioPtr out = newMemoryBio();
    check(PEM_write_bio_PKCS8PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
          "cannot write the private key");
    return bioContents(out.get());
}

BioPtr memoryBio(std::string_view bytes) {
    return BioPtr(check(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), "out of memory"));
}

BioPtr newMemoryBio() {
    return BioPtr(check(BIO_new(BIO_s_mem()), "out of memory"));
}

std::string bioContents(BIO* bio) {
    BUF_MEM* buffer = nullptr;
    // BIO_get_mem_ptr is a macro with an old-style cast; this is its expansion.
    BIO_ctrl(bio, BIO_C_GET_BUF_MEM_PTR, 0, static_cast<void*>(&buffer));
    if (buffer == nullptr)
        return {};
    return std::string(buffer->data, buffer->length);
}

} // namespace cplink::crypto
