#include "TlsContext.h"

#include "Log.h"
#include "crypto/Error.h"

#include <algorithm>
#include <cctype>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace cplink::relay {

namespace ssl = boost::asio::ssl;

namespace {

// Checked after OpenSSL has verified the chain (and CRL) of the client's certificate: an office
// certificate of this network must name exactly one office and pass our key policy.
class ClientCertificatePolicy {
public:
    ClientCertificatePolicy(crypto::TrustStore trust, crypto::OfficeNumberPolicy policy)
        : m_trust(std::move(trust)), m_policy(std::move(policy)) {}

    bool operator()(bool preverified, ssl::verify_context& context) const {
        X509_STORE_CTX* store = context.native_handle();
        if (!preverified) {
            const int error = X509_STORE_CTX_get_error(store);
            log::warning("client_certificate_refused", {{"reason", X509_verify_cert_error_string(error)},
                                                        {"depth", X509_STORE_CTX_get_error_depth(store)}});
            return false;
        }
        if (X509_STORE_CTX_get_error_depth(store) != 0)
            return true;
        X509* leaf = X509_STORE_CTX_get_current_cert(store);
        if (!leaf || X509_up_ref(leaf) != 1)
            return false;
        const crypto::Certificate certificate{crypto::X509Ptr(leaf)};
        if (!m_policy.officeNumber(certificate)) {
            X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
            log::warning("client_certificate_refused",
                         {{"reason", "no office number"}, {"subject", certificate.subject()}});
            return false;
        }
        const crypto::TrustResult result = m_trust.verify(certificate, m_clock);
        if (!result.ok()) {
            X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
            log::warning("client_certificate_refused",
                         {{"reason", crypto::toString(result.status)}, {"subject", certificate.subject()}});
            return false;
        }
        return true;
    }

private:
    crypto::TrustStore m_trust;
    crypto::OfficeNumberPolicy m_policy;
    crypto::SystemClock m_clock; // TLS decides on the real time, like OpenSSL's own checks above
};

void addOrThrow(int result, const char* what) {
    if (result != 1)
        crypto::fail(std::string("TLS setup: ") + what);
}

std::string lowerHex(std::string colonHex) {
    colonHex.erase(std::remove(colonHex.begin(), colonHex.end(), ':'), colonHex.end());
    std::transform(colonHex.begin(), colonHex.end(), colonHex.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return colonHex;
}

} // namespace

std::shared_ptr<ssl::context> makeServerTlsContext(const crypto::Identity& server,
                                                   const crypto::TrustStore& trust,
                                                   const crypto::OfficeNumberPolicy& policy) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    addOrThrow(static_cast<int>(SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION)),
               "minimum TLS version");
    context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                         ssl::context::single_dh_use);
    // Idle connections hold no read/write buffers: 10,000 of them must fit in a few hundred MB.
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);

    addOrThrow(SSL_CTX_use_certificate(native, server.certificate().get()), "server certificate");
    addOrThrow(SSL_CTX_use_PrivateKey(native, server.key()), "server key");
    for (const auto& link : server.chain()) {
        if (link == server.certificate())
            continue;
        X509_up_ref(link.get());
        if (SSL_CTX_add_extra_chain_cert(native, link.get()) != 1) {
            X509_free(link.get());
            crypto::fail("TLS setup: server chain");
        }
    }
    addOrThrow(SSL_CTX_check_private_key(native), "server key does not match its certificate");

    X509_STORE* store = SSL_CTX_get_cert_store(native);
    for (const auto& anchor : trust.anchors())
        addOrThrow(X509_STORE_add_cert(store, anchor.get()), "trust anchor");
    for (const auto& crl : trust.crls())
        addOrThrow(X509_STORE_add_crl(store, crl.get()), "CRL");
    if (!trust.crls().empty())
        X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    X509_STORE_set_purpose(store, X509_PURPOSE_SSL_CLIENT);
    // Ask only for certificates of our anchors' names (clients with several identities pick right).
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    for (const auto& anchor : trust.anchors())
        sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(anchor.get())));
    SSL_CTX_set_client_CA_list(native, names);

    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    context->set_verify_callback(ClientCertificatePolicy(trust, policy));
    return context;
}

std::optional<Caller> callerOf(SSL* ssl, const crypto::OfficeNumberPolicy& policy) {
    X509* peer = SSL_get1_peer_certificate(ssl);
    if (!peer)
        return std::nullopt;
    const crypto::Certificate certificate{crypto::X509Ptr(peer)};
    const auto office = policy.officeNumber(certificate);
    if (!office)
        return std::nullopt;
    Caller caller;
    caller.office = *office;
    const auto names = certificate.subjectValues(NID_organizationName);
    const auto common = certificate.subjectValues(NID_commonName);
    caller.name = !names.empty() ? names.front() : !common.empty() ? common.front() : std::string();
    caller.certificatePem = certificate.toPem();
    caller.fingerprint = lowerHex(certificate.sha256Fingerprint());
    caller.notAfter = static_cast<long long>(crypto::toTimeT(certificate.notAfter()));
    return caller;
}

} // namespace cplink::relay
