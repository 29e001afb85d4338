#pragma once

#include "Clock.h"
#include "Handles.h"
#include "Keys.h"

#include <string>
#include <string_view>
#include <vector>

namespace cplink::crypto {

// An X.509 certificate, read-only. Copies share the underlying X509 (reference counted by OpenSSL),
// so certificates can be passed around and kept in lists freely.
class Certificate {
public:
    explicit Certificate(X509Ptr x509);
    Certificate(const Certificate& other) = default;
    Certificate& operator=(const Certificate& other) = default;
    Certificate(Certificate&&) noexcept = default;
    Certificate& operator=(Certificate&&) noexcept = default;
    ~Certificate() = default;

    // PEM ("CERTIFICATE" block; the first one if there are several) or DER, told apart by content.
    static Certificate parse(std::string_view bytes);
    static Certificate fromPem(std::string_view pem);
    static Certificate fromDer(std::string_view der);
    // Every CERTIFICATE block of a PEM bundle, in file order (other blocks, e.g. keys, are skipped).
    static std::vector<Certificate> allFromPem(std::string_view pem);
    static Certificate load(const std::string& path);

    X509* get() const { return m_x509.get(); }

    // RFC 2253 order and escaping, UTF-8 kept as is: "CN=…,O=…,serialNumber=0123456789".
    std::string subject() const;
    std::string issuer() const;
    // UTF-8 values of one subject attribute (NID_commonName, NID_serialNumber, …), in order.
    std::vector<std::string> subjectValues(int nid) const;
    // Upper-case hex without separators, as `openssl x509 -serial` prints it.
    std::string serialHex() const;
    TimePoint notBefore() const;
    TimePoint notAfter() const;
    bool isValidAt(TimePoint t) const { return t >= notBefore() && t <= notAfter(); }
    // Whole days until notAfter (rounded down); negative once expired.
    long daysLeft(const Clock& clock) const;
    // SHA-256 of the DER, upper-case hex pairs joined by ':' (the form `openssl x509 -fingerprint` uses).
    std::string sha256Fingerprint() const;
    KeyInfo keyInfo() const;
    EvpPkeyPtr publicKey() const;
    bool isCa() const;

    std::string toPem() const;
    std::string toDer() const;

    // Same certificate (same DER encoding).
    bool operator==(const Certificate& other) const;

private:
    SharedHandle<X509, X509_up_ref, X509_free> m_x509;
};

// The subject of a name in the form subject() uses.
std::string nameToString(const X509_NAME* name);
// Seconds since the epoch of an ASN.1 time, as a TimePoint.
TimePoint asn1TimeToTimePoint(const ASN1_TIME* time);

} // namespace cplink::crypto
