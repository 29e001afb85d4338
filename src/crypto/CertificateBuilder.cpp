#include "CertificateBuilder.h"

#include "Error.h"

#include <openssl/rand.h>

namespace cplink::crypto {

X509NamePtr makeName(const std::vector<std::pair<int, std::string>>& entries) {
    X509NamePtr name(check(X509_NAME_new(), "out of memory"));
    for (const auto& [nid, value] : entries) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
        if (X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8, bytes, static_cast<int>(value.size()),
                                       -1, 0) != 1)
            fail(ErrorCode::Usage, std::string("cannot use '") + value + "' as " + OBJ_nid2sn(nid));
    }
    return name;
}

Asn1IntegerPtr randomSerial() {
    BignumPtr bn(check(BN_new(), "out of memory"));
    // Top bit forced to one: always 127 bits, so serials have a fixed length and are never zero.
    check(BN_rand(bn.get(), 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY), "cannot draw a serial number");
    return Asn1IntegerPtr(check(BN_to_ASN1_INTEGER(bn.get(), nullptr), "out of memory"));
}

Asn1TimePtr toAsn1Time(TimePoint t) {
    return Asn1TimePtr(check(ASN1_TIME_set(nullptr, toTimeT(t)), "time out of range"));
}

Certificate signCertificate(const CertificateTemplate& tmpl, EVP_PKEY* subjectKey, const ASN1_INTEGER* serial,
                            const Certificate* issuer, EVP_PKEY* issuerKey) {
    X509Ptr x(check(X509_new(), "out of memory"));
    check(X509_set_version(x.get(), X509_VERSION_3), "cannot set the version");
    check(X509_set_serialNumber(x.get(), const_cast<ASN1_INTEGER*>(serial)), "cannot set the serial");
    const X509NamePtr subject = makeName(tmpl.subject);
    check(X509_set_subject_name(x.get(), subject.get()), "cannot set the subject");
    check(X509_set_issuer_name(x.get(),
                               issuer != nullptr ? X509_get_subject_name(issuer->get()) : subject.get()),
          "cannot set the issuer");
    const Asn1TimePtr notBefore = toAsn1Time(tmpl.notBefore);
    const Asn1TimePtr notAfter = toAsn1Time(tmpl.notAfter);
    check(X509_set1_notBefore(x.get(), notBefore.get()), "cannot set notBefore");
    check(X509_set1_notAfter(x.get(), notAfter.get()), "cannot set notAfter");
    check(X509_set_pubkey(x.get(), subjectKey), "cannot set the public key");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer->get() : x.get(), x.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : tmpl.extensions) {
        X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
        if (!ext)
            fail(ErrorCode::Usage, std::string("bad ") + OBJ_nid2sn(nid) + " extension '" + value + "'");
        check(X509_add_ext(x.get(), ext.get(), -1), "cannot add an extension");
    }
    if (X509_sign(x.get(), issuerKey, EVP_sha256()) <= 0)
        fail("cannot sign the certificate");
    return Certificate(std::move(x));
}

} // namespace cplink::crypto
