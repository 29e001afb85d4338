#include "RealTimePki.h"

#include "crypto/CertificateBuilder.h"
#include "crypto/Error.h"
#include "crypto/Keys.h"

#include <chrono>
#include <fstream>
#include <stdexcept>

namespace cplink::test {

namespace {

using namespace std::chrono_literals;
constexpr auto kDay = std::chrono::hours(24);

crypto::TimePoint realNow() {
    return std::chrono::system_clock::now();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

RealTimePki::RealTimePki(const std::string& caName) : m_clock(realNow() - 2 * 365 * kDay) {
    m_ca = std::make_unique<crypto::TestCa>(
        crypto::TestCa::create(path("ca"), caName, crypto::KeySpec::ec(), m_clock, 10 * 365));
    // Everything else starts an hour ago: no "not yet valid" if the test machine's clocks disagree a little.
    m_clock.set(realNow() - 1h);
}

std::string RealTimePki::caFile() const {
    return m_ca->directory() + "/ca.pem";
}

crypto::Identity RealTimePki::office(const std::string& number, const std::string& name) {
    m_clock.set(realNow() - 1h);
    return m_ca->issueOffice({number, name, crypto::KeySpec::ec(), 365});
}

crypto::Identity RealTimePki::expiredOffice(const std::string& number) {
    m_clock.set(realNow() - 365 * kDay);
    crypto::Identity identity = m_ca->issueOffice({number, "Expired Office", crypto::KeySpec::ec(), 30});
    m_clock.set(realNow() - 1h);
    return identity;
}

crypto::Identity RealTimePki::server(const std::string& host, const std::vector<std::string>& ips) {
    m_clock.set(realNow() - 1h);
    return m_ca->issueServer({host, ips, crypto::KeySpec::ec(), 30});
}

crypto::Crl RealTimePki::crlRevoking(const std::vector<crypto::Certificate>& revoked, int days) {
    using crypto::check;
    const crypto::EvpPkeyPtr caKey =
        crypto::readPrivateKeyPem(readFile(m_ca->directory() + "/ca-key.pem"), crypto::Secret());
    const crypto::TimePoint now = realNow() - 1h;
    crypto::X509CrlPtr crl(check(X509_CRL_new(), "X509_CRL_new"));
    check(X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2), "X509_CRL_set_version");
    check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(caCertificate().get())),
          "X509_CRL_set_issuer_name");
    const crypto::Asn1TimePtr lastUpdate = crypto::toAsn1Time(now);
    const crypto::Asn1TimePtr nextUpdate = crypto::toAsn1Time(now + days * kDay);
    check(X509_CRL_set1_lastUpdate(crl.get(), lastUpdate.get()), "X509_CRL_set1_lastUpdate");
    check(X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()), "X509_CRL_set1_nextUpdate");
    for (const crypto::Certificate& certificate : revoked) {
        crypto::X509RevokedPtr entry(check(X509_REVOKED_new(), "X509_REVOKED_new"));
        check(X509_REVOKED_set_serialNumber(entry.get(), X509_get_serialNumber(certificate.get())),
              "X509_REVOKED_set_serialNumber");
        check(X509_REVOKED_set_revocationDate(entry.get(), lastUpdate.get()),
              "X509_REVOKED_set_revocationDate");
        check(X509_CRL_add0_revoked(crl.get(), entry.release()), "X509_CRL_add0_revoked");
    }
    check(X509_CRL_sort(crl.get()), "X509_CRL_sort");
    if (X509_CRL_sign(crl.get(), caKey.get(), EVP_sha256()) <= 0)
        crypto::fail("X509_CRL_sign");
    return crypto::Crl(std::move(crl));
}

crypto::Crl RealTimePki::staleCrl() {
    m_clock.set(realNow() - 30 * kDay);
    crypto::Crl crl = m_ca->makeCrl(7);
    m_clock.set(realNow() - 1h);
    return crl;
}

ServerFiles writeServerFiles(const TempDir& dir, const std::string& name, const crypto::Identity& server) {
    std::string chain = server.certificate().toPem();
    for (const crypto::Certificate& certificate : server.chain())
        chain += certificate.toPem();
    return ServerFiles{dir.write(name + ".pem", chain),
                       dir.write(name + "-key.pem", crypto::plainPrivateKeyPem(server.key()))};
}

} // namespace cplink::test
