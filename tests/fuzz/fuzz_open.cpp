// Throws arbitrary bytes at the receiving side of an exchange: crypto::open as office 0300000005 (an EC
// and an RSA certificate of that office, so both key agreement and key transport recipient entries are
// parsed), crypto::openFile on the same bytes as a file, and crypto::verifyReceipt of the bytes as a
// receipt for one fixed, valid SignedData. OpenError is the expected outcome of open and a ReceiptCheck
// with ok = false that of verifyReceipt; any other exception, a crash, a leak or a sanitizer report is a
// bug. So are: open and openFile disagreeing (one opens, the other refuses, or they refuse for different
// reasons, or they give different bytes or identities), a refused openFile leaving anything behind, and an
// envelope that opens without keeping the promises of Envelope.h (signed for us, sender = signer's
// office) or without our receipt for it verifying.
//
// The test network (a TestCa at a fixed time, offices 0300000100 and 0300000005) is made once per
// process, with fresh random keys: seeds made by another process would not decrypt. So the seeds are
// written by the fuzzing process itself: with CPLINK_FUZZ_WRITE_SEEDS=DIR set, LLVMFuzzerInitialize
// writes real envelopes and receipts of this process's network into DIR before libFuzzer reads its
// corpus directories; pass the same DIR as the corpus (see README.md and scripts/test.sh).
#include "crypto/Cms.h"
#include "crypto/Envelope.h"
#include "crypto/Error.h"
#include "crypto/Files.h"
#include "crypto/Receipt.h"
#include "crypto/TestCa.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace cplink::crypto;

const std::string kSender = "0300000100"; // 居宅介護支援事業所
const std::string kSelf = "0300000005";   // 訪問介護: every input is opened as this office
const std::string kOther = "0300000009";  // a third office, only named in signed identities

[[noreturn]] void bug(const std::string& what) {
    std::fprintf(stderr, "fuzz_open: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

MessageIdentity identity(const std::string& from, const std::string& to, const std::string& file) {
    return {"01J9Z3N6Q4V8W2K5T7X0B1C3D4", from, to, file};
}

// CRLF, MS932 bytes and a NUL: what a real care-plan CSV file looks like to the envelope.
std::string payload(std::size_t padding) {
    return std::string("202504,0300000100,\"\x8e\x52\x93\x63\x81\x40\x89\xd4\x8e\x71\",1000\r\n") +
           std::string(padding, 'x') + std::string(1, '\0') + "\r\n";
}

class Network {
public:
    Network()
        : m_clock(fromTimeT(1743465600)), // 2025-04-01T00:00:00Z, as the crypto tests
          m_directory(makeDirectory()),
          m_ca(TestCa::create(m_directory + "/ca", "Fuzz CA", KeySpec::ec(), m_clock)),
          m_sender(m_ca.issueOffice({kSender, "さくら居宅", KeySpec::ec(), 365})),
          m_selfEc(m_ca.issueOffice({kSelf, "ひまわり訪問介護", KeySpec::ec(), 365})),
          m_selfRsa(m_ca.issueOffice({kSelf, "ひまわり訪問介護", KeySpec::rsa(2048), 365})) {
        m_trust.addAnchor(m_ca.certificate());
        m_trust.addCrl(m_ca.makeCrl()); // an (empty) CRL, so the CRL checks run as in a real network
        const OpenedMessage opened =
            open(seal(m_selfEc, identity(kSender, kSelf, "UPPLAN_fuzz.CSV"), 64), m_selfEc);
        m_original = opened.signedData; // detached: what receipts are checked against
        m_inner = decryptDirectly(seal(m_selfEc, identity(kSender, kSelf, "UPPLAN_fuzz.CSV"), 64));
        // The CA is not needed once the identities exist; openFile works in an empty directory of its
        // own, removed at exit.
        std::error_code ignored;
        std::filesystem::remove_all(m_directory + "/ca", ignored);
        std::filesystem::create_directory(m_directory + "/open");
    }

    std::string envelopePath() const { return m_directory + "/envelope.der"; }
    std::string outputDirectory() const { return m_directory + "/open"; }
    std::string outputPath() const { return m_directory + "/open/UPPLAN.CSV"; }
    void removeDirectory() const {
        std::error_code ignored;
        std::filesystem::remove_all(m_directory, ignored);
    }

    const Identity& selfEc() const { return m_selfEc; }
    const Identity& selfRsa() const { return m_selfRsa; }
    const TrustStore& trust() const { return m_trust; }
    const Clock& clock() const { return m_clock; }
    const std::string& original() const { return m_original; }

    OpenOptions as(const Identity& self) const {
        OpenOptions options;
        options.self = &self;
        options.trust = &m_trust;
        options.clock = &m_clock;
        return options;
    }

    OpenedMessage open(const std::string& envelope, const Identity& self) const {
        return cplink::crypto::open(envelope, as(self));
    }

    std::string seal(const Identity& to, const MessageIdentity& id, std::size_t padding) const {
        return cplink::crypto::seal({payload(padding), id, &m_sender, {to.certificate()}});
    }

    // Real envelopes and receipts, each reaching a different stage of open / verifyReceipt.
    std::vector<std::pair<std::string, std::string>> seeds() const {
        std::vector<std::pair<std::string, std::string>> out;
        out.emplace_back("envelope-ec", seal(m_selfEc, identity(kSender, kSelf, "UPPLAN_fuzz.CSV"), 16));
        out.emplace_back("envelope-ec-2k", seal(m_selfEc, identity(kSender, kSelf, "UP2KYO_fuzz.CSV"), 2048));
        out.emplace_back("envelope-rsa", seal(m_selfRsa, identity(kSender, kSelf, "UPPLAN_fuzz.CSV"), 16));
        // Signed for a third office (a forwarded message) and claiming another sender: refused late.
        out.emplace_back("envelope-wrong-recipient",
                         seal(m_selfEc, identity(kSender, kOther, "UPPLAN.CSV"), 16));
        out.emplace_back("envelope-sender-mismatch",
                         seal(m_selfEc, identity(kOther, kSelf, "UPPLAN.CSV"), 16));
        out.emplace_back("envelope-one-recipient", oneRecipientEnvelope());
        out.emplace_back("signeddata", m_inner);
        out.emplace_back("signeddata-detached", m_original);
        out.emplace_back("receipt", makeReceipt(m_original, m_selfEc));
        out.emplace_back("receipt-rsa", makeReceipt(m_original, m_selfRsa));
        out.emplace_back("receipt-from-sender", makeReceipt(m_original, m_sender));
        return out;
    }

private:
    static std::string makeDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "cplink-fuzz-open-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            bug("cannot create a temporary directory");
        return pattern;
    }

    // The attached inner SignedData of an envelope, decrypted by OpenSSL alone (as an addressee could).
    std::string decryptDirectly(const std::string& envelope) const {
        CmsPtr outer = cmsFromDer(envelope);
        BioPtr out(BIO_new(BIO_s_mem()));
        if (!outer || !out ||
            CMS_decrypt(outer.get(), m_selfEc.key(), m_selfEc.certificate().get(), nullptr, out.get(),
                        CMS_BINARY) != 1)
            bug("cannot decrypt our own envelope");
        return bioContents(out.get());
    }

    // The valid inner SignedData in an AuthEnvelopedData made without the sender's own entry.
    std::string oneRecipientEnvelope() const {
        auto in = memoryBio(m_inner);
        CmsPtr cms(CMS_encrypt(nullptr, nullptr, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL));
        if (!cms || !CMS_add1_recipient_cert(cms.get(), m_selfEc.certificate().get(), CMS_BINARY) ||
            CMS_final(cms.get(), in.get(), nullptr, CMS_BINARY) != 1)
            bug("cannot make the one-recipient seed");
        return cmsToDer(cms.get());
    }

    FixedClock m_clock;
    std::string m_directory;
    TestCa m_ca;
    Identity m_sender;
    Identity m_selfEc;
    Identity m_selfRsa;
    TrustStore m_trust;
    std::string m_original;
    std::string m_inner;
};

const Network& network() {
    // Never destroyed: libFuzzer may exit from any thread at any time, and LeakSanitizer does not
    // count memory still reachable from a static.
    static const Network* const instance = [] {
        const Network* created = new Network();
        std::atexit([] { network().removeDirectory(); });
        return created;
    }();
    return *instance;
}

void writeSeeds(const std::string& directory) {
    std::filesystem::create_directories(directory);
    for (const auto& [name, bytes] : network().seeds()) {
        std::ofstream out(std::filesystem::path(directory) / (name + ".der"), std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            bug("cannot write seed " + name);
    }
    std::fprintf(stderr, "fuzz_open: seeds written to %s\n", directory.c_str());
}

// What Envelope.h promises of every envelope that opens.
void checkOpened(const OpenedMessage& opened, const Identity& self) {
    const Network& net = network();
    if (opened.identity.recipientOffice != kSelf)
        bug("opened a message signed for " + opened.identity.recipientOffice);
    const auto signerOffice = OfficeNumberPolicy().officeNumber(opened.signer);
    if (!signerOffice || *signerOffice != opened.identity.senderOffice)
        bug("opened a message whose signed sender is not the signer's office");
    if (!net.trust().verify(opened.signer, net.clock()).ok())
        bug("opened a message from an untrusted signer");
    if (opened.receiptRequested) {
        const ReceiptCheck check = verifyReceipt(makeReceipt(opened.signedData, self), opened.signedData,
                                                 kSelf, net.trust(), net.clock(), {});
        if (!check.ok)
            bug("our receipt for an opened message does not verify: " + check.detail);
    }
}

std::string describe(const std::optional<OpenFailure>& failure) {
    return failure ? toString(*failure) : "opened";
}

void tryOpen(const std::string& envelope, const Identity& self) {
    const Network& net = network();
    const OpenOptions options = net.as(self);

    std::optional<OpenedMessage> inMemory;
    std::optional<OpenFailure> memoryFailure;
    try {
        inMemory = open(envelope, options);
    } catch (const OpenError& e) {
        memoryFailure = e.failure(); // the expected outcome for almost every input
    }

    {
        std::ofstream file(net.envelopePath(), std::ios::binary | std::ios::trunc);
        file.write(envelope.data(), static_cast<std::streamsize>(envelope.size()));
        if (!file)
            bug("cannot write the envelope file");
    }
    std::optional<OpenedMessage> fromFile;
    std::optional<OpenFailure> fileFailure;
    try {
        fromFile = openFile(net.envelopePath(), net.outputPath(), options);
    } catch (const OpenError& e) {
        fileFailure = e.failure();
    }
    // Both must refuse or both accept. openFile splits each layer from its content before OpenSSL sees
    // it (CmsSplit.h) and refuses some odd encodings as Malformed where open() finds another reason
    // first; any other difference in the reason is a bug.
    const bool bothRefuseAsMalformedFile = memoryFailure && fileFailure == OpenFailure::Malformed;
    if (memoryFailure != fileFailure && !bothRefuseAsMalformedFile)
        bug("open: " + describe(memoryFailure) + ", openFile: " + describe(fileFailure));

    if (fileFailure) {
        // Refused: nothing may remain next to the output, not even a temporary file.
        if (!std::filesystem::is_empty(net.outputDirectory()))
            bug("a refused openFile left files behind");
        return;
    }
    const std::string written = readFile(net.outputPath());
    std::filesystem::remove(net.outputPath());
    if (!std::filesystem::is_empty(net.outputDirectory()))
        bug("openFile left temporary files behind");
    if (written != inMemory->payload || fromFile->identity != inMemory->identity ||
        !(fromFile->signer == inMemory->signer) || fromFile->signedData != inMemory->signedData ||
        fromFile->receiptRequested != inMemory->receiptRequested)
        bug("open and openFile opened the same envelope differently");
    checkOpened(*inMemory, self);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    try {
        network();
        if (const char* directory = std::getenv("CPLINK_FUZZ_WRITE_SEEDS");
            directory != nullptr && *directory)
            writeSeeds(directory);
    } catch (const std::exception& e) {
        bug(std::string("setup failed: ") + e.what());
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Network& net = network();
    const std::string input(reinterpret_cast<const char*>(data), size);
    try {
        tryOpen(input, net.selfEc());
        tryOpen(input, net.selfRsa());
        const ReceiptCheck check = verifyReceipt(input, net.original(), kSelf, net.trust(), net.clock(), {});
        if (check.ok && check.signerOffice != kSelf)
            bug("a receipt verified for office " + check.signerOffice);
    } catch (const std::exception& e) {
        bug(std::string("unexpected exception: ") + e.what());
    }
    return 0;
}
