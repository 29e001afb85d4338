#include "Receipt.h"

#include "Cms.h"
#include "Error.h"

namespace cplink::crypto {
namespace {

void freeBorrowedStack(STACK_OF(X509) * s) noexcept {
    sk_X509_free(s);
} // CMS_get0_signers: borrowed certs
using BorrowedX509StackPtr = Handle<STACK_OF(X509), freeBorrowedStack>;

ReceiptCheck refused(std::string detail) {
    takeOpenSslErrors();
    return ReceiptCheck{false, {}, std::move(detail)};
}

} // namespace

std::string makeReceipt(std::string_view originalSignedData, const Identity& self) {
    CmsPtr original = cmsFromDer(originalSignedData);
    if (!original || OBJ_obj2nid(CMS_get0_type(original.get())) != NID_pkcs7_signed)
        fail(ErrorCode::Malformed, "not a SignedData");
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(original.get());
    if (sk_CMS_SignerInfo_num(signers) != 1)
        fail(ErrorCode::Malformed, "expected exactly one signer");
    CmsPtr receipt(CMS_sign_receipt(sk_CMS_SignerInfo_value(signers, 0), self.certificate().get(), self.key(),
                                    nullptr, CMS_BINARY));
    if (!receipt)
        fail("CMS_sign_receipt (is a receipt requested?)");
    return cmsToDer(receipt.get());
}

ReceiptCheck verifyReceipt(std::string_view receipt, std::string_view originalSignedData,
                           std::string_view expectedOffice, const TrustStore& trust, const Clock& clock,
                           const OfficeNumberPolicy& policy) {
    CmsPtr received = cmsFromDer(receipt);
    CmsPtr original = cmsFromDer(originalSignedData);
    if (!received || !original)
        return refused("not a CMS structure");
    // Signature over the receipt and its binding (content identifier, digest, signature value) to our
    // signed message; the signer's certificate by our own policy below.
    if (CMS_verify_receipt(received.get(), original.get(), nullptr, nullptr, CMS_NO_SIGNER_CERT_VERIFY) != 1)
        return refused("receipt does not verify against the original message: " + takeOpenSslErrors());
    BorrowedX509StackPtr signers(CMS_get0_signers(received.get()));
    if (!signers || sk_X509_num(signers.get()) != 1)
        return refused("receipt signer certificate not included");
    const Certificate signer(shareX509(sk_X509_value(signers.get(), 0)));
    const TrustResult result = trust.verify(signer, clock);
    if (!result.ok())
        return refused(std::string("receipt signer: ") + toString(result.status) + " " + result.detail);
    const auto office = policy.officeNumber(signer);
    if (!office || *office != expectedOffice)
        return refused("receipt signed by " + office.value_or("an unknown office") + ", not " +
                       std::string(expectedOffice));
    return ReceiptCheck{true, *office, {}};
}

} // namespace cplink::crypto
