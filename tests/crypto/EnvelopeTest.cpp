// Sealed envelopes and receipts (DESIGN.md §4) with real OpenSSL, real test networks and the real
// `openssl cms` CLI for interoperability.
#include "crypto/Envelope.h"

#include "CryptoTestSupport.h"
#include "crypto/Cms.h"
#include "crypto/Error.h"
#include "crypto/Files.h"
#include "crypto/Receipt.h"

#include <filesystem>
#include <gtest/gtest.h>

using namespace cplink;
using crypto::OpenFailure;

namespace {

const std::string kA = "0300000100"; // 居宅介護支援事業所 (sender)
const std::string kB = "0300000005"; // 訪問介護 (recipient)
const std::string kC = "0300000009"; // a third office

// CRLF, bytes >= 0x80 (MS932) and a NUL: the payload must come back exactly, never canonicalised.
const std::string kPayload =
    std::string("202407,123456,\"\x8e\x52\x93\x63\x81\x40\x89\xd4\x8e\x71\",1000\r\n") +
    std::string("line two\nwith LF only\r\n", 23) + std::string(1, '\0') + "end";

crypto::MessageIdentity identityFor(const std::string& to, const std::string& file = "UPPLAN_test.CSV") {
    return {"01J9Z3N6Q4V8W2K5T7X0B1C3D4", kA, to, file};
}

struct Parties {
    explicit Parties(const crypto::KeySpec& key = crypto::KeySpec::ec())
        : a(net.office(kA, "さくら居宅", key)), b(net.office(kB, "ひまわり訪問介護", key)),
          c(net.office(kC, "つばさ", key)) {
        trust.addAnchor(net.ca().certificate());
    }
    std::string seal(const std::string& payload = kPayload, const std::string& to = kB) {
        const crypto::Identity& recipient = to == kB ? b : c;
        return crypto::seal({payload, identityFor(to), &a, {recipient.certificate()}});
    }
    crypto::OpenOptions as(const crypto::Identity& self,
                           crypto::OpenOptions::As role = crypto::OpenOptions::As::Recipient) {
        crypto::OpenOptions o;
        o.self = &self;
        o.trust = &trust;
        o.clock = &net.clock();
        o.as = role;
        return o;
    }
    test::Network net;
    crypto::Identity a, b, c;
    crypto::TrustStore trust;
};

// The whole inner SignedData (content attached), decrypted directly with OpenSSL: what an addressee
// holds for a moment and could forward. OpenedMessage::signedData keeps only its detached form.
std::string innerSignedData(const std::string& envelope, const crypto::Identity& self) {
    crypto::CmsPtr outer = crypto::cmsFromDer(envelope);
    crypto::BioPtr out(BIO_new(BIO_s_mem()));
    if (!outer ||
        CMS_decrypt(outer.get(), self.key(), self.certificate().get(), nullptr, out.get(), CMS_BINARY) != 1)
        throw std::runtime_error("test: cannot decrypt");
    return crypto::bioContents(out.get());
}

OpenFailure failureOf(const std::string& envelope, const crypto::OpenOptions& options) {
    try {
        crypto::open(envelope, options);
    } catch (const crypto::OpenError& e) {
        return e.failure();
    }
    ADD_FAILURE() << "envelope opened";
    return OpenFailure::Malformed;
}

} // namespace

class EnvelopeKeys : public ::testing::TestWithParam<bool> {};

TEST_P(EnvelopeKeys, RoundTripGivesTheExactBytesAndTheSignedIdentity) {
    Parties p(GetParam() ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    const std::string envelope = p.seal();
    const auto opened = crypto::open(envelope, p.as(p.b));
    EXPECT_EQ(opened.payload, kPayload);
    EXPECT_EQ(opened.identity, identityFor(kB));
    EXPECT_TRUE(opened.receiptRequested);
    EXPECT_EQ(opened.signer, p.a.certificate());
    // The envelope does not carry the payload in clear.
    EXPECT_EQ(envelope.find("line two"), std::string::npos);
}

TEST_P(EnvelopeKeys, TheSenderCanReopenItsOwnCopyButNotAsTheAddressee) {
    Parties p(GetParam() ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    const std::string envelope = p.seal();
    EXPECT_EQ(crypto::open(envelope, p.as(p.a, crypto::OpenOptions::As::Sender)).payload, kPayload);
    EXPECT_EQ(failureOf(envelope, p.as(p.a)), OpenFailure::WrongRecipient);
}

INSTANTIATE_TEST_SUITE_P(EcAndRsa, EnvelopeKeys, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "Rsa" : "Ec"; });

TEST(Envelope, AThirdOfficeIsNotAnAddressee) {
    Parties p;
    EXPECT_EQ(failureOf(p.seal(), p.as(p.c)), OpenFailure::NotAddressedToUs);
}

TEST(Envelope, EveryFlippedByteAndEveryTruncationIsRefusedOrChangesNothing) {
    Parties p;
    const std::string payload = std::string(3000, 'x') + kPayload;
    const std::string envelope = p.seal(payload);
    const auto options = p.as(p.b);
    const auto original = crypto::open(envelope, options);
    std::size_t refused = 0;
    std::size_t harmless = 0;
    // One byte in every region (headers, both recipient entries, algorithm parameters, IV, ciphertext,
    // tag). The sender's own entry is outside the GCM tag: a flip inside its wrapped key cannot change
    // what the addressee decrypts, so there the only acceptable alternative to refusal is an identical
    // result. Every other flip must be refused.
    for (std::size_t i = 0; i < envelope.size(); i += 3) {
        std::string tampered = envelope;
        tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
        try {
            const auto opened = crypto::open(tampered, options);
            EXPECT_EQ(opened.payload, original.payload) << "flipped byte " << i << " changed the payload";
            EXPECT_EQ(opened.identity, original.identity) << i;
            // The content region (the last bytes: ciphertext and tag) must never open when flipped.
            EXPECT_LT(i, envelope.size() - payload.size())
                << "flipped byte " << i << " in the content opened";
            ++harmless;
        } catch (const crypto::OpenError&) {
            ++refused;
        } catch (const crypto::CryptoError& e) {
            ADD_FAILURE() << "byte " << i << ": " << e.what();
        }
    }
    // The sender's entry is at most ~250 of ~5 KiB: nearly everything must be refused.
    EXPECT_GT(refused, harmless * 10) << refused << " refused, " << harmless << " opened unchanged";
    for (std::size_t cut = 0; cut < envelope.size(); cut += 11)
        EXPECT_THROW(crypto::open(envelope.substr(0, cut), options), crypto::OpenError) << cut;
    EXPECT_THROW(crypto::open(envelope + "x", options), crypto::OpenError);
}

TEST(Envelope, SignerChecksFollowTheTrustStoreAndTheClock) {
    Parties p;
    const std::string envelope = p.seal();

    crypto::TrustStore withCrl = p.trust;
    p.net.ca().revokeOffice(kA);
    withCrl.addCrl(p.net.ca().makeCrl());
    auto revoked = p.as(p.b);
    revoked.trust = &withCrl;
    EXPECT_EQ(failureOf(envelope, revoked), OpenFailure::SignerRevoked);

    p.net.clock().advance(400 * test::kDay); // the offices' certificates are valid for 365 days
    EXPECT_EQ(failureOf(envelope, p.as(p.b)), OpenFailure::SignerExpired);
}

TEST(Envelope, ASignerFromAnotherCaIsUntrusted) {
    Parties p;
    test::Network other;
    const auto stranger = other.office(kA, "なりすまし");
    const std::string envelope = crypto::seal({kPayload, identityFor(kB), &stranger, {p.b.certificate()}});
    EXPECT_EQ(failureOf(envelope, p.as(p.b)), OpenFailure::SignerUntrusted);
}

TEST(Envelope, ASignedMessageForwardedToAThirdOfficeIsRefused) {
    // B opens A's message and re-encrypts A's signed inner message to C: C must not accept it as its own.
    Parties p;
    const std::string inner = innerSignedData(p.seal(), p.b);
    auto bio = crypto::memoryBio(inner);
    crypto::CmsPtr outer(CMS_encrypt(nullptr, nullptr, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL));
    ASSERT_TRUE(outer);
    // Within the profile (ECDH with the SHA-256 KDF), so that only the forwarding itself is wrong.
    CMS_RecipientInfo* entry =
        CMS_add1_recipient_cert(outer.get(), p.c.certificate().get(), CMS_BINARY | CMS_KEY_PARAM);
    ASSERT_NE(entry, nullptr);
    ASSERT_GT(EVP_PKEY_CTX_set_ecdh_kdf_md(CMS_RecipientInfo_get0_pkey_ctx(entry), EVP_sha256()), 0);
    ASSERT_EQ(CMS_final(outer.get(), bio.get(), nullptr, CMS_BINARY), 1);
    EXPECT_EQ(failureOf(crypto::cmsToDer(outer.get()), p.as(p.c)), OpenFailure::WrongRecipient);
}

TEST(Envelope, SenderOfficeMustBeTheSignersOffice) {
    Parties p;
    auto claimed = identityFor(kB);
    claimed.senderOffice = kC; // A signs, but claims to be C
    const std::string envelope = crypto::seal({kPayload, claimed, &p.a, {p.b.certificate()}});
    EXPECT_EQ(failureOf(envelope, p.as(p.b)), OpenFailure::SenderMismatch);
}

TEST(Envelope, NotACmsStructureIsMalformed) {
    Parties p;
    for (const std::string& junk : {std::string(), std::string("UPPLAN,1,2\r\n"), std::string(100, '\x30')})
        EXPECT_EQ(failureOf(junk, p.as(p.b)), OpenFailure::Malformed);
}

TEST(Receipt, TheRecipientsReceiptVerifiesAgainstTheOriginal) {
    Parties p;
    const auto opened = crypto::open(p.seal(), p.as(p.b));
    const std::string receipt = crypto::makeReceipt(opened.signedData, p.b);
    const auto mine = crypto::open(p.seal(), p.as(p.a, crypto::OpenOptions::As::Sender)); // another message
    const auto check = crypto::verifyReceipt(receipt, opened.signedData, kB, p.trust, p.net.clock(), {});
    EXPECT_TRUE(check.ok) << check.detail;
    EXPECT_EQ(check.signerOffice, kB);
    // Bound to that message: the receipt does not confirm another one, nor come from another office.
    EXPECT_FALSE(crypto::verifyReceipt(receipt, mine.signedData, kB, p.trust, p.net.clock(), {}).ok);
    EXPECT_FALSE(crypto::verifyReceipt(receipt, opened.signedData, kC, p.trust, p.net.clock(), {}).ok);
    std::string tampered = receipt;
    tampered[tampered.size() / 2] = static_cast<char>(tampered[tampered.size() / 2] ^ 0x01);
    EXPECT_FALSE(crypto::verifyReceipt(tampered, opened.signedData, kB, p.trust, p.net.clock(), {}).ok);
}

// --- interoperability with the openssl CLI ------------------------------------------------------------

class EnvelopeInterop : public ::testing::TestWithParam<bool> {};

TEST_P(EnvelopeInterop, OpensslDecryptsAndVerifiesOurEnvelope) {
    Parties p(GetParam() ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    const auto& dir = p.net.dir();
    dir.write("env.der", p.seal());
    dir.write("b.pem", p.b.certificate().toPem());
    dir.write("b.key", crypto::plainPrivateKeyPem(p.b.key()));
    dir.write("ca.pem", p.net.ca().certificate().toPem());
    const auto path = [&](const char* name) {
        return p.net.path(name);
    };
    std::string log;
    ASSERT_EQ(test::openssl("cms -decrypt -binary -inform DER -in " + path("env.der") + " -recip " +
                                path("b.pem") + " -inkey " + path("b.key") + " -out " + path("inner.der"),
                            &log),
              0)
        << log;
    ASSERT_EQ(test::openssl("cms -verify -binary -inform DER -in " + path("inner.der") + " -CAfile " +
                                path("ca.pem") + " -purpose any -attime 1743465600 -out " +
                                path("payload.bin"),
                            &log),
              0)
        << log;
    EXPECT_EQ(crypto::readFile(path("payload.bin")), kPayload);
}

namespace {

// An AuthEnvelopedData made by `openssl cms -encrypt` around our inner SignedData (the CLI cannot add
// our signed identity attributes), to B and to A itself. `profileOptions` adds the key options of our
// profile (OAEP-SHA256 for RSA, a SHA-256 KDF for ECDH); without them the CLI uses its defaults.
std::string cliEnvelope(Parties& p, bool rsa, const std::string& cipher, bool profileOptions) {
    const auto& dir = p.net.dir();
    dir.write("inner.der", innerSignedData(p.seal(), p.b));
    dir.write("b.pem", p.b.certificate().toPem());
    dir.write("a.pem", p.a.certificate().toPem());
    const auto path = [&](const char* name) {
        return p.net.path(name);
    };
    std::string keyopts;
    if (profileOptions)
        keyopts = rsa ? " -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256"
                      : " -keyopt ecdh_kdf_md:sha256";
    std::string log;
    if (test::openssl("cms -encrypt -binary -" + cipher + " -in " + path("inner.der") +
                          " -outform DER -out " + path("env.der") + " -recip " + path("b.pem") + keyopts +
                          " -recip " + path("a.pem") + keyopts,
                      &log) != 0)
        throw std::runtime_error("openssl cms -encrypt failed: " + log);
    return crypto::readFile(path("env.der"));
}

} // namespace

TEST_P(EnvelopeInterop, OurCodeOpensAnEnvelopeTheOpensslCliEncrypted) {
    const bool rsa = GetParam();
    Parties p(rsa ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    const auto opened = crypto::open(cliEnvelope(p, rsa, "aes-256-gcm", true), p.as(p.b));
    EXPECT_EQ(opened.payload, kPayload);
    EXPECT_EQ(opened.identity, identityFor(kB));
}

TEST_P(EnvelopeInterop, OpensslVerifiesOurReceipt) {
    Parties p(GetParam() ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    const auto opened = crypto::open(p.seal(), p.as(p.b));
    const auto& dir = p.net.dir();
    dir.write("receipt.der", crypto::makeReceipt(opened.signedData, p.b));
    dir.write("original.der", opened.signedData);
    dir.write("ca.pem", p.net.ca().certificate().toPem());
    const auto path = [&](const char* name) {
        return p.net.path(name);
    };
    std::string log;
    EXPECT_EQ(test::openssl("cms -verify_receipt " + path("receipt.der") + " -rctform DER -in " +
                                path("original.der") + " -inform DER -CAfile " + path("ca.pem") +
                                " -purpose any -attime 1743465600",
                            &log),
              0)
        << log;
}

TEST_P(EnvelopeInterop, OpensslDefaultsOutsideTheProfileAreRefused) {
    // Without the options, `openssl cms -encrypt` uses RSA PKCS#1 v1.5 or a SHA-1 KDF: not our profile.
    const bool rsa = GetParam();
    Parties p(rsa ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    EXPECT_EQ(failureOf(cliEnvelope(p, rsa, "aes-256-gcm", false), p.as(p.b)), OpenFailure::WeakAlgorithm);
}

TEST_P(EnvelopeInterop, AnotherContentCipherIsRefusedEvenWithTheProfilesKeyOptions) {
    const bool rsa = GetParam();
    Parties p(rsa ? crypto::KeySpec::rsa(2048) : crypto::KeySpec::ec());
    EXPECT_EQ(failureOf(cliEnvelope(p, rsa, "aes-128-gcm", true), p.as(p.b)), OpenFailure::WeakAlgorithm);
    // The file API takes the same decision.
    const auto& dir = p.net.dir();
    dir.write("weak.der", cliEnvelope(p, rsa, "aes-192-gcm", true));
    try {
        crypto::openFile(p.net.path("weak.der"), p.net.path("out.csv"), p.as(p.b));
        ADD_FAILURE() << "opened";
    } catch (const crypto::OpenError& e) {
        EXPECT_EQ(e.failure(), OpenFailure::WeakAlgorithm);
    }
    EXPECT_FALSE(std::filesystem::exists(p.net.path("out.csv")));
}

INSTANTIATE_TEST_SUITE_P(EcAndRsa, EnvelopeInterop, ::testing::Values(false, true),
                         [](const auto& param) { return param.param ? "Rsa" : "Ec"; });
