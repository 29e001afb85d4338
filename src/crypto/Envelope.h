#pragma once

#include "Certificate.h"
#include "Clock.h"
#include "Identity.h"
#include "MessageIdentity.h"
#include "OfficeNumberPolicy.h"
#include "TrustStore.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::crypto {

// One CSV file as one message (DESIGN.md §4). Inner: CMS SignedData, attached, SHA-256, CMS_BINARY
// (the file's bytes exactly), with signingTime, signingCertificateV2, an RFC 2634 receipt request and
// the message identity as signed attributes. Outer: AuthEnvelopedData, AES-256-GCM, to the addressee
// and to the sender itself (so the sender can reopen its sent copy); RSA keys with RSA-OAEP-SHA256,
// EC keys with ECDH and a SHA-256 KDF.
struct SealRequest {
    std::string_view payload;
    MessageIdentity identity;
    const Identity* sender = nullptr;
    // The addressee's certificate(s) to encrypt to (normally the newest valid one of its office).
    std::vector<Certificate> recipients;
};

// The AuthEnvelopedData (BER: the layers are streamed, lengths indefinite). Throws CryptoError if a key
// or certificate cannot be used.
std::string seal(const SealRequest& request);
// The same, streamed from `payload` to `out` in 64 KiB pieces: memory stays small whatever the size.
void sealStream(BIO* payload, BIO* out, const MessageIdentity& identity, const Identity& sender,
                const std::vector<Certificate>& recipients);
// File to file; the envelope appears at outputPath (0644) only when complete.
void sealFile(const std::string& inputPath, const std::string& outputPath, const MessageIdentity& identity,
              const Identity& sender, const std::vector<Certificate>& recipients);

// Why an envelope was refused. On any of these nothing of the content is released.
enum class OpenFailure {
    Malformed,        // not a CMS AuthEnvelopedData holding a SignedData
    NotAddressedToUs, // no recipient entry for our certificate
    DecryptFailed,    // key unwrap or the GCM tag failed: tampered or not for this key
    BadSignature,     // no single signer, or signature / digest does not verify
    SignerUntrusted,  // the signer's certificate has no chain to our trust anchors
    SignerRevoked,
    SignerExpired, // at the time of opening (injected clock)
    SignerNotYetValid,
    Unbound,        // the signed message identity (id, offices, file name) is missing
    WrongRecipient, // signed for another office: a forwarded message
    SenderMismatch, // the signed sender office is not the signer certificate's office
    WeakAlgorithm,  // not the profile: key transport other than RSA-OAEP-SHA256, key agreement other
                    // than ECDH with a SHA-256 KDF and AES-256 wrap, a digest other than SHA-256
};

const char* toString(OpenFailure failure);

class OpenError : public std::runtime_error {
public:
    OpenError(OpenFailure failure, const std::string& detail);
    OpenFailure failure() const { return m_failure; }

private:
    OpenFailure m_failure;
};

struct OpenOptions {
    const Identity* self = nullptr;
    const TrustStore* trust = nullptr;
    const Clock* clock = nullptr;
    OfficeNumberPolicy policy;
    // Recipient: the signed recipient must be our office. Sender: reopening our own sent copy, the
    // signed sender must be our office.
    enum class As { Recipient, Sender } as = As::Recipient;
};

struct OpenedMessage {
    std::string payload;      // the file's bytes, exactly as signed
    MessageIdentity identity; // verified: signed, sender office = signer certificate's office
    Certificate signer;
    bool receiptRequested = false;
    std::string signedData; // DER of the inner SignedData, needed to make or check a receipt
};

// Decrypts in memory, verifies signature, signer chain (with CRLs, at the clock's time) and identity.
// Throws OpenError; never returns partial content.
OpenedMessage open(std::string_view envelope, const OpenOptions& options);
// The same from a file to a file, for large files: the decrypted layers pass through private temporary
// files next to outputPath; the file appears there (0600, atomically) only when everything verified,
// and nothing else remains on failure. OpenedMessage::payload stays empty.
OpenedMessage openFile(const std::string& envelopePath, const std::string& outputPath,
                       const OpenOptions& options);

} // namespace cplink::crypto
