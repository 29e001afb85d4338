#include "TestCa.h"

#include "CertificateBuilder.h"
#include "Error.h"
#include "Files.h"
#include "OfficeNumberPolicy.h"

#include <filesystem>
#include <openssl/err.h>
#include <sstream>

namespace cplink::crypto {

namespace {

constexpr const char* kCertificateFile = "ca.pem";
constexpr const char* kKeyFile = "ca-key.pem";
constexpr const char* kIndexFile = "index.tsv";
constexpr const char* kCrlNumberFile = "crlnumber";
constexpr const char* kIndexHeader = "# status\tserial\tkind\tholder\tnotAfter\trevokedAt\tsubject\n";

TimePoint plusDays(TimePoint t, int days) {
    return t + std::chrono::hours(24) * days;
}

// Index fields are tab-separated: names with control characters would break the file (and have no
// place in a certificate subject anyway).
void requirePlainText(const std::string& value, const char* what) {
    if (value.empty())
        throw CryptoError(ErrorCode::Usage, std::string(what) + " must not be empty");
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F)
            throw CryptoError(ErrorCode::Usage, std::string(what) + " must not contain control characters");
    }
}

void requireDays(int days) {
    if (days < 1 || days > 100 * 365)
        throw CryptoError(ErrorCode::Usage, "validity must be between 1 and 36500 days");
}

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = line.find(separator, start);
        fields.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            return fields;
        start = end + 1;
    }
}

} // namespace

TestCa::TestCa(std::string directory, Certificate certificate, EvpPkeyPtr key, const Clock& clock)
    : m_directory(std::move(directory)), m_certificate(std::move(certificate)), m_key(std::move(key)),
      m_clock(&clock) {
}

std::string TestCa::path(const char* name) const {
    return (std::filesystem::path(m_directory) / name).string();
}

TestCa TestCa::create(const std::string& directory, const std::string& name, const KeySpec& keySpec,
                      const Clock& clock, int days) {
    requirePlainText(name, "the CA name");
    requireDays(days);
    if (std::filesystem::exists(std::filesystem::path(directory) / kCertificateFile))
        throw CryptoError(ErrorCode::Usage, directory + " already holds a CA");
    makePrivateDirectory(directory);
    makePrivateDirectory((std::filesystem::path(directory) / "certs").string());

    EvpPkeyPtr key = generateKey(keySpec);
    const TimePoint now = clock.now();
    CertificateTemplate tmpl;
    tmpl.subject = {{NID_organizationName, name}, {NID_commonName, name}};
    tmpl.notBefore = now;
    tmpl.notAfter = plusDays(now, days);
    tmpl.extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                       {NID_key_usage, "critical,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"}};
    const Asn1IntegerPtr serial = randomSerial();
    Certificate certificate = signCertificate(tmpl, key.get(), serial.get(), nullptr, key.get());

    TestCa ca(directory, std::move(certificate), std::move(key), clock);
    // Key first: a directory with ca.pem but no key would look like a CA and be useless.
    writeFileAtomic(ca.path(kKeyFile), plainPrivateKeyPem(ca.m_key.get()), 0600);
    writeFileAtomic(ca.path(kIndexFile), kIndexHeader, 0600);
    writeFileAtomic(ca.path(kCrlNumberFile), "1\n", 0600);
    writeFileAtomic(ca.path(kCertificateFile), ca.m_certificate.toPem(), 0600);
    return ca;
}

TestCa TestCa::open(const std::string& directory, const Clock& clock) {
    const auto file = [&](const char* name) {
        return (std::filesystem::path(directory) / name).string();
    };
    if (!std::filesystem::exists(file(kCertificateFile)))
        throw CryptoError(ErrorCode::Io, directory + " is not a CA directory (no " + kCertificateFile + ")");
    Certificate certificate = Certificate::load(file(kCertificateFile));
    EvpPkeyPtr key = readPrivateKeyPem(readFile(file(kKeyFile)), Secret());
    if (X509_check_private_key(certificate.get(), key.get()) != 1) {
        ERR_clear_error();
        throw CryptoError(ErrorCode::KeyMismatch, directory + ": the CA key does not match ca.pem");
    }
    return TestCa(directory, std::move(certificate), std::move(key), clock);
}

Identity TestCa::issueOffice(const OfficeCertificateRequest& request) {
    if (!isOfficeNumber(request.officeNumber))
        throw CryptoError(ErrorCode::Usage, "an office number has exactly ten digits");
    requirePlainText(request.name, "the office name");
    const bool rsa = request.key.algorithm == KeyAlgorithm::Rsa;
    return issue({{NID_serialNumber, request.officeNumber},
                  {NID_organizationName, request.name},
                  {NID_commonName, request.name}},
                 request.key, request.days,
                 {{NID_basic_constraints, "critical,CA:FALSE"},
                  // RSA transports the content key (keyEncipherment); EC agrees on it (keyAgreement).
                  {NID_key_usage, rsa ? "critical,digitalSignature,keyEncipherment"
                                      : "critical,digitalSignature,keyAgreement"},
                  {NID_ext_key_usage, "clientAuth,emailProtection"}},
                 IssuedKind::Office, request.officeNumber);
}

Identity TestCa::issueServer(const ServerCertificateRequest& request) {
    requirePlainText(request.host, "the host name");
    if (request.host.find_first_of(", ") != std::string::npos)
        throw CryptoError(ErrorCode::Usage, "a host name has no commas or spaces");
    std::string san = "DNS:" + request.host;
    for (const auto& ip : request.ips) {
        if (ip.find_first_of(", ") != std::string::npos)
            throw CryptoError(ErrorCode::Usage, "bad IP address '" + ip + "'");
        san += ",IP:" + ip;
    }
    const bool rsa = request.key.algorithm == KeyAlgorithm::Rsa;
    return issue(
        {{NID_commonName, request.host}}, request.key, request.days,
        {{NID_basic_constraints, "critical,CA:FALSE"},
         {NID_key_usage, rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"},
         {NID_ext_key_usage, "serverAuth"},
         {NID_subject_alt_name, san}},
        IssuedKind::Server, request.host);
}

Identity TestCa::issue(const std::vector<std::pair<int, std::string>>& subject, const KeySpec& keySpec,
                       int days, std::vector<std::pair<int, std::string>> extensions, IssuedKind kind,
                       const std::string& holder) {
    requireDays(days);
    EvpPkeyPtr key = generateKey(keySpec);
    const TimePoint now = m_clock->now();
    CertificateTemplate tmpl;
    tmpl.subject = subject;
    tmpl.notBefore = now;
    tmpl.notAfter = plusDays(now, days);
    tmpl.extensions = std::move(extensions);
    tmpl.extensions.emplace_back(NID_subject_key_identifier, "hash");
    tmpl.extensions.emplace_back(NID_authority_key_identifier, "keyid:always");

    auto entries = issued();
    Asn1IntegerPtr serial = randomSerial();
    Certificate certificate = signCertificate(tmpl, key.get(), serial.get(), &m_certificate, m_key.get());
    for (const auto& e : entries) {
        if (e.serialHex == certificate.serialHex())
            throw CryptoError(ErrorCode::Failure, "serial number collision; issue again");
    }

    writeFileAtomic(
        (std::filesystem::path(m_directory) / "certs" / (certificate.serialHex() + ".pem")).string(),
        certificate.toPem(), 0600);
    entries.push_back({false, certificate.serialHex(), kind, holder, certificate.notAfter(), std::nullopt,
                       certificate.subject()});
    writeIndex(entries);
    return Identity(std::move(certificate), std::move(key), {m_certificate});
}

int TestCa::revokeOffice(const std::string& officeNumber) {
    auto entries = issued();
    int count = 0;
    const TimePoint now = m_clock->now();
    for (auto& e : entries) {
        if (e.kind == IssuedKind::Office && e.holder == officeNumber && !e.revoked) {
            e.revoked = true;
            e.revokedAt = now;
            ++count;
        }
    }
    if (count > 0)
        writeIndex(entries);
    return count;
}

Crl TestCa::makeCrl(int days) {
    requireDays(days);
    const TimePoint now = m_clock->now();
    X509CrlPtr crl(check(X509_CRL_new(), "out of memory"));
    check(X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2), "cannot set the CRL version");
    check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(m_certificate.get())),
          "cannot set the CRL issuer");
    const Asn1TimePtr lastUpdate = toAsn1Time(now);
    const Asn1TimePtr nextUpdate = toAsn1Time(now + std::chrono::hours(24) * days);
    check(X509_CRL_set1_lastUpdate(crl.get(), lastUpdate.get()), "cannot set lastUpdate");
    check(X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()), "cannot set nextUpdate");

    for (const auto& e : issued()) {
        if (!e.revoked)
            continue;
        X509RevokedPtr revoked(check(X509_REVOKED_new(), "out of memory"));
        BIGNUM* raw = nullptr;
        if (BN_hex2bn(&raw, e.serialHex.c_str()) == 0)
            throw CryptoError(ErrorCode::Malformed, "bad serial '" + e.serialHex + "' in " + kIndexFile);
        const BignumPtr bn(raw);
        const Asn1IntegerPtr serial(check(BN_to_ASN1_INTEGER(bn.get(), nullptr), "out of memory"));
        const Asn1TimePtr when = toAsn1Time(e.revokedAt.value_or(now));
        check(X509_REVOKED_set_serialNumber(revoked.get(), serial.get()), "cannot set a revoked serial");
        check(X509_REVOKED_set_revocationDate(revoked.get(), when.get()), "cannot set a revocation date");
        check(X509_CRL_add0_revoked(crl.get(), revoked.get()), "cannot add a revoked certificate");
        revoked.release(); // owned by the CRL now (add0)
    }

    long number = 1;
    try {
        number = std::stol(readFile(path(kCrlNumberFile)));
    } catch (const std::logic_error&) {
        throw CryptoError(ErrorCode::Malformed, path(kCrlNumberFile) + " does not hold a number");
    }
    const Asn1IntegerPtr crlNumber(check(ASN1_INTEGER_new(), "out of memory"));
    check(ASN1_INTEGER_set(crlNumber.get(), number), "cannot set the CRL number");
    check(X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crlNumber.get(), 0, 0),
          "cannot add the CRL number");
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, m_certificate.get(), nullptr, nullptr, crl.get(), 0);
    X509ExtensionPtr aki(check(
        X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"), "cannot add AKI"));
    check(X509_CRL_add_ext(crl.get(), aki.get(), -1), "cannot add AKI");
    check(X509_CRL_sort(crl.get()), "cannot sort the CRL");
    if (X509_CRL_sign(crl.get(), m_key.get(), EVP_sha256()) <= 0)
        fail("cannot sign the CRL");
    writeFileAtomic(path(kCrlNumberFile), std::to_string(number + 1) + "\n", 0600);
    return Crl(std::move(crl));
}

std::vector<IssuedCertificate> TestCa::issued() const {
    std::vector<IssuedCertificate> entries;
    std::istringstream in(readFile(path(kIndexFile)));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const auto f = split(line, '\t');
        if (f.size() != 7 || (f[0] != "V" && f[0] != "R") || (f[2] != "office" && f[2] != "server"))
            throw CryptoError(ErrorCode::Malformed, path(kIndexFile) + ": bad line '" + line + "'");
        IssuedCertificate e;
        e.revoked = f[0] == "R";
        e.serialHex = f[1];
        e.kind = f[2] == "office" ? IssuedKind::Office : IssuedKind::Server;
        e.holder = f[3];
        try {
            e.notAfter = fromTimeT(static_cast<std::time_t>(std::stoll(f[4])));
            if (f[5] != "-")
                e.revokedAt = fromTimeT(static_cast<std::time_t>(std::stoll(f[5])));
        } catch (const std::logic_error&) {
            throw CryptoError(ErrorCode::Malformed, path(kIndexFile) + ": bad time in line '" + line + "'");
        }
        e.subject = f[6];
        entries.push_back(std::move(e));
    }
    return entries;
}

void TestCa::writeIndex(const std::vector<IssuedCertificate>& entries) const {
    std::string text = kIndexHeader;
    for (const auto& e : entries) {
        text += e.revoked ? "R" : "V";
        text += '\t' + e.serialHex + '\t' + (e.kind == IssuedKind::Office ? "office" : "server") + '\t' +
                e.holder;
        text += '\t' + std::to_string(toTimeT(e.notAfter)) + '\t';
        text += e.revokedAt ? std::to_string(toTimeT(*e.revokedAt)) : std::string("-");
        text += '\t' + e.subject + '\n';
    }
    writeFileAtomic(path(kIndexFile), text, 0600);
}

} // namespace cplink::crypto
