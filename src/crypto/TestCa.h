#pragma once

#include "Certificate.h"
#include "Clock.h"
#include "Crl.h"
#include "Identity.h"
#include "Keys.h"

#include <optional>
#include <string>
#include <vector>

namespace cplink::crypto {

// A small certificate authority for test networks, demos and private networks (`cplink ca`). Real
// networks use the national issuer. Everything lives in one directory (mode 0700, files 0600):
//   ca.pem        the CA certificate (distribute it as the network's trust anchor)
//   ca-key.pem    the CA's private key, unencrypted PKCS#8 PEM (protected by the directory mode only)
//   index.tsv     every certificate issued: status, serial, kind, office/host, notAfter, revocation, subject
//   crlnumber     the next CRL number
//   certs/SERIAL.pem  a copy of every certificate issued
// All times come from the clock given to create/open, so tests can issue certificates that are already
// expired or not yet valid. Not for concurrent use by several processes (no file locking).
struct OfficeCertificateRequest {
    std::string officeNumber; // ten digits, goes to subject serialNumber
    std::string name;         // office name, goes to O and CN
    KeySpec key = KeySpec::ec();
    int days = 3 * 365; // like the national certificates
};

struct ServerCertificateRequest {
    std::string host;             // DNS name, CN and subjectAltName
    std::vector<std::string> ips; // extra subjectAltName IP addresses
    KeySpec key = KeySpec::ec();
    int days = 825;
};

enum class IssuedKind { Office, Server };

struct IssuedCertificate {
    bool revoked = false;
    std::string serialHex;
    IssuedKind kind = IssuedKind::Office;
    std::string holder; // office number or host name
    TimePoint notAfter;
    std::optional<TimePoint> revokedAt;
    std::string subject;
};

class TestCa {
public:
    // Creates the directory and a self-signed CA (keyCertSign, cRLSign). Refuses a directory that
    // already holds a CA. Throws CryptoError.
    static TestCa create(const std::string& directory, const std::string& name, const KeySpec& key,
                         const Clock& clock, int days = 10 * 365);
    static TestCa open(const std::string& directory, const Clock& clock);

    TestCa(TestCa&&) noexcept = default;
    TestCa& operator=(TestCa&&) noexcept = delete;

    const Certificate& certificate() const { return m_certificate; }
    const std::string& directory() const { return m_directory; }

    // Office certificate per DESIGN.md §3: subject serialNumber=office, O=CN=name; keyUsage
    // digitalSignature + keyEncipherment (RSA) or keyAgreement (EC); EKU clientAuth + emailProtection;
    // SKI/AKI; random serial. The identity's chain holds the CA certificate.
    Identity issueOffice(const OfficeCertificateRequest& request);
    // Relay server certificate: CN=host, SAN DNS:host (+ IP:…), EKU serverAuth.
    Identity issueServer(const ServerCertificateRequest& request);

    // Marks every unrevoked certificate of the office revoked (at the clock's time); returns how many.
    int revokeOffice(const std::string& officeNumber);
    // A CRL of all revoked certificates, valid from now for `days` (CRL number increases each call).
    Crl makeCrl(int days = 30);

    std::vector<IssuedCertificate> issued() const;

private:
    TestCa(std::string directory, Certificate certificate, EvpPkeyPtr key, const Clock& clock);
    Identity issue(const std::vector<std::pair<int, std::string>>& subject, const KeySpec& keySpec, int days,
                   std::vector<std::pair<int, std::string>> extensions, IssuedKind kind,
                   const std::string& holder);
    std::string path(const char* name) const;
    void writeIndex(const std::vector<IssuedCertificate>& entries) const;

    std::string m_directory;
    Certificate m_certificate;
    EvpPkeyPtr m_key;
    const Clock* m_clock;
};

} // namespace cplink::crypto
