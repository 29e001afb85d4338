#pragma once

#include "Clock.h"
#include "Handles.h"

#include <string>
#include <string_view>

namespace cplink::crypto {

// A certificate revocation list, read-only; copies share the X509_CRL.
class Crl {
public:
    explicit Crl(X509CrlPtr crl);
    Crl(const Crl& other) = default;
    Crl& operator=(const Crl& other) = default;
    Crl(Crl&&) noexcept = default;
    Crl& operator=(Crl&&) noexcept = default;
    ~Crl() = default;

    // PEM ("X509 CRL") or DER.
    static Crl parse(std::string_view bytes);
    static Crl load(const std::string& path);

    X509_CRL* get() const { return m_crl.get(); }
    std::string issuer() const;
    TimePoint lastUpdate() const;
    TimePoint nextUpdate() const; // a CRL without nextUpdate never goes stale: lastUpdate is returned
    int revokedCount() const;
    bool isRevoked(const std::string& serialHex) const;
    std::string toPem() const;

private:
    SharedHandle<X509_CRL, X509_CRL_up_ref, X509_CRL_free> m_crl;
};

} // namespace cplink::crypto
