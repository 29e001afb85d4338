#include "Certificate.h"

#include "Error.h"
#include "Files.h"

#include <cstdio>
#include <openssl/err.h>
#include <openssl/pem.h>

namespace cplink::crypto {

namespace {

// RFC 2253 without escaping bytes ≥ 0x80: Japanese office names stay readable UTF-8.
constexpr unsigned long kNameFlags = XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB);

bool looksLikePem(std::string_view bytes) {
    return bytes.find("-----BEGIN ") != std::string_view::npos;
}

} // namespace

Certificate::Certificate(X509Ptr x509) : m_x509(std::move(x509)) {
    if (!m_x509)
        throw CryptoError(ErrorCode::Malformed, "no certificate");
}

Certificate Certificate::parse(std::string_view bytes) {
    return looksLikePem(bytes) ? fromPem(bytes) : fromDer(bytes);
}

Certificate Certificate::fromPem(std::string_view pem) {
    auto all = allFromPem(pem);
    if (all.empty())
        throw CryptoError(ErrorCode::Malformed, "no certificate in the PEM data");
    return std::move(all.front());
}

Certificate Certificate::fromDer(std::string_view der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (x == nullptr)
        fail(ErrorCode::Malformed, "not a certificate (neither PEM nor DER)");
    X509Ptr owned(x);
    if (p != reinterpret_cast<const unsigned char*>(der.data() + der.size()))
        throw CryptoError(ErrorCode::Malformed, "trailing bytes after the DER certificate");
    return Certificate(std::move(owned));
}

std::vector<Certificate> Certificate::allFromPem(std::string_view pem) {
    std::vector<Certificate> out;
    BioPtr in = memoryBio(pem);
    // PEM_read_bio_X509 skips blocks of other types; it stops with "no start line" at the end.
    while (X509* x = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr))
        out.emplace_back(X509Ptr(x));
    const std::string queue = takeOpenSslErrors();
    if (!queue.empty() && queue.find("no start line") == std::string::npos)
        throw CryptoError(ErrorCode::Malformed, "damaged certificate in the PEM data (" + queue + ")");
    return out;
}

Certificate Certificate::load(const std::string& path) {
    return withPath(path, [&] { return parse(readFile(path)); });
}

std::string nameToString(const X509_NAME* name) {
    BioPtr out = newMemoryBio();
    if (X509_NAME_print_ex(out.get(), name, 0, kNameFlags) < 0)
        fail("cannot print a name");
    return bioContents(out.get());
}

TimePoint asn1TimeToTimePoint(const ASN1_TIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1)
        fail(ErrorCode::Malformed, "bad time in certificate");
    return fromTimeT(timegm(&tm));
}

std::string Certificate::subject() const {
    return nameToString(X509_get_subject_name(get()));
}
std::string Certificate::issuer() const {
    return nameToString(X509_get_issuer_name(get()));
}

std::vector<std::string> Certificate::subjectValues(int nid) const {
    std::vector<std::string> values;
    const X509_NAME* name = X509_get_subject_name(get());
    for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(name, nid, i)) {
        const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        unsigned char* utf8 = nullptr;
        const int length = ASN1_STRING_to_UTF8(&utf8, data);
        if (length < 0) {
            ERR_clear_error();
            continue;
        }
        OpenSslBytesPtr owned(utf8);
        values.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    }
    return values;
}

std::string Certificate::serialHex() const {
    BignumPtr bn(check(ASN1_INTEGER_to_BN(X509_get0_serialNumber(get()), nullptr), "bad serial number"));
    OpenSslStringPtr hex(check(BN_bn2hex(bn.get()), "out of memory"));
    return hex.get();
}

TimePoint Certificate::notBefore() const {
    return asn1TimeToTimePoint(X509_get0_notBefore(get()));
}
TimePoint Certificate::notAfter() const {
    return asn1TimeToTimePoint(X509_get0_notAfter(get()));
}

long Certificate::daysLeft(const Clock& clock) const {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(notAfter() - clock.now()).count();
    constexpr long kDay = 86400;
    // Rounded towards minus infinity: half a day left is 0, half a day past is -1.
    const long seconds = static_cast<long>(left);
    return seconds >= 0 ? seconds / kDay : -((-seconds + kDay - 1) / kDay);
}

std::string Certificate::sha256Fingerprint() const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    check(X509_digest(get(), EVP_sha256(), digest, &length), "cannot hash the certificate");
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        if (i > 0)
            out += ':';
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0F];
    }
    return out;
}

EvpPkeyPtr Certificate::publicKey() const {
    return EvpPkeyPtr(check(X509_get_pubkey(get()), "certificate without a readable public key"));
}

KeyInfo Certificate::keyInfo() const {
    return describeKey(X509_get0_pubkey(get()));
}

bool Certificate::isCa() const {
    return X509_check_ca(get()) != 0;
}

std::string Certificate::toPem() const {
    BioPtr out = newMemoryBio();
    check(PEM_write_bio_X509(out.get(), get()), "cannot write the certificate");
    return bioContents(out.get());
}

std::string Certificate::toDer() const {
    unsigned char* der = nullptr;
    const int length = i2d_X509(get(), &der);
    if (length < 0)
        fail("cannot encode the certificate");
    OpenSslBytesPtr owned(der);
    return std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
}

bool Certificate::operator==(const Certificate& other) const {
    return X509_cmp(get(), other.get()) == 0;
}

} // namespace cplink::crypto
