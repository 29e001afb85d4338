#pragma once

#include "TestSupport.h"
#include "crypto/Clock.h"
#include "crypto/Crl.h"
#include "crypto/Identity.h"
#include "crypto/TestCa.h"

#include <memory>
#include <string>
#include <vector>

namespace cplink::test {

// A CA and certificates for real TLS handshakes. TLS checks validity against the real time, so unlike
// test::Network (which stands at 2025-04-01) everything here is anchored to now: the CA's clock is a
// FixedClock set relative to the system time, which also lets it issue a certificate that has already
// expired (TestCa takes the validity start from its clock).
class RealTimePki {
public:
    explicit RealTimePki(const std::string& caName = "Net Test CA");

    const crypto::Certificate& caCertificate() const { return m_ca->certificate(); }
    std::string caFile() const; // the CA certificate as PEM, for the fake relay's --ca
    std::string path(const std::string& name) const { return m_dir.path() + "/" + name; }

    crypto::Identity office(const std::string& number, const std::string& name = "Office");
    // Valid for 30 days from a year ago: expired by the real clock now.
    crypto::Identity expiredOffice(const std::string& number);
    crypto::Identity server(const std::string& host = "localhost",
                            const std::vector<std::string>& ips = {"127.0.0.1"});

    // A CRL valid from now, revoking the given certificates (TestCa revokes office certificates only; the
    // relay's certificate needs this).
    crypto::Crl crlRevoking(const std::vector<crypto::Certificate>& revoked = {}, int days = 30);
    // A CRL that was issued and ran out in the past.
    crypto::Crl staleCrl();

private:
    TempDir m_dir;
    crypto::FixedClock m_clock;
    std::unique_ptr<crypto::TestCa> m_ca;
};

struct ServerFiles {
    std::string certificate; // the certificate and its chain, PEM
    std::string key;         // unencrypted PKCS#8 PEM: the fake relay's key, not an office key
};

// Writes a server identity where the Python fake relay can load it.
ServerFiles writeServerFiles(const TempDir& dir, const std::string& name, const crypto::Identity& server);

} // namespace cplink::test
