#pragma once

#include "Certificate.h"
#include "Clock.h"
#include "Crl.h"

#include <string>
#include <vector>

namespace cplink::crypto {

// Outcome of a chain check, typed so callers can say what to do (renew, fetch a new CRL, ask the
// partner for its current certificate) instead of passing OpenSSL's text along.
enum class TrustStatus {
    Ok,
    Untrusted,      // no chain to any trust anchor (other CA, self-signed, missing intermediate)
    Expired,        // a certificate of the chain is past notAfter at the clock's time
    NotYetValid,    // … or before notBefore
    Revoked,        // listed in a CRL of its issuer
    CrlMissing,     // CRLs are required and the issuer's CRL is not loaded
    CrlExpired,     // CRLs are required and the issuer's CRL is past nextUpdate (or not yet valid)
    BadSignature,   // a certificate or CRL signature does not verify
    UnsupportedKey, // our policy: only RSA 2048–4096 and EC P-256/P-384 (DESIGN.md §3)
    WrongOffice,    // CertificateResolver: valid, but not the office it was presented for
    Invalid,        // anything else OpenSSL rejects (bad extensions, path length, …)
};

struct TrustResult {
    TrustStatus status = TrustStatus::Ok;
    int depth = 0;      // 0 = the certificate itself, 1 = its issuer, …
    std::string detail; // OpenSSL's reason in words, plus the subject at fault
    bool ok() const { return status == TrustStatus::Ok; }
};

const char* toString(TrustStatus status);

// The trust anchors of a network (usually one CA; several during a CA change), optional intermediates
// and CRLs. verify() is our policy, independent of purpose: the chain, validity at the clock's time,
// signatures and revocation — not OpenSSL's S/MIME or TLS purposes, because real office certificates
// may lack emailProtection (STACK-NOTES "OpenSSL CMS" 3). Every configured anchor is trusted as an
// anchor even if it is not self-signed (partial chains), as a network may pin an intermediate.
class TrustStore {
public:
    void addAnchor(const Certificate& anchor) { m_anchors.push_back(anchor); }
    void addIntermediate(const Certificate& intermediate) { m_intermediates.push_back(intermediate); }
    void addCrl(const Crl& crl) { m_crls.push_back(crl); }
    // A newer CRL of an issuer replaces the ones loaded for that issuer.
    void replaceCrl(const Crl& crl);
    // With CRLs required every certificate of the chain must be covered by a current CRL of its issuer;
    // without, loaded CRLs are still applied but a missing or stale one is not an error.
    void setRequireCrl(bool require) { m_requireCrl = require; }
    bool requireCrl() const { return m_requireCrl; }

    const std::vector<Certificate>& anchors() const { return m_anchors; }
    const std::vector<Crl>& crls() const { return m_crls; }

    // Anchors from PEM bundles (every certificate in each file) or DER files, CRLs from PEM/DER files.
    static TrustStore fromFiles(const std::vector<std::string>& anchorFiles,
                                const std::vector<std::string>& crlFiles = {}, bool requireCrl = false);

    // `untrusted` are extra certificates that may complete the chain (e.g. sent along with a signature).
    TrustResult verify(const Certificate& certificate, const Clock& clock,
                       const std::vector<Certificate>& untrusted = {}) const;

private:
    std::vector<Certificate> m_anchors;
    std::vector<Certificate> m_intermediates;
    std::vector<Crl> m_crls;
    bool m_requireCrl = false;
};

} // namespace cplink::crypto
