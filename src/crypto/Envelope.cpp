#include "Envelope.h"

#include "Cms.h"
#include "Error.h"

#include <climits>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

namespace cplink::crypto {
namespace {

using GeneralNamePtr = Handle<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = Handle<GENERAL_NAMES, GENERAL_NAMES_free>;
using Asn1StringPtr = Handle<ASN1_STRING, ASN1_STRING_free>;

void freeGeneralNamesStack(STACK_OF(GENERAL_NAMES) * s) noexcept {
    sk_GENERAL_NAMES_pop_free(s, GENERAL_NAMES_free);
}
using GeneralNamesStackPtr = Handle<STACK_OF(GENERAL_NAMES), freeGeneralNamesStack>;
void freeSignerStack(STACK_OF(X509) * s) noexcept {
    sk_X509_free(s);
} // CMS_get0_signers: borrowed certs
using BorrowedX509StackPtr = Handle<STACK_OF(X509), freeSignerStack>;

constexpr int kFlags = CMS_BINARY; // never canonicalise line endings (STACK-NOTES "OpenSSL CMS" 1)

// The receipt goes back to the sending office; RFC 2634 wants a GeneralNames, a URI names it.
GeneralNamesStackPtr receiptsTo(const std::string& senderOffice) {
    const std::string uri = "urn:cplink:office:" + senderOffice;
    Asn1StringPtr text(check(ASN1_IA5STRING_new(), "ASN1_IA5STRING_new"));
    check(ASN1_STRING_set(text.get(), uri.data(), static_cast<int>(uri.size())), "ASN1_STRING_set");
    GeneralNamePtr name(check(GENERAL_NAME_new(), "GENERAL_NAME_new"));
    GENERAL_NAME_set0_value(name.get(), GEN_URI, text.release());
    GeneralNamesPtr names(check(sk_GENERAL_NAME_new_null(), "sk_GENERAL_NAME_new_null"));
    if (sk_GENERAL_NAME_push(names.get(), name.get()) <= 0)
        fail("sk_GENERAL_NAME_push");
    name.release();
    GeneralNamesStackPtr stack(check(sk_GENERAL_NAMES_new_null(), "sk_GENERAL_NAMES_new_null"));
    if (sk_GENERAL_NAMES_push(stack.get(), names.get()) <= 0)
        fail("sk_GENERAL_NAMES_push");
    names.release();
    return stack;
}

void addReceiptRequest(CMS_SignerInfo* signer, const MessageIdentity& identity) {
    auto to = receiptsTo(identity.senderOffice);
    // The message id is the signed content identifier, so a receipt names the message it answers.
    // create0 takes ownership of both the identifier buffer and the receiptsTo stack.
    const std::string& messageId = identity.messageId;
    if (messageId.empty() || messageId.size() > 1024)
        fail(ErrorCode::Usage, "message id must be 1-1024 bytes");
    OpenSslBytesPtr id(static_cast<unsigned char*>(
        check(OPENSSL_memdup(messageId.data(), messageId.size()), "OPENSSL_memdup")));
    CmsReceiptRequestPtr request(
        CMS_ReceiptRequest_create0(id.get(), static_cast<int>(messageId.size()), 0, nullptr, to.get()));
    if (!request)
        fail("CMS_ReceiptRequest_create0");
    id.release();
    to.release();
    check(CMS_add1_ReceiptRequest(signer, request.get()), "CMS_add1_ReceiptRequest");
}

std::string signedData(const SealRequest& request) {
    const Identity& sender = *request.sender;
    CmsPtr cms(check(CMS_sign(nullptr, nullptr, nullptr, nullptr, kFlags | CMS_PARTIAL), "CMS_sign"));
    CMS_SignerInfo* signer = check(CMS_add1_signer(cms.get(), sender.certificate().get(), sender.key(),
                                                   EVP_sha256(), kFlags | CMS_PARTIAL | CMS_CADES),
                                   "CMS_add1_signer");
    addIdentityAttributes(signer, request.identity);
    addReceiptRequest(signer, request.identity);
    for (const auto& c : sender.chain())
        check(CMS_add1_cert(cms.get(), c.get()), "CMS_add1_cert");
    auto data = memoryBio(request.payload);
    check(CMS_final(cms.get(), data.get(), nullptr, kFlags), "CMS_final (sign)");
    return cmsToDer(cms.get());
}

void addRecipient(CMS_ContentInfo* cms, const Certificate& certificate) {
    CMS_RecipientInfo* recipient = check(
        CMS_add1_recipient_cert(cms, certificate.get(), kFlags | CMS_KEY_PARAM), "CMS_add1_recipient_cert");
    EVP_PKEY_CTX* ctx = CMS_RecipientInfo_get0_pkey_ctx(recipient);
    if (!ctx)
        fail("recipient has no key context");
    // OpenSSL's defaults are RSA PKCS#1 v1.5 and a SHA-1 KDF; the profile fixes stronger ones.
    const auto key = certificate.publicKey();
    if (EVP_PKEY_is_a(key.get(), "RSA")) {
        check(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 ? 1 : 0, "RSA-OAEP padding");
        check(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 ? 1 : 0, "RSA-OAEP digest");
        check(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0 ? 1 : 0, "RSA-OAEP MGF1 digest");
    } else if (EVP_PKEY_is_a(key.get(), "EC")) {
        // Only the digest: OpenSSL sets the X9.63 KDF type itself and refuses a preset one.
        check(EVP_PKEY_CTX_set_ecdh_kdf_md(ctx, EVP_sha256()) > 0 ? 1 : 0, "ECDH KDF digest");
    } else {
        fail(ErrorCode::Usage, "recipient key is neither RSA nor EC");
    }
}

[[noreturn]] void refuse(OpenFailure failure, const std::string& detail) {
    takeOpenSslErrors(); // nothing of the queue may leak into the next operation
    throw OpenError(failure, detail);
}

bool namesCertificate(CMS_RecipientInfo* info, X509* certificate) {
    switch (CMS_RecipientInfo_type(info)) {
    case CMS_RECIPINFO_TRANS:
        return CMS_RecipientInfo_ktri_cert_cmp(info, certificate) == 0;
    case CMS_RECIPINFO_AGREE: {
        STACK_OF(CMS_RecipientEncryptedKey)* keys = CMS_RecipientInfo_kari_get0_reks(info);
        for (int k = 0; k < sk_CMS_RecipientEncryptedKey_num(keys); ++k) {
            if (CMS_RecipientEncryptedKey_cert_cmp(sk_CMS_RecipientEncryptedKey_value(keys, k),
                                                   certificate) == 0)
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

// How many recipient entries name the certificate.
int entriesFor(CMS_ContentInfo* cms, X509* certificate) {
    STACK_OF(CMS_RecipientInfo)* infos = CMS_get0_RecipientInfos(cms);
    int count = 0;
    for (int i = 0; i < sk_CMS_RecipientInfo_num(infos); ++i)
        count += namesCertificate(sk_CMS_RecipientInfo_value(infos, i), certificate) ? 1 : 0;
    return count;
}

OpenFailure signerFailure(TrustStatus status) {
    switch (status) {
    case TrustStatus::Revoked:
        return OpenFailure::SignerRevoked;
    case TrustStatus::Expired:
        return OpenFailure::SignerExpired;
    case TrustStatus::NotYetValid:
        return OpenFailure::SignerNotYetValid;
    default:
        return OpenFailure::SignerUntrusted;
    }
}

} // namespace

const char* toString(OpenFailure failure) {
    switch (failure) {
    case OpenFailure::Malformed:
        return "malformed envelope";
    case OpenFailure::NotAddressedToUs:
        return "not addressed to this office";
    case OpenFailure::DecryptFailed:
        return "decryption failed (tampered, or not for this key)";
    case OpenFailure::BadSignature:
        return "bad signature";
    case OpenFailure::SignerUntrusted:
        return "signer not trusted";
    case OpenFailure::SignerRevoked:
        return "signer certificate revoked";
    case OpenFailure::SignerExpired:
        return "signer certificate expired";
    case OpenFailure::SignerNotYetValid:
        return "signer certificate not yet valid";
    case OpenFailure::Unbound:
        return "message identity not signed";
    case OpenFailure::WrongRecipient:
        return "signed for another office";
    case OpenFailure::SenderMismatch:
        return "signed sender is not the signer's office";
    }
    return "unknown";
}

OpenError::OpenError(OpenFailure failure, const std::string& detail)
    : std::runtime_error(std::string(toString(failure)) + (detail.empty() ? "" : ": " + detail)),
      m_failure(failure) {
}

std::string seal(const SealRequest& request) {
    if (!request.sender || request.recipients.empty())
        fail(ErrorCode::Usage, "seal needs a sender identity and at least one recipient");
    const std::string inner = signedData(request);
    CmsPtr cms(check(CMS_encrypt(nullptr, nullptr, EVP_aes_256_gcm(), kFlags | CMS_PARTIAL), "CMS_encrypt"));
    for (const auto& recipient : request.recipients)
        addRecipient(cms.get(), recipient);
    addRecipient(cms.get(), request.sender->certificate());
    auto data = memoryBio(inner);
    check(CMS_final(cms.get(), data.get(), nullptr, kFlags), "CMS_final (encrypt)");
    return cmsToDer(cms.get());
}

OpenedMessage open(std::string_view envelope, const OpenOptions& options) {
    if (!options.self || !options.trust || !options.clock)
        fail(ErrorCode::Usage, "open needs an identity, a trust store and a clock");
    const Identity& self = *options.self;

    CmsPtr outer = cmsFromDer(envelope);
    if (!outer || OBJ_obj2nid(CMS_get0_type(outer.get())) != NID_id_smime_ct_authEnvelopedData)
        refuse(OpenFailure::Malformed, "not a CMS AuthEnvelopedData");
    if (entriesFor(outer.get(), self.certificate().get()) == 0)
        refuse(OpenFailure::NotAddressedToUs, self.certificate().subject());

    // Decrypt into memory and keep nothing unless OpenSSL says the tag verified (STACK-NOTES CMS 4).
    BioPtr decrypted(check(BIO_new(BIO_s_mem()), "BIO_new"));
    if (CMS_decrypt(outer.get(), self.key(), self.certificate().get(), nullptr, decrypted.get(), kFlags) != 1)
        refuse(OpenFailure::DecryptFailed, takeOpenSslErrors());
    const std::string inner = bioContents(decrypted.get());
    decrypted.reset();

    CmsPtr signedData = cmsFromDer(inner);
    if (!signedData || OBJ_obj2nid(CMS_get0_type(signedData.get())) != NID_pkcs7_signed)
        refuse(OpenFailure::Malformed, "content is not a SignedData");
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(signedData.get());
    if (sk_CMS_SignerInfo_num(signers) != 1)
        refuse(OpenFailure::BadSignature, "expected exactly one signer");

    // Signature and digest here; the signer's certificate by our own policy below, not OpenSSL's
    // S/MIME purpose (office certificates may lack emailProtection).
    BioPtr content(check(BIO_new(BIO_s_mem()), "BIO_new"));
    if (CMS_verify(signedData.get(), nullptr, nullptr, nullptr, content.get(),
                   kFlags | CMS_NO_SIGNER_CERT_VERIFY) != 1)
        refuse(OpenFailure::BadSignature, takeOpenSslErrors());
    BorrowedX509StackPtr signerCerts(CMS_get0_signers(signedData.get()));
    if (!signerCerts || sk_X509_num(signerCerts.get()) != 1)
        refuse(OpenFailure::BadSignature, "signer certificate not included");
    const Certificate signer(shareX509(sk_X509_value(signerCerts.get(), 0)));

    std::vector<Certificate> carried;
    if (STACK_OF(X509)* certs = CMS_get1_certs(signedData.get())) {
        X509StackPtr owned(certs);
        for (int i = 0; i < sk_X509_num(certs); ++i)
            carried.emplace_back(shareX509(sk_X509_value(certs, i)));
    }
    const TrustResult trust = options.trust->verify(signer, *options.clock, carried);
    if (!trust.ok())
        refuse(signerFailure(trust.status), trust.detail);

    CMS_SignerInfo* info = sk_CMS_SignerInfo_value(signers, 0);
    const auto identity = readIdentityAttributes(info);
    if (!identity)
        refuse(OpenFailure::Unbound, "message id, offices or file name missing");
    const auto signerOffice = options.policy.officeNumber(signer);
    if (!signerOffice || *signerOffice != identity->senderOffice)
        refuse(OpenFailure::SenderMismatch, identity->senderOffice);
    const auto selfOffice = options.policy.officeNumber(self.certificate());
    const std::string& expected =
        options.as == OpenOptions::As::Recipient ? identity->recipientOffice : identity->senderOffice;
    if (!selfOffice || *selfOffice != expected)
        refuse(OpenFailure::WrongRecipient, identity->recipientOffice);

    // The profile has exactly two recipient entries, the addressee's and the sender's own copy. The
    // sender's entry is not covered by the GCM tag; checking that it names the signer means a change
    // there is noticed too, except inside its wrapped key, which cannot affect what we decrypted.
    const int entries = sk_CMS_RecipientInfo_num(CMS_get0_RecipientInfos(outer.get()));
    if (entries != 2 ||
        (options.as == OpenOptions::As::Recipient && entriesFor(outer.get(), signer.get()) != 1))
        refuse(OpenFailure::Malformed, "recipients are not the addressee and the sender");

    CMS_ReceiptRequest* request = nullptr;
    const bool receiptRequested = CMS_get1_ReceiptRequest(info, &request) > 0;
    CmsReceiptRequestPtr ownedRequest(request);
    takeOpenSslErrors(); // "no receipt request" leaves an entry behind
    return OpenedMessage{bioContents(content.get()), *identity, signer, receiptRequested, inner};
}

} // namespace cplink::crypto
