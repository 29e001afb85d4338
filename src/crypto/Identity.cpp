#include "Identity.h"

#include "Error.h"
#include "Files.h"
#include "Keys.h"

#include <openssl/err.h>

namespace cplink::crypto {

Identity::Identity(Certificate certificate, EvpPkeyPtr key, std::vector<Certificate> chain)
    : m_certificate(std::move(certificate)), m_key(std::move(key)), m_chain(std::move(chain)) {
    if (!m_key)
        throw CryptoError(ErrorCode::NoKey, "no private key for certificate " + m_certificate.subject());
    if (X509_check_private_key(m_certificate.get(), m_key.get()) != 1) {
        ERR_clear_error();
        throw CryptoError(ErrorCode::KeyMismatch,
                          "the private key does not belong to certificate " + m_certificate.subject());
    }
}

void requireValidNow(const Certificate& certificate, const Clock& clock) {
    const TimePoint now = clock.now();
    if (now < certificate.notBefore())
        throw CryptoError(ErrorCode::NotYetValid, "certificate " + certificate.subject() +
                                                      " is not yet valid (valid from " +
                                                      formatUtc(certificate.notBefore()) + ")");
    if (now > certificate.notAfter())
        throw CryptoError(ErrorCode::Expired, "certificate " + certificate.subject() + " has expired (" +
                                                  formatUtc(certificate.notAfter()) + ")");
}

std::string identityToPem(const Identity& identity, const Secret& passphrase) {
    std::string pem = encryptPrivateKeyPem(identity.key(), passphrase);
    pem += identity.certificate().toPem();
    for (const auto& c : identity.chain())
        pem += c.toPem();
    return pem;
}

Identity identityFromPem(std::string_view pem, const Secret& passphrase) {
    EvpPkeyPtr key = readPrivateKeyPem(pem, passphrase);
    auto certificates = Certificate::allFromPem(pem);
    if (certificates.empty())
        throw CryptoError(ErrorCode::NoCertificate, "the identity file holds a key but no certificate");
    Certificate leaf = certificates.front();
    certificates.erase(certificates.begin());
    return Identity(std::move(leaf), std::move(key), std::move(certificates));
}

void storeIdentity(const Identity& identity, const std::string& path, const Secret& passphrase) {
    writeFileAtomic(path, identityToPem(identity, passphrase), 0600);
}

Identity loadStoredIdentity(const std::string& path, const Secret& passphrase) {
    return identityFromPem(readFile(path), passphrase);
}

} // namespace cplink::crypto
