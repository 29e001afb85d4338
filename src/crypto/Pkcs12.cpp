#include "Pkcs12.h"

#include "Error.h"
#include "Files.h"
#include "Keys.h"

#include <atomic>
#include <mutex>
#include <openssl/err.h>
#include <openssl/pkcs12.h>

namespace cplink::crypto {

namespace {

constexpr int kIterations = 2048; // PKCS12_DEFAULT_ITER; what Windows and `openssl pkcs12` use

std::atomic<bool> g_legacyLoaded{false};

// RC2 lives in the legacy provider, which is not loaded by default (and should not be for everything
// else). Loaded once, on the first PKCS#12 file that needs it, together with the default provider:
// explicitly loading one provider would otherwise stop the default one from being loaded implicitly.
bool loadLegacyProvider() {
    static std::mutex mutex;
    static ProviderPtr defaultProvider;
    static ProviderPtr legacyProvider;
    std::lock_guard lock(mutex);
    if (legacyProvider)
        return true;
    defaultProvider.reset(OSSL_PROVIDER_load(nullptr, "default"));
    legacyProvider.reset(OSSL_PROVIDER_load(nullptr, "legacy"));
    g_legacyLoaded = legacyProvider != nullptr;
    return g_legacyLoaded;
}

struct Parsed {
    EvpPkeyPtr key;
    X509Ptr certificate;
    X509StackPtr chain;
};

bool parse(PKCS12* p12, const Secret& password, Parsed& out) {
    EVP_PKEY* key = nullptr;
    X509* certificate = nullptr;
    STACK_OF(X509)* chain = nullptr;
    const int ok = PKCS12_parse(p12, password.c_str(), &key, &certificate, &chain);
    out.key.reset(key);
    out.certificate.reset(certificate);
    out.chain.reset(chain);
    return ok == 1;
}

} // namespace

bool legacyProviderLoaded() {
    return g_legacyLoaded;
}

namespace {
constexpr long kMaxIterations = 2'000'000;
}

Identity importPkcs12(std::string_view bytes, const Secret& password, const Clock& clock,
                      ValidityCheck validity) {
    BioPtr in = memoryBio(bytes);
    Pkcs12Ptr p12(d2i_PKCS12_bio(in.get(), nullptr));
    if (!p12) {
        ERR_clear_error();
        throw CryptoError(ErrorCode::NotPkcs12, "not a PKCS#12 file");
    }
    // The MAC's iteration count comes from the file: an absurd one would keep the import busy for
    // hours (found by fuzzing). Real files use 1 to a few hundred thousand.
    const ASN1_INTEGER* macIterations = nullptr;
    PKCS12_get0_mac(nullptr, nullptr, nullptr, &macIterations, p12.get());
    if (macIterations && ASN1_INTEGER_get(macIterations) > kMaxIterations)
        throw CryptoError(ErrorCode::Malformed, "PKCS#12 MAC iteration count too high");
    // The MAC covers the whole file and is keyed by the password: checking it first tells a wrong
    // password apart from damaged content. OpenSSL calls this "mac verify failure".
    if (PKCS12_mac_present(p12.get()) == 1 &&
        PKCS12_verify_mac(p12.get(), password.c_str(), password.size()) != 1) {
        // An empty password may have been encoded as "no password" (NULL) by some tools.
        if (!(password.empty() && PKCS12_verify_mac(p12.get(), nullptr, 0) == 1)) {
            ERR_clear_error();
            throw CryptoError(ErrorCode::WrongPassword, "wrong password");
        }
    }
    Parsed parsed;
    if (!parse(p12.get(), password, parsed)) {
        // Most likely an algorithm only the legacy provider has (RC2-40 in `-legacy` files); retry
        // once with it. If that is not it, the original error is the one to report.
        const std::string first = takeOpenSslErrors();
        if (legacyProviderLoaded() || !loadLegacyProvider() || !parse(p12.get(), password, parsed)) {
            const std::string retry = takeOpenSslErrors();
            throw CryptoError(ErrorCode::Malformed,
                              "cannot read the PKCS#12 file (" + (retry.empty() ? first : retry) + ")");
        }
    }
    if (!parsed.key)
        throw CryptoError(ErrorCode::NoKey, "the PKCS#12 file contains no private key");
    if (!parsed.certificate)
        throw CryptoError(ErrorCode::NoCertificate, "the PKCS#12 file contains a key but no certificate");
    std::vector<Certificate> chain;
    if (parsed.chain) {
        for (int i = 0; i < sk_X509_num(parsed.chain.get()); ++i)
            chain.emplace_back(shareX509(sk_X509_value(parsed.chain.get(), i)));
    }
    Certificate certificate(std::move(parsed.certificate));
    if (validity == ValidityCheck::Required)
        requireValidNow(certificate, clock);
    return Identity(std::move(certificate), std::move(parsed.key), std::move(chain));
}

Identity loadPkcs12(const std::string& path, const Secret& password, const Clock& clock,
                    ValidityCheck validity) {
    const std::string bytes = readFile(path);
    try {
        return importPkcs12(bytes, password, clock, validity);
    } catch (const CryptoError& e) {
        throw CryptoError(e.code(), path + ": " + e.what());
    }
}

std::string exportPkcs12(const Identity& identity, const Secret& password, const std::string& friendlyName) {
    X509StackPtr chain(check(sk_X509_new_null(), "out of memory"));
    for (const auto& c : identity.chain()) {
        X509Ptr shared = shareX509(c.get());
        if (sk_X509_push(chain.get(), shared.get()) <= 0)
            fail("out of memory");
        shared.release(); // the stack owns it now
    }
    // mac_iter -1: no MAC yet; it is added below with SHA-256 (PKCS12_create would use SHA-1).
    Pkcs12Ptr p12(check(PKCS12_create(password.c_str(), friendlyName.empty() ? nullptr : friendlyName.c_str(),
                                      identity.key(), identity.certificate().get(), chain.get(),
                                      NID_aes_256_cbc, NID_aes_256_cbc, kIterations, -1, 0),
                        "cannot create the PKCS#12 file"));
    check(PKCS12_set_mac(p12.get(), password.c_str(), password.size(), nullptr, 0, kIterations, EVP_sha256()),
          "cannot add the PKCS#12 MAC");
    BioPtr out = newMemoryBio();
    check(i2d_PKCS12_bio(out.get(), p12.get()), "cannot write the PKCS#12 file");
    return bioContents(out.get());
}

} // namespace cplink::crypto
