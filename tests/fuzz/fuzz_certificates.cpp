// Throws arbitrary bytes at everything that reads certificates from outside: Certificate::parse
// (PEM or DER), Certificate::allFromPem, Crl::parse and importPkcs12 (password "fuzz", validity not
// checked, as `cert show` does), then every accessor of what parsed, the office number under each
// kind of policy and a chain check with the certificate as its own anchor. CryptoError is the expected
// outcome; any other exception, a crash, a leak or a sanitizer report is a bug.
#include "crypto/Certificate.h"
#include "crypto/Crl.h"
#include "crypto/Error.h"
#include "crypto/OfficeNumberPolicy.h"
#include "crypto/Pkcs12.h"
#include "crypto/TrustStore.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <openssl/objects.h>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace cplink::crypto;

[[noreturn]] void bug(const std::string& what) {
    std::fprintf(stderr, "fuzz_certificates: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

const std::vector<OfficeNumberPolicy>& policies() {
    static const auto* const all = new std::vector<OfficeNumberPolicy>{
        OfficeNumberPolicy::parse("serialNumber"), OfficeNumberPolicy::parse("CN"),
        OfficeNumberPolicy::parse("OU"), OfficeNumberPolicy::parse("regex:CN=[^,]*\\(([0-9]{10})\\)"),
        OfficeNumberPolicy::parse("regex:[0-9]{10}")};
    return *all;
}

// Runs one reader; CryptoError is a refusal, anything else escapes to the caller.
template <typename F> void attempt(F&& read) {
    try {
        read();
    } catch (const CryptoError&) {
    }
}

void inspect(const Certificate& certificate, const Clock& clock) {
    attempt([&] { (void)certificate.subject(); });
    attempt([&] { (void)certificate.issuer(); });
    attempt([&] { (void)certificate.subjectValues(NID_commonName); });
    attempt([&] { (void)certificate.serialHex(); });
    attempt([&] {
        (void)certificate.notBefore();
        (void)certificate.isValidAt(clock.now());
        (void)certificate.daysLeft(clock);
    });
    attempt([&] { (void)certificate.sha256Fingerprint(); });
    attempt([&] { (void)certificate.keyInfo(); });
    attempt([&] { (void)certificate.publicKey(); });
    (void)certificate.isCa();
    attempt([&] {
        // What we parsed we can write, and read back as the same certificate.
        if (!(Certificate::parse(certificate.toPem()) == certificate) ||
            !(Certificate::parse(certificate.toDer()) == certificate))
            bug("a parsed certificate does not survive writing and reading");
    });
    for (const auto& policy : policies()) {
        attempt([&] {
            const auto office = policy.officeNumber(certificate);
            if (office && !isOfficeNumber(*office))
                bug("office number '" + *office + "' is not ten digits");
        });
    }
    attempt([&] {
        TrustStore trust;
        trust.addAnchor(certificate);
        (void)trust.verify(certificate, clock);
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // 2027-06-01T00:00:00Z: inside the validity of every committed seed, so chain checks go all the way.
    static const FixedClock clock(fromTimeT(1811808000));
    static const Secret password("fuzz");
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        attempt([&] { inspect(Certificate::parse(bytes), clock); });
        attempt([&] {
            for (const auto& certificate : Certificate::allFromPem(bytes))
                inspect(certificate, clock);
        });
        attempt([&] {
            const Crl crl = Crl::parse(bytes);
            attempt([&] { (void)crl.issuer(); });
            attempt([&] { (void)crl.lastUpdate(); });
            attempt([&] { (void)crl.nextUpdate(); });
            (void)crl.revokedCount();
            attempt([&] { (void)crl.isRevoked("7FFFFFFF"); });
            attempt([&] { (void)crl.toPem(); });
        });
        attempt([&] {
            const Identity identity = importPkcs12(bytes, password, clock, ValidityCheck::Skip);
            inspect(identity.certificate(), clock);
            for (const auto& certificate : identity.chain())
                inspect(certificate, clock);
        });
    } catch (const std::exception& e) {
        bug(std::string("unexpected exception: ") + e.what());
    }
    return 0;
}
