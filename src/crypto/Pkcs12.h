#pragma once

#include "Clock.h"
#include "Identity.h"
#include "Secret.h"

#include <string>
#include <string_view>

namespace cplink::crypto {

enum class ValidityCheck { Required, Skip };

// Reads a PKCS#12 file as offices receive them: current (AES-256 + PBKDF2 + SHA-256 MAC), Windows-style
// (3DES, SHA-1 MAC) and legacy (RC2-40 certificate bag), for which OpenSSL's legacy provider is loaded
// on first need. Errors are typed (ErrorCode) and worded for users:
//   NotPkcs12 "not a PKCS#12 file", WrongPassword "wrong password" (OpenSSL: "mac verify failure"),
//   NoKey, NoCertificate, KeyMismatch, and with ValidityCheck::Required Expired / NotYetValid at the
//   clock's time. `cert show` passes Skip to display an expired file.
Identity importPkcs12(std::string_view bytes, const Secret& password, const Clock& clock,
                      ValidityCheck validity = ValidityCheck::Required);
Identity loadPkcs12(const std::string& path, const Secret& password, const Clock& clock,
                    ValidityCheck validity = ValidityCheck::Required);

// Writes the identity as a current-format PKCS#12: AES-256-CBC with PBKDF2 for key and certificates,
// HMAC-SHA-256 MAC. friendlyName must be ASCII (Windows shows it in the certificate store).
std::string exportPkcs12(const Identity& identity, const Secret& password, const std::string& friendlyName);

// Whether the legacy provider has been loaded by this process (for tests and diagnostics).
bool legacyProviderLoaded();

} // namespace cplink::crypto
