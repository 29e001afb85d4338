#pragma once

#include "crypto/Certificate.h"

#include <stdexcept>
#include <string>

namespace cplink::exchange {

struct EngineContext;

// Why a file cannot be sealed for its recipient; worded for the care manager.
class RecipientError : public std::runtime_error {
public:
    enum class Reason { Unknown, NoValidCertificate, Unreachable };
    RecipientError(Reason reason, const std::string& what) : std::runtime_error(what), m_reason(reason) {}
    Reason reason() const { return m_reason; }

private:
    Reason m_reason;
};

// The certificate to encrypt a message to (DESIGN.md §3): the newest valid certificate of the office,
// from the relay's directory, verified against our trust anchors and CRL (CertificateResolver), and
// cached in the store's partners. A cache younger than a day is used as it is; when the relay cannot be
// reached, an older cache is used if its certificate is still valid — revocation is checked against our
// CRL every time, whatever the source.
crypto::Certificate recipientCertificate(EngineContext& context, const std::string& sender,
                                         const std::string& recipient);

} // namespace cplink::exchange
