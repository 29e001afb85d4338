#include "CertificateResolver.h"

#include <algorithm>

namespace cplink::crypto {

CertificateResolver::CertificateResolver(const TrustStore& trust, OfficeNumberPolicy policy,
                                         const Clock& clock)
    : m_trust(&trust), m_policy(std::move(policy)), m_clock(&clock) {
}

void CertificateResolver::add(const Certificate& certificate) {
    if (std::find(m_candidates.begin(), m_candidates.end(), certificate) == m_candidates.end())
        m_candidates.push_back(certificate);
}

std::vector<Certificate> CertificateResolver::validFor(std::string_view officeNumber) const {
    std::vector<Certificate> valid;
    for (const auto& c : m_candidates) {
        if (m_policy.officeNumber(c) == officeNumber && m_trust->verify(c, *m_clock).ok())
            valid.push_back(c);
    }
    std::stable_sort(valid.begin(), valid.end(), [](const Certificate& a, const Certificate& b) {
        if (a.notBefore() != b.notBefore())
            return a.notBefore() > b.notBefore();
        return a.notAfter() > b.notAfter();
    });
    return valid;
}

std::optional<Certificate> CertificateResolver::forEncryption(std::string_view officeNumber) const {
    auto valid = validFor(officeNumber);
    if (valid.empty())
        return std::nullopt;
    return std::move(valid.front());
}

TrustResult CertificateResolver::checkFor(const Certificate& certificate, std::string_view officeNumber,
                                          const std::vector<Certificate>& untrusted) const {
    TrustResult result = m_trust->verify(certificate, *m_clock, untrusted);
    if (!result.ok())
        return result;
    const auto found = m_policy.officeNumber(certificate);
    if (found != officeNumber) {
        result.status = TrustStatus::WrongOffice;
        result.detail = "certificate of office " + found.value_or("(none)") + ", expected " +
                        std::string(officeNumber) + " (" + certificate.subject() + ")";
    }
    return result;
}

} // namespace cplink::crypto
