#pragma once

#include "crypto/Certificate.h"
#include "crypto/Crl.h"
#include "crypto/Handles.h"
#include "crypto/Identity.h"

#include <curl/curl.h>
#include <string>
#include <vector>

namespace cplink::net {

// What our side brings to every TLS handshake with the relay: the office identity (certificate,
// private key, chain) and the network's trust anchors and CRLs for checking the relay's certificate.
//
// Everything goes into libcurl's SSL_CTX directly (CURLOPT_SSL_CTX_FUNCTION), from memory: the
// private key never touches the disk (no PEM file for CURLOPT_SSLKEY), and the relay is verified
// against the network's anchors only, never the system CA bundle.
class TlsCredentials {
public:
    // Takes its own references to the identity's certificate, key and chain; the Identity itself
    // may go away afterwards. Throws RelayError(Internal) without anchors.
    TlsCredentials(const crypto::Identity& identity, std::vector<crypto::Certificate> anchors,
                   std::vector<crypto::Crl> crls);

    const crypto::Certificate& certificate() const { return m_certificate; }

    // For CURLOPT_SSL_CTX_FUNCTION with this object as CURLOPT_SSL_CTX_DATA. Called by libcurl for
    // each new connection; must not throw (it is called from C).
    static CURLcode configureContext(CURL* curl, void* sslContext, void* self);

    // Why the last configureContext failed ("" if it did not), for the error report.
    const std::string& setupError() const { return m_setupError; }

private:
    void install(SSL_CTX* context) const;
    crypto::X509StorePtr makeStore() const;

    crypto::Certificate m_certificate;
    crypto::EvpPkeyPtr m_key;
    std::vector<crypto::Certificate> m_chain;
    std::vector<crypto::Certificate> m_anchors;
    std::vector<crypto::Crl> m_crls;
    std::string m_setupError;
};

} // namespace cplink::net
