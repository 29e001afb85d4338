#pragma once

#include "Certificate.h"
#include "Clock.h"

#include <string>
#include <utility>
#include <vector>

namespace cplink::crypto {

// One X.509 v3 certificate to be signed: subject attributes (NID + UTF-8 value, in order), validity and
// extensions in OpenSSL's configuration syntax ("critical,CA:TRUE", "keyid:always", "DNS:relay,IP:…").
struct CertificateTemplate {
    std::vector<std::pair<int, std::string>> subject;
    TimePoint notBefore;
    TimePoint notAfter;
    std::vector<std::pair<int, std::string>> extensions;
};

// Builds a name from (NID, UTF-8 value) pairs; serialNumber becomes a PrintableString, names UTF8String.
X509NamePtr makeName(const std::vector<std::pair<int, std::string>>& entries);

// A fresh positive 127-bit random serial number (RFC 5280 allows up to 20 octets; unpredictable
// serials are what CAs are asked for since the MD5 collision attacks).
Asn1IntegerPtr randomSerial();

// Signs with SHA-256 (ECDSA or RSA PKCS#1 v1.5). With `issuer` null the certificate is self-signed by
// `subjectKey` (a CA root). Extensions are added in order, so put subjectKeyIdentifier before
// authorityKeyIdentifier (a self-signed AKI refers to its own SKI).
Certificate signCertificate(const CertificateTemplate& tmpl, EVP_PKEY* subjectKey, const ASN1_INTEGER* serial,
                            const Certificate* issuer, EVP_PKEY* issuerKey);

// The time as an ASN1_TIME (UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks).
Asn1TimePtr toAsn1Time(TimePoint t);

} // namespace cplink::crypto
