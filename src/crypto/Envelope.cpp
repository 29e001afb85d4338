#include "Envelope.h"

#include "Cms.h"
#include "CmsSplit.h"
#include "Error.h"
#include "Files.h"

#include <climits>
#include <openssl/ec.h>
#include <openssl/ess.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <vector>

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

void addSigner(CMS_ContentInfo* cms, const Identity& sender, const MessageIdentity& identity) {
    CMS_SignerInfo* signer = check(CMS_add1_signer(cms, sender.certificate().get(), sender.key(),
                                                   EVP_sha256(), kFlags | CMS_PARTIAL | CMS_CADES),
                                   "CMS_add1_signer");
    addIdentityAttributes(signer, identity);
    addReceiptRequest(signer, identity);
    for (const auto& c : sender.chain())
        check(CMS_add1_cert(cms, c.get()), "CMS_add1_cert");
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

// Who the recipient entries of an envelope are for, copied out so the envelope itself can be freed
// before its (possibly large) content is verified.
struct RecipientId {
    X509NamePtr issuer;
    Asn1IntegerPtr serial;
    std::string keyId;

    bool names(X509* certificate) const {
        if (issuer && serial)
            return X509_NAME_cmp(issuer.get(), X509_get_issuer_name(certificate)) == 0 &&
                   ASN1_INTEGER_cmp(serial.get(), X509_get0_serialNumber(certificate)) == 0;
        const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(certificate);
        return ski && !keyId.empty() &&
               keyId == std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ski)),
                                         static_cast<std::size_t>(ASN1_STRING_length(ski)));
    }
};

struct Recipients {
    int entries = 0; // RecipientInfos (our profile: exactly two)
    std::vector<RecipientId> ids;

    int count(X509* certificate) const {
        int n = 0;
        for (const auto& id : ids)
            n += id.names(certificate) ? 1 : 0;
        return n;
    }
};

RecipientId copyId(ASN1_OCTET_STRING* keyId, X509_NAME* issuer, ASN1_INTEGER* serial) {
    RecipientId id;
    if (issuer && serial) {
        id.issuer.reset(check(X509_NAME_dup(issuer), "X509_NAME_dup"));
        id.serial.reset(check(ASN1_INTEGER_dup(serial), "ASN1_INTEGER_dup"));
    } else if (keyId) {
        id.keyId.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(keyId)),
                        static_cast<std::size_t>(ASN1_STRING_length(keyId)));
    }
    return id;
}

Recipients recipientsOf(CMS_ContentInfo* cms) {
    Recipients result;
    STACK_OF(CMS_RecipientInfo)* infos = CMS_get0_RecipientInfos(cms);
    result.entries = sk_CMS_RecipientInfo_num(infos);
    for (int i = 0; i < result.entries; ++i) {
        CMS_RecipientInfo* info = sk_CMS_RecipientInfo_value(infos, i);
        ASN1_OCTET_STRING* keyId = nullptr;
        X509_NAME* issuer = nullptr;
        ASN1_INTEGER* serial = nullptr;
        if (CMS_RecipientInfo_type(info) == CMS_RECIPINFO_TRANS) {
            if (CMS_RecipientInfo_ktri_get0_signer_id(info, &keyId, &issuer, &serial) == 1)
                result.ids.push_back(copyId(keyId, issuer, serial));
        } else if (CMS_RecipientInfo_type(info) == CMS_RECIPINFO_AGREE) {
            STACK_OF(CMS_RecipientEncryptedKey)* keys = CMS_RecipientInfo_kari_get0_reks(info);
            for (int k = 0; k < sk_CMS_RecipientEncryptedKey_num(keys); ++k) {
                if (CMS_RecipientEncryptedKey_get0_id(sk_CMS_RecipientEncryptedKey_value(keys, k), &keyId,
                                                      nullptr, nullptr, &issuer, &serial) == 1)
                    result.ids.push_back(copyId(keyId, issuer, serial));
            }
        }
    }
    takeOpenSslErrors();
    return result;
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
    case OpenFailure::WeakAlgorithm:
        return "algorithm outside the profile";
    }
    return "unknown";
}

OpenError::OpenError(OpenFailure failure, const std::string& detail)
    : std::runtime_error(std::string(toString(failure)) + (detail.empty() ? "" : ": " + detail)),
      m_failure(failure) {
}

namespace {

void requireOptions(const OpenOptions& options) {
    if (!options.self || !options.trust || !options.clock)
        fail(ErrorCode::Usage, "open needs an identity, a trust store and a clock");
}

bool isSha256(const X509_ALGOR* algorithm) {
    if (!algorithm) // an absent hash in OAEP parameters means SHA-1
        return false;
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
    return OBJ_obj2nid(oid) == NID_sha256;
}

using AlgorPtr = Handle<X509_ALGOR, X509_ALGOR_free>;

// An AlgorithmIdentifier carried as another one's parameter (MGF1's hash, the ECDH key wrap).
AlgorPtr innerAlgorithm(const X509_ALGOR* outer) {
    if (!outer || !outer->parameter || outer->parameter->type != V_ASN1_SEQUENCE)
        return nullptr;
    return AlgorPtr(
        static_cast<X509_ALGOR*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), outer->parameter)));
}

// RSA-OAEP with SHA-256 for the hash and for MGF1: OpenSSL would also accept PKCS#1 v1.5 or SHA-1.
bool isOaepSha256(const X509_ALGOR* algorithm) {
    const ASN1_OBJECT* oid = nullptr;
    int type = 0;
    const void* parameter = nullptr;
    X509_ALGOR_get0(&oid, &type, &parameter, algorithm);
    if (OBJ_obj2nid(oid) != NID_rsaesOaep || type != V_ASN1_SEQUENCE)
        return false;
    using OaepPtr = Handle<RSA_OAEP_PARAMS, RSA_OAEP_PARAMS_free>;
    OaepPtr oaep(static_cast<RSA_OAEP_PARAMS*>(
        ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_OAEP_PARAMS), algorithm->parameter)));
    // maskHash is not filled by plain decoding: MGF1's hash is the parameter of maskGenFunc.
    return oaep && isSha256(oaep->hashFunc) && oaep->maskGenFunc &&
           OBJ_obj2nid(oaep->maskGenFunc->algorithm) == NID_mgf1 &&
           isSha256(innerAlgorithm(oaep->maskGenFunc).get());
}

// ECDH (standard or cofactor) with the SHA-256 KDF, wrapping with AES-256: OpenSSL's default is SHA-1.
bool isEcdhSha256(X509_ALGOR* algorithm) {
    const ASN1_OBJECT* oid = nullptr;
    int type = 0;
    const void* parameter = nullptr;
    X509_ALGOR_get0(&oid, &type, &parameter, algorithm);
    const int nid = OBJ_obj2nid(oid);
    if (nid != NID_dhSinglePass_stdDH_sha256kdf_scheme && nid != NID_dhSinglePass_cofactorDH_sha256kdf_scheme)
        return false;
    const AlgorPtr wrap = innerAlgorithm(algorithm);
    return type == V_ASN1_SEQUENCE && wrap && OBJ_obj2nid(wrap->algorithm) == NID_id_aes256_wrap;
}

// The signed signingCertificateV2 attribute names the signer's certificate (a hash of it), so a
// signature cannot be re-attributed to another certificate of the same key.
bool signsWithCertificate(CMS_SignerInfo* signer, STACK_OF(X509) * signerCerts) {
    const auto* value = static_cast<const ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(
        signer, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE));
    if (!value)
        return false;
    const unsigned char* p = ASN1_STRING_get0_data(value);
    using SigningCertPtr = Handle<ESS_SIGNING_CERT_V2, ESS_SIGNING_CERT_V2_free>;
    SigningCertPtr ess(d2i_ESS_SIGNING_CERT_V2(nullptr, &p, ASN1_STRING_length(value)));
    const bool ok = ess && OSSL_ESS_check_signing_certs(nullptr, ess.get(), signerCerts, 1) == 1;
    takeOpenSslErrors();
    return ok;
}

// Frees the BIOs that BIO_new_CMS pushed in front of `stop`, however the function is left.
class CmsBioChain {
public:
    CmsBioChain(BIO* top, BIO* stop) : m_top(top), m_stop(stop) {}
    ~CmsBioChain() {
        while (m_top && m_top != m_stop) {
            BIO* next = BIO_pop(m_top);
            BIO_free(m_top);
            m_top = next;
        }
    }
    CmsBioChain(const CmsBioChain&) = delete;
    CmsBioChain& operator=(const CmsBioChain&) = delete;
    BIO* get() const { return m_top; }

private:
    BIO* m_top;
    BIO* m_stop;
};

// Our own entry must use the profile's key transport or agreement (DESIGN.md §4).
void checkOwnEntry(CMS_ContentInfo* outer, X509* self) {
    STACK_OF(CMS_RecipientInfo)* infos = CMS_get0_RecipientInfos(outer);
    for (int i = 0; i < sk_CMS_RecipientInfo_num(infos); ++i) {
        CMS_RecipientInfo* info = sk_CMS_RecipientInfo_value(infos, i);
        X509_ALGOR* algorithm = nullptr;
        if (CMS_RecipientInfo_type(info) == CMS_RECIPINFO_TRANS) {
            if (CMS_RecipientInfo_ktri_cert_cmp(info, self) != 0)
                continue;
            CMS_RecipientInfo_ktri_get0_algs(info, nullptr, nullptr, &algorithm);
            if (!isOaepSha256(algorithm))
                refuse(OpenFailure::WeakAlgorithm, "key transport is not RSA-OAEP-SHA256");
        } else if (CMS_RecipientInfo_type(info) == CMS_RECIPINFO_AGREE) {
            STACK_OF(CMS_RecipientEncryptedKey)* keys = CMS_RecipientInfo_kari_get0_reks(info);
            bool ours = false;
            for (int k = 0; k < sk_CMS_RecipientEncryptedKey_num(keys); ++k)
                ours = ours || CMS_RecipientEncryptedKey_cert_cmp(sk_CMS_RecipientEncryptedKey_value(keys, k),
                                                                  self) == 0;
            if (!ours)
                continue;
            CMS_RecipientInfo_kari_get0_alg(info, &algorithm, nullptr);
            if (!isEcdhSha256(algorithm))
                refuse(OpenFailure::WeakAlgorithm,
                       "key agreement is not ECDH with a SHA-256 KDF and AES-256 wrap");
        }
    }
    takeOpenSslErrors();
}

// The outer layer: an AuthEnvelopedData with an entry for us. Returns who the entries are for.
Recipients checkOuter(CMS_ContentInfo* outer, const OpenOptions& options) {
    if (!outer || OBJ_obj2nid(CMS_get0_type(outer)) != NID_id_smime_ct_authEnvelopedData)
        refuse(OpenFailure::Malformed, "not a CMS AuthEnvelopedData");
    Recipients recipients = recipientsOf(outer);
    if (recipients.count(options.self->certificate().get()) == 0)
        refuse(OpenFailure::NotAddressedToUs, options.self->certificate().subject());
    checkOwnEntry(outer, options.self->certificate().get());
    return recipients;
}

// Decrypts into `out`. Nothing written there may be used unless this returns: the GCM tag is only
// checked at the end of the stream. CMS_decrypt is not used because for AuthEnvelopedData it holds
// the whole plaintext in a memory buffer until the tag is checked (about 2x the file at its peak);
// unwrapping the key and streaming the content ourselves keeps memory flat. The content cipher is
// checked here too: OpenSSL has no getter for it other than the context it builds.
void decrypt(CMS_ContentInfo* outer, BIO* out, const Identity& self, BIO* detachedContent = nullptr) {
    if (CMS_decrypt_set1_pkey_and_peer(outer, self.key(), self.certificate().get(), nullptr) != 1)
        refuse(OpenFailure::DecryptFailed, takeOpenSslErrors());
    BIO* top = CMS_dataInit(outer, detachedContent);
    if (!top)
        refuse(OpenFailure::DecryptFailed, takeOpenSslErrors());
    CmsBioChain chain(top, detachedContent);
    BIO* cipherBio = BIO_find_type(top, BIO_TYPE_CIPHER);
    EVP_CIPHER_CTX* context = nullptr;
    if (!cipherBio || BIO_get_cipher_ctx(cipherBio, &context) != 1 || !context)
        refuse(OpenFailure::Malformed, "no content encryption");
    if (EVP_CIPHER_get_nid(EVP_CIPHER_CTX_get0_cipher(context)) != NID_aes_256_gcm)
        refuse(OpenFailure::WeakAlgorithm, "content encryption is not AES-256-GCM");
    std::vector<char> buffer(1u << 16);
    int n = 0;
    while ((n = BIO_read(top, buffer.data(), static_cast<int>(buffer.size()))) > 0) {
        if (BIO_write(out, buffer.data(), n) != n)
            fail(ErrorCode::Io, "cannot write the decrypted content");
    }
    if (n < 0 || BIO_get_cipher_status(cipherBio) != 1)
        refuse(OpenFailure::DecryptFailed, "authentication tag does not match: " + takeOpenSslErrors());
    takeOpenSslErrors();
}

struct Verified {
    MessageIdentity identity;
    Certificate signer;
    bool receiptRequested = false;
    std::string signedData; // the SignerInfo and certificates, content detached
};

// The inner layer: one signer whose signature covers exactly the bytes written to `content`, a
// trusted signer certificate, and a signed identity that binds sender, recipient and file name.
// `content` receives the verified content (may be null); `detachedContent` supplies it when the
// structure carries none (openFile streams it from a file).
Verified verifySignedData(CMS_ContentInfo* signedData, BIO* content, const Recipients& recipients,
                          const OpenOptions& options, BIO* detachedContent = nullptr) {
    if (!signedData || OBJ_obj2nid(CMS_get0_type(signedData)) != NID_pkcs7_signed)
        refuse(OpenFailure::Malformed, "content is not a SignedData");
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(signedData);
    if (sk_CMS_SignerInfo_num(signers) != 1)
        refuse(OpenFailure::BadSignature, "expected exactly one signer");

    X509_ALGOR* digest = nullptr;
    CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(signers, 0), nullptr, nullptr, &digest, nullptr);
    if (!isSha256(digest))
        refuse(OpenFailure::WeakAlgorithm, "signature digest is not SHA-256");
    // Signature and digest here; the signer's certificate by our own policy below, not OpenSSL's
    // S/MIME purpose (office certificates may lack emailProtection). CMS_CADES would check
    // signingCertificateV2 but forces OpenSSL's own chain check, so that binding is checked below.
    if (CMS_verify(signedData, nullptr, nullptr, detachedContent, content,
                   kFlags | CMS_NO_SIGNER_CERT_VERIFY) != 1)
        refuse(OpenFailure::BadSignature, takeOpenSslErrors());
    BorrowedX509StackPtr signerCerts(CMS_get0_signers(signedData));
    if (!signerCerts || sk_X509_num(signerCerts.get()) != 1)
        refuse(OpenFailure::BadSignature, "signer certificate not included");
    const Certificate signer(shareX509(sk_X509_value(signerCerts.get(), 0)));
    if (!signsWithCertificate(sk_CMS_SignerInfo_value(signers, 0), signerCerts.get()))
        refuse(OpenFailure::BadSignature, "signingCertificateV2 missing or not the signer's certificate");

    std::vector<Certificate> carried;
    if (STACK_OF(X509)* certs = CMS_get1_certs(signedData)) {
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
    const auto selfOffice = options.policy.officeNumber(options.self->certificate());
    const std::string& expected =
        options.as == OpenOptions::As::Recipient ? identity->recipientOffice : identity->senderOffice;
    if (!selfOffice || *selfOffice != expected)
        refuse(OpenFailure::WrongRecipient, identity->recipientOffice);

    // The profile has exactly two recipient entries, the addressee's and the sender's own copy. The
    // sender's entry is not covered by the GCM tag; checking that it names the signer means a change
    // there is noticed too, except inside its wrapped key, which cannot affect what we decrypted.
    if (recipients.entries != 2 ||
        (options.as == OpenOptions::As::Recipient && recipients.count(signer.get()) != 1))
        refuse(OpenFailure::Malformed, "recipients are not the addressee and the sender");

    CMS_ReceiptRequest* request = nullptr;
    const bool receiptRequested = CMS_get1_ReceiptRequest(info, &request) > 0;
    CmsReceiptRequestPtr ownedRequest(request);
    takeOpenSslErrors(); // "no receipt request" leaves an entry behind
    // Receipts need the SignerInfo, not the content: keep the small detached form.
    check(CMS_set_detached(signedData, 1), "CMS_set_detached");
    return Verified{*identity, signer, receiptRequested, cmsToDer(signedData)};
}

} // namespace

void sealStream(BIO* payload, BIO* out, const MessageIdentity& identity, const Identity& sender,
                const std::vector<Certificate>& recipients) {
    if (recipients.empty())
        fail(ErrorCode::Usage, "seal needs at least one recipient");
    CmsPtr envelope(check(CMS_encrypt(nullptr, nullptr, EVP_aes_256_gcm(), kFlags | CMS_PARTIAL | CMS_STREAM),
                          "CMS_encrypt"));
    for (const auto& recipient : recipients)
        addRecipient(envelope.get(), recipient);
    addRecipient(envelope.get(), sender.certificate());
    CmsPtr signedData(
        check(CMS_sign(nullptr, nullptr, nullptr, nullptr, kFlags | CMS_PARTIAL | CMS_STREAM), "CMS_sign"));
    addSigner(signedData.get(), sender, identity);

    // payload → [SignedData encoder, digest] → [AuthEnvelopedData encoder, AES-GCM] → out. Flushing the
    // top finalises the signature, then the tag, each written after its content (BER, indefinite length).
    CmsBioChain outer(check(BIO_new_CMS(out, envelope.get()), "BIO_new_CMS (envelope)"), out);
    CmsBioChain inner(check(BIO_new_CMS(outer.get(), signedData.get()), "BIO_new_CMS (signed data)"),
                      outer.get());
    std::vector<char> buffer(1u << 16);
    int n = 0;
    while ((n = BIO_read(payload, buffer.data(), static_cast<int>(buffer.size()))) > 0) {
        if (BIO_write(inner.get(), buffer.data(), n) != n)
            fail("writing the envelope");
    }
    if (n < 0)
        fail(ErrorCode::Io, "reading the file to seal");
    if (BIO_flush(inner.get()) != 1)
        fail("finishing the envelope");
}

std::string seal(const SealRequest& request) {
    if (!request.sender)
        fail(ErrorCode::Usage, "seal needs a sender identity");
    auto in = memoryBio(request.payload);
    BioPtr out(check(BIO_new(BIO_s_mem()), "BIO_new"));
    sealStream(in.get(), out.get(), request.identity, *request.sender, request.recipients);
    return bioContents(out.get());
}

void sealFile(const std::string& inputPath, const std::string& outputPath, const MessageIdentity& identity,
              const Identity& sender, const std::vector<Certificate>& recipients) {
    BioPtr in(BIO_new_file(inputPath.c_str(), "rb"));
    if (!in)
        fail(ErrorCode::Io, "cannot open " + inputPath);
    AtomicFile file(outputPath, 0644);
    BioPtr out(check(BIO_new_fd(file.fd(), BIO_NOCLOSE), "BIO_new_fd"));
    sealStream(in.get(), out.get(), identity, sender, recipients);
    if (BIO_flush(out.get()) != 1)
        fail(ErrorCode::Io, "cannot write " + outputPath);
    out.reset();
    file.commit();
}

OpenedMessage open(std::string_view envelope, const OpenOptions& options) {
    requireOptions(options);
    std::string inner;
    Recipients recipients;
    {
        CmsPtr outer = cmsFromDer(envelope);
        recipients = checkOuter(outer.get(), options);
        BioPtr decrypted(check(BIO_new(BIO_s_mem()), "BIO_new"));
        decrypt(outer.get(), decrypted.get(), *options.self);
        inner = bioContents(decrypted.get());
    }
    CmsPtr signedData = cmsFromDer(inner);
    inner.clear();
    BioPtr content(check(BIO_new(BIO_s_mem()), "BIO_new"));
    Verified verified = verifySignedData(signedData.get(), content.get(), recipients, options);
    return OpenedMessage{bioContents(content.get()), std::move(verified.identity), std::move(verified.signer),
                         verified.receiptRequested, std::move(verified.signedData)};
}

namespace {

// splitContent's Malformed is the envelope's fault: refuse it like any other malformed envelope.
std::string splitOrRefuse(const std::string& path, int contentFd) {
    try {
        return splitContent(path, contentFd);
    } catch (const CryptoError& e) {
        if (e.code() != ErrorCode::Malformed)
            throw;
        refuse(OpenFailure::Malformed, e.what());
    }
}

} // namespace

OpenedMessage openFile(const std::string& envelopePath, const std::string& outputPath,
                       const OpenOptions& options) {
    requireOptions(options);
    // Each layer is split from its content (CmsSplit.h), so OpenSSL only ever holds the small
    // structures; the large content streams file to file. The temporary files sit next to the output
    // (0600) and are removed on every path; the output appears only after the last check.
    AtomicFile ciphertext(outputPath + ".encrypted", 0600);
    AtomicFile signedDataFile(outputPath + ".signed", 0600);
    Recipients recipients;
    {
        CmsPtr outer = cmsFromDer(splitOrRefuse(envelopePath, ciphertext.fd()));
        recipients = checkOuter(outer.get(), options);
        BioPtr encrypted(BIO_new_file(ciphertext.tempPath().c_str(), "rb"));
        BioPtr sink(check(BIO_new_fd(signedDataFile.fd(), BIO_NOCLOSE), "BIO_new_fd"));
        if (!encrypted)
            fail(ErrorCode::Io, "cannot read back " + ciphertext.tempPath());
        decrypt(outer.get(), sink.get(), *options.self, encrypted.get());
        if (BIO_flush(sink.get()) != 1)
            fail(ErrorCode::Io, "cannot write next to " + outputPath);
    }
    AtomicFile output(outputPath, 0600);
    CmsPtr signedData = cmsFromDer(splitOrRefuse(signedDataFile.tempPath(), output.fd()));
    BioPtr content(BIO_new_file(output.tempPath().c_str(), "rb"));
    if (!content)
        fail(ErrorCode::Io, "cannot read back " + output.tempPath());
    Verified verified = verifySignedData(signedData.get(), nullptr, recipients, options, content.get());
    content.reset();
    signedData.reset();
    output.commit(); // only now does the file exist under its name
    return OpenedMessage{std::string(), std::move(verified.identity), std::move(verified.signer),
                         verified.receiptRequested, std::move(verified.signedData)};
}

} // namespace cplink::crypto
