#pragma once

#include "Certificate.h"
#include "Clock.h"
#include "OfficeNumberPolicy.h"
#include "TrustStore.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::crypto {

// The one answer to "which certificates of office X may be used now", for sending, receiving and the
// relay alike. Candidates come from wherever certificates are learnt (the relay directory, the local
// store, a partner's file); a candidate counts for an office if it verifies against the trust store at
// the clock's time and the network's policy reads that office number from it.
// During a rotation several are valid at once: encrypt to the newest (latest notBefore), accept any for
// verifying and decrypting. The trust store and clock are referenced, not copied: they must outlive this.
class CertificateResolver {
public:
    CertificateResolver(const TrustStore& trust, OfficeNumberPolicy policy, const Clock& clock);

    // Adds a candidate; the same certificate twice is kept once.
    void add(const Certificate& certificate);
    const std::vector<Certificate>& candidates() const { return m_candidates; }

    // Valid certificates of the office, newest first (notBefore, then notAfter, both descending).
    std::vector<Certificate> validFor(std::string_view officeNumber) const;
    // The certificate to encrypt to: the newest valid one.
    std::optional<Certificate> forEncryption(std::string_view officeNumber) const;
    // Whether a presented certificate (a signer's, a TLS peer's) is a valid one of the office; it need
    // not be among the candidates. WrongOffice if it verifies but names another office (or none).
    TrustResult checkFor(const Certificate& certificate, std::string_view officeNumber,
                         const std::vector<Certificate>& untrusted = {}) const;

private:
    const TrustStore* m_trust;
    OfficeNumberPolicy m_policy;
    const Clock* m_clock;
    std::vector<Certificate> m_candidates;
};

} // namespace cplink::crypto
