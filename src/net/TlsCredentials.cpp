#include "net/TlsCredentials.h"

#include "crypto/Error.h"
#include "net/RelayError.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace cplink::net {

namespace {

// With CRLs loaded, a listed certificate must fail, but a CRL that is missing (another anchor's) or
// stale must not cut the office off: the fresh CRL is fetched from the relay over this very
// connection. Same rule as crypto::TrustStore without requireCrl. The error is cleared, since libcurl
// checks SSL_get_verify_result after the handshake as well.
int tolerateUnavailableCrl(int ok, X509_STORE_CTX* context) {
    if (ok == 1)
        return ok;
    switch (X509_STORE_CTX_get_error(context)) {
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
        X509_STORE_CTX_set_error(context, X509_V_OK);
        return 1;
    default:
        return 0;
    }
}

} // namespace

TlsCredentials::TlsCredentials(const crypto::Identity& identity, std::vector<crypto::Certificate> anchors,
                               std::vector<crypto::Crl> crls)
    : m_certificate(identity.certificate()), m_key(crypto::shareKey(identity.key())),
      m_chain(identity.chain()), m_anchors(std::move(anchors)), m_crls(std::move(crls)) {
    if (m_anchors.empty())
        failSetup("no trust anchors configured");
}

CURLcode TlsCredentials::configureContext(CURL* /*curl*/, void* sslContext, void* self) {
    auto* credentials = static_cast<TlsCredentials*>(self);
    try {
        credentials->install(static_cast<SSL_CTX*>(sslContext));
        credentials->m_setupError.clear();
        return CURLE_OK;
    } catch (const std::exception& e) {
        credentials->m_setupError = e.what();
        return CURLE_SSL_CERTPROBLEM;
    }
}

void TlsCredentials::install(SSL_CTX* context) const {
    using crypto::check;
    check(SSL_CTX_use_certificate(context, m_certificate.get()), "SSL_CTX_use_certificate");
    check(SSL_CTX_use_PrivateKey(context, m_key.get()), "SSL_CTX_use_PrivateKey");
    for (const crypto::Certificate& certificate : m_chain)
        check(static_cast<int>(SSL_CTX_add1_chain_cert(context, certificate.get())),
              "SSL_CTX_add1_chain_cert");
    check(SSL_CTX_check_private_key(context), "SSL_CTX_check_private_key");
    // Replaces whatever store libcurl prepared, so only the network's anchors count.
    SSL_CTX_set_cert_store(context, makeStore().release());
}

crypto::X509StorePtr TlsCredentials::makeStore() const {
    using crypto::check;
    crypto::X509StorePtr store(check(X509_STORE_new(), "X509_STORE_new"));
    for (const crypto::Certificate& anchor : m_anchors)
        check(X509_STORE_add_cert(store.get(), anchor.get()), "X509_STORE_add_cert");
    // A network may pin an intermediate as its anchor (as crypto::TrustStore allows).
    unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
    if (!m_crls.empty()) {
        for (const crypto::Crl& crl : m_crls)
            check(X509_STORE_add_crl(store.get(), crl.get()), "X509_STORE_add_crl");
        flags |= X509_V_FLAG_CRL_CHECK;
        X509_STORE_set_verify_cb(store.get(), tolerateUnavailableCrl);
    }
    check(X509_STORE_set_flags(store.get(), flags), "X509_STORE_set_flags");
    return store;
}

} // namespace cplink::net
