#include "Crl.h"

#include "Certificate.h"
#include "Error.h"
#include "Files.h"
#include "Keys.h"

#include <openssl/pem.h>

namespace cplink::crypto {

Crl::Crl(X509CrlPtr crl) : m_crl(std::move(crl)) {
    if (!m_crl)
        throw CryptoError(ErrorCode::Malformed, "no CRL");
}

Crl Crl::parse(std::string_view bytes) {
    BioPtr in = memoryBio(bytes);
    X509_CRL* crl = bytes.find("-----BEGIN ") != std::string_view::npos
                        ? PEM_read_bio_X509_CRL(in.get(), nullptr, nullptr, nullptr)
                        : d2i_X509_CRL_bio(in.get(), nullptr);
    if (crl == nullptr)
        fail(ErrorCode::Malformed, "not a CRL");
    return Crl(X509CrlPtr(crl));
}

Crl Crl::load(const std::string& path) {
    return withPath(path, [&] { return parse(readFile(path)); });
}

std::string Crl::issuer() const {
    return nameToString(X509_CRL_get_issuer(get()));
}
TimePoint Crl::lastUpdate() const {
    return asn1TimeToTimePoint(X509_CRL_get0_lastUpdate(get()));
}

TimePoint Crl::nextUpdate() const {
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(get());
    return next != nullptr ? asn1TimeToTimePoint(next) : lastUpdate();
}

int Crl::revokedCount() const {
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(get());
    return revoked != nullptr ? sk_X509_REVOKED_num(revoked) : 0;
}

bool Crl::isRevoked(const std::string& serialHex) const {
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(get());
    for (int i = 0; revoked != nullptr && i < sk_X509_REVOKED_num(revoked); ++i) {
        const ASN1_INTEGER* serial = X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i));
        BignumPtr bn(check(ASN1_INTEGER_to_BN(serial, nullptr), "bad serial in CRL"));
        OpenSslStringPtr hex(check(BN_bn2hex(bn.get()), "out of memory"));
        if (serialHex == hex.get())
            return true;
    }
    return false;
}

std::string Crl::toPem() const {
    BioPtr out = newMemoryBio();
    check(PEM_write_bio_X509_CRL(out.get(), get()), "cannot write the CRL");
    return bioContents(out.get());
}

} // namespace cplink::crypto
