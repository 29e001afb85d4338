#pragma once

#include "Clock.h"
#include "Identity.h"
#include "OfficeNumberPolicy.h"
#include "TrustStore.h"

#include <string>
#include <string_view>

namespace cplink::crypto {

// RFC 2634 signed receipts, bound to the original signature: the recipient makes one after it has
// stored the file durably; the sender checks it against the SignedData it sent.

// DER of a receipt for the SignedData `originalSignedData` (OpenedMessage::signedData), signed by us.
std::string makeReceipt(std::string_view originalSignedData, const Identity& self);

struct ReceiptCheck {
    bool ok = false;
    std::string signerOffice; // the office that signed the receipt (when ok)
    std::string detail;       // why not (when not ok)
};

// Verifies the receipt's signature and binding to our original SignedData, the signer's chain (with
// CRLs, at the clock's time), and that the signer is the office we sent to.
ReceiptCheck verifyReceipt(std::string_view receipt, std::string_view originalSignedData,
                           std::string_view expectedOffice, const TrustStore& trust, const Clock& clock,
                           const OfficeNumberPolicy& policy);

} // namespace cplink::crypto
