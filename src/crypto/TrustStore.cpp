#include "TrustStore.h"

#include "Error.h"
#include "Files.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

namespace cplink::crypto {

namespace {

// X509_STORE_CTX ex-data slot 0 is the application's ("app data"); it points at this.
struct VerifyOptions {
    bool requireCrl = false;
};

bool isCrlAvailabilityError(int error) {
    return error == X509_V_ERR_UNABLE_TO_GET_CRL || error == X509_V_ERR_CRL_HAS_EXPIRED ||
           error == X509_V_ERR_CRL_NOT_YET_VALID;
}

// Lets a missing or stale CRL pass when CRLs are optional; every other error stops verification.
int verifyCallback(int ok, X509_STORE_CTX* ctx) {
    if (ok == 1)
        return 1;
    const auto* options = static_cast<const VerifyOptions*>(X509_STORE_CTX_get_ex_data(ctx, 0));
    if (options != nullptr && !options->requireCrl && isCrlAvailabilityError(X509_STORE_CTX_get_error(ctx)))
        return 1;
    return 0;
}

TrustStatus classify(int error) {
    switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return TrustStatus::Expired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return TrustStatus::NotYetValid;
    case X509_V_ERR_CERT_REVOKED:
        return TrustStatus::Revoked;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
        return TrustStatus::CrlMissing;
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
        return TrustStatus::CrlExpired;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
        return TrustStatus::BadSignature;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
        return TrustStatus::Untrusted;
    default:
        return TrustStatus::Invalid;
    }
}

X509StackPtr toStack(const std::vector<Certificate>& a, const std::vector<Certificate>& b) {
    X509StackPtr stack(check(sk_X509_new_null(), "out of memory"));
    for (const auto* list : {&a, &b}) {
        for (const auto& c : *list) {
            X509Ptr shared = shareX509(c.get());
            if (sk_X509_push(stack.get(), shared.get()) <= 0)
                fail("out of memory");
            shared.release();
        }
    }
    return stack;
}

} // namespace

const char* toString(TrustStatus status) {
    switch (status) {
    case TrustStatus::Ok:
        return "ok";
    case TrustStatus::Untrusted:
        return "untrusted";
    case TrustStatus::Expired:
        return "expired";
    case TrustStatus::NotYetValid:
        return "not-yet-valid";
    case TrustStatus::Revoked:
        return "revoked";
    case TrustStatus::CrlMissing:
        return "crl-missing";
    case TrustStatus::CrlExpired:
        return "crl-expired";
    case TrustStatus::BadSignature:
        return "bad-signature";
    case TrustStatus::UnsupportedKey:
        return "unsupported-key";
    case TrustStatus::WrongOffice:
        return "wrong-office";
    case TrustStatus::Invalid:
        return "invalid";
    }
    return "invalid";
}

TrustStore TrustStore::fromFiles(const std::vector<std::string>& anchorFiles,
                                 const std::vector<std::string>& crlFiles, bool requireCrl) {
    TrustStore store;
    for (const auto& path : anchorFiles) {
        const std::string bytes = readFile(path);
        if (bytes.find("-----BEGIN ") != std::string::npos) {
            const auto certificates = Certificate::allFromPem(bytes);
            if (certificates.empty())
                throw CryptoError(ErrorCode::Malformed, path + ": no certificate in the file");
            for (const auto& c : certificates)
                store.addAnchor(c);
        } else {
            store.addAnchor(Certificate::fromDer(bytes));
        }
    }
    for (const auto& path : crlFiles)
        store.addCrl(Crl::load(path));
    store.setRequireCrl(requireCrl);
    return store;
}

TrustResult TrustStore::verify(const Certificate& certificate, const Clock& clock,
                               const std::vector<Certificate>& untrusted) const {
    const KeyInfo key = certificate.keyInfo();
    if (!key.supported)
        return {TrustStatus::UnsupportedKey, 0, "unsupported key type: " + key.description};

    X509StorePtr store(check(X509_STORE_new(), "out of memory"));
    for (const auto& anchor : m_anchors)
        check(X509_STORE_add_cert(store.get(), anchor.get()), "cannot add a trust anchor");
    for (const auto& crl : m_crls)
        check(X509_STORE_add_crl(store.get(), crl.get()), "cannot add a CRL");

    X509StackPtr chain = toStack(m_intermediates, untrusted);
    X509StoreCtxPtr ctx(check(X509_STORE_CTX_new(), "out of memory"));
    check(X509_STORE_CTX_init(ctx.get(), store.get(), certificate.get(), chain.get()),
          "cannot start chain verification");

    VerifyOptions options{m_requireCrl};
    X509_STORE_CTX_set_ex_data(ctx.get(), 0, &options);
    X509_STORE_CTX_set_verify_cb(ctx.get(), verifyCallback);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
    if (m_requireCrl || !m_crls.empty())
        flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
    X509_VERIFY_PARAM_set_flags(param, flags);
    // The injected clock, not the system time, decides validity of certificates and CRLs.
    X509_VERIFY_PARAM_set_time(param, toTimeT(clock.now()));

    const int rc = X509_verify_cert(ctx.get());
    if (rc == 1) {
        ERR_clear_error();
        return {};
    }
    const int error = X509_STORE_CTX_get_error(ctx.get());
    TrustResult result;
    result.status = classify(error);
    result.depth = X509_STORE_CTX_get_error_depth(ctx.get());
    result.detail = X509_verify_cert_error_string(error);
    if (X509* at = X509_STORE_CTX_get_current_cert(ctx.get()))
        result.detail += " (" + nameToString(X509_get_subject_name(at)) + ")";
    ERR_clear_error();
    return result;
}

void TrustStore::replaceCrl(const Crl& crl) {
    std::erase_if(m_crls, [&](const Crl& known) { return known.issuer() == crl.issuer(); });
    m_crls.push_back(crl);
}

} // namespace cplink::crypto
