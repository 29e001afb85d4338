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

void freePkcs7Stack(STACK_OF(PKCS7) * s) noexcept {
    sk_PKCS7_pop_free(s, PKCS7_free);
}
void freeSafeBagStack(STACK_OF(PKCS12_SAFEBAG) * s) noexcept {
    sk_PKCS12_SAFEBAG_pop_free(s, PKCS12_SAFEBAG_free);
}
using Pkcs7StackPtr = Handle<STACK_OF(PKCS7), freePkcs7Stack>;
using SafeBagStackPtr = Handle<STACK_OF(PKCS12_SAFEBAG), freeSafeBagStack>;
using PbeParamPtr = Handle<PBEPARAM, PBEPARAM_free>;
using Pbe2ParamPtr = Handle<PBE2PARAM, PBE2PARAM_free>;
using Pbkdf2ParamPtr = Handle<PBKDF2PARAM, PBKDF2PARAM_free>;

template <typename T> T* unpack(const ASN1_ITEM* item, const ASN1_TYPE* parameter) {
    if (!parameter || parameter->type != V_ASN1_SEQUENCE)
        return nullptr;
    return static_cast<T*>(ASN1_TYPE_unpack_sequence(item, parameter));
}

// The iteration count of a password-based encryption: PKCS#12 / PKCS#5 v1.5 PBE, or PBES2 with PBKDF2.
// 0 when the scheme has none we know (OpenSSL then refuses it or has no count to run).
long pbeIterations(const X509_ALGOR* algorithm) {
    if (!algorithm)
        return 0;
    if (OBJ_obj2nid(algorithm->algorithm) == NID_pbes2) {
        Pbe2ParamPtr pbes2(unpack<PBE2PARAM>(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter));
        if (!pbes2 || !pbes2->keyfunc || OBJ_obj2nid(pbes2->keyfunc->algorithm) != NID_id_pbkdf2)
            return 0;
        Pbkdf2ParamPtr kdf(unpack<PBKDF2PARAM>(ASN1_ITEM_rptr(PBKDF2PARAM), pbes2->keyfunc->parameter));
        return kdf && kdf->iter ? ASN1_INTEGER_get(kdf->iter) : 0;
    }
    PbeParamPtr pbe(unpack<PBEPARAM>(ASN1_ITEM_rptr(PBEPARAM), algorithm->parameter));
    return pbe && pbe->iter ? ASN1_INTEGER_get(pbe->iter) : 0;
}

// Every iteration count in the file is the file's choice; an absurd one keeps the import busy for
// hours (found by fuzzing). Each is checked before OpenSSL runs it: the MAC's first, then (once the
// password is known to be right) the encrypted safes', then the shrouded key bags' wherever they sit:
// in a plain safe (Windows, `openssl pkcs12`), inside an encrypted safe, or in nested safe contents.
[[noreturn]] void refuseIterations(const char* what) {
    ERR_clear_error();
    throw CryptoError(ErrorCode::Malformed, std::string("PKCS#12 ") + what + " iteration count too high");
}

void checkMacIterations(PKCS12* p12, long limit) {
    const ASN1_INTEGER* macIterations = nullptr;
    PKCS12_get0_mac(nullptr, nullptr, nullptr, &macIterations, p12);
    if (macIterations && ASN1_INTEGER_get(macIterations) > limit)
        refuseIterations("MAC");
}

void checkBagIterations(const STACK_OF(PKCS12_SAFEBAG) * bags, long limit, int depth = 0) {
    if (depth > 3)
        refuseIterations("nested safe"); // OpenSSL would recurse as deep as the file goes
    for (int b = 0; bags && b < sk_PKCS12_SAFEBAG_num(bags); ++b) {
        const PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, b);
        if (PKCS12_SAFEBAG_get_nid(bag) == NID_safeContentsBag) {
            checkBagIterations(PKCS12_SAFEBAG_get0_safes(bag), limit, depth + 1);
        } else if (PKCS12_SAFEBAG_get_nid(bag) == NID_pkcs8ShroudedKeyBag) {
            const X509_ALGOR* algorithm = nullptr;
            X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &algorithm, nullptr);
            if (pbeIterations(algorithm) > limit)
                refuseIterations("key");
        }
    }
}

// The bags of an encrypted safe can only be read by decrypting it (with its own count checked), which
// costs one more decryption of a small safe; an algorithm only the legacy provider has is retried
// with it, like the parse itself.
SafeBagStackPtr decryptSafe(PKCS7* safe, const Secret& password) {
    const auto attempt = [&] {
        SafeBagStackPtr bags(
            PKCS12_unpack_p7encdata(safe, password.c_str(), static_cast<int>(password.size())));
        if (!bags && password.empty()) // "no password" encoded as NULL, as with the MAC
            bags.reset(PKCS12_unpack_p7encdata(safe, nullptr, 0));
        return bags;
    };
    SafeBagStackPtr bags = attempt();
    if (!bags && !legacyProviderLoaded() && loadLegacyProvider())
        bags = attempt();
    ERR_clear_error();
    return bags; // null: PKCS12_parse reports the broken safe in its own words
}

void checkSafeIterations(PKCS12* p12, const Secret& password, long limit) {
    Pkcs7StackPtr safes(PKCS12_unpack_authsafes(p12));
    if (!safes) {
        ERR_clear_error();
        return; // PKCS12_parse reports a broken file in its own words
    }
    for (int i = 0; i < sk_PKCS7_num(safes.get()); ++i) {
        PKCS7* safe = sk_PKCS7_value(safes.get(), i);
        if (PKCS7_type_is_encrypted(safe)) {
            const PKCS7_ENCRYPT* encrypted = safe->d.encrypted;
            if (encrypted && encrypted->enc_data && pbeIterations(encrypted->enc_data->algorithm) > limit)
                refuseIterations("encrypted safe");
            SafeBagStackPtr bags = decryptSafe(safe, password);
            checkBagIterations(bags.get(), limit);
        } else if (PKCS7_type_is_data(safe)) {
            SafeBagStackPtr bags(PKCS12_unpack_p7data(safe));
            checkBagIterations(bags.get(), limit);
        }
    }
    ERR_clear_error();
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
    // Real files use 1 to a few hundred thousand iterations.
    checkMacIterations(p12.get(), kMaxIterations);
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
    checkSafeIterations(p12.get(), password, kMaxIterations);
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
