#pragma once

#include "Certificate.h"
#include "Handles.h"
#include "Secret.h"

#include <string>
#include <string_view>
#include <vector>

namespace cplink::crypto {

// An office's (or the relay's) own identity: its certificate, the matching private key and the chain
// up to (not necessarily including) the trust anchor. The constructor refuses a key that does not
// belong to the certificate. Move-only: the private key has one owner.
class Identity {
public:
    Identity(Certificate certificate, EvpPkeyPtr key, std::vector<Certificate> chain = {});
    Identity(Identity&&) noexcept = default;
    Identity& operator=(Identity&&) noexcept = default;
    Identity(const Identity&) = delete;
    Identity& operator=(const Identity&) = delete;

    const Certificate& certificate() const { return m_certificate; }
    EVP_PKEY* key() const { return m_key.get(); }
    const std::vector<Certificate>& chain() const { return m_chain; }

private:
    Certificate m_certificate;
    EvpPkeyPtr m_key;
    std::vector<Certificate> m_chain;
};

// Throws CryptoError(Expired / NotYetValid) unless the certificate is valid at the clock's time.
void requireValidNow(const Certificate& certificate, const Clock& clock);

// Identities at rest: one PEM file, the private key as an encrypted PKCS#8 block (see
// encryptPrivateKeyPem: AES-256-CBC, scrypt) followed by the certificate and its chain. Written
// atomically with mode 0600; opens with `openssl pkey` / `openssl x509` too.
std::string identityToPem(const Identity& identity, const Secret& passphrase);
Identity identityFromPem(std::string_view pem, const Secret& passphrase);
void storeIdentity(const Identity& identity, const std::string& path, const Secret& passphrase);
Identity loadStoredIdentity(const std::string& path, const Secret& passphrase);

} // namespace cplink::crypto
