#include "EnvelopeCommands.h"

#include "CryptoCliSupport.h"
#include "crypto/Envelope.h"
#include "crypto/Files.h"
#include "crypto/Pkcs12.h"
#include "crypto/Receipt.h"

#include <CLI/CLI.hpp>
#include <ostream>

namespace cplink::cli {
namespace {

void addOfficeOptions(CLI::App* cmd, OfficeOptions& o, bool needsTrust) {
    cmd->add_option("--identity", o.identity, "Our office identity (PKCS#12)")->required();
    cmd->add_option("--password-file", o.passwordFile, "File with the PKCS#12 password")->required();
    auto* trust = cmd->add_option("--trust", o.trust, "Trust anchor(s) of the network (PEM)");
    if (needsTrust)
        trust->required();
    cmd->add_option("--crl", o.crls, "CRL file(s)");
    cmd->add_option("--office-number-from", o.officeNumberFrom, "Where certificates carry the office number");
}

crypto::Identity loadIdentity(const OfficeOptions& o, const crypto::Clock& clock) {
    return crypto::loadPkcs12(o.identity, crypto::readPasswordFile(o.passwordFile), clock);
}

std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

crypto::OpenOptions openOptionsFor(const crypto::Identity& self, const crypto::TrustStore& trust,
                                   const crypto::Clock& clock, const OfficeOptions& o, bool asSender) {
    crypto::OpenOptions options;
    options.self = &self;
    options.trust = &trust;
    options.clock = &clock;
    options.policy = crypto::OfficeNumberPolicy::parse(o.officeNumberFrom);
    options.as = asSender ? crypto::OpenOptions::As::Sender : crypto::OpenOptions::As::Recipient;
    return options;
}

} // namespace

void addEnvelopeCommands(CLI::App& app, SealOptions& seal, OpenOptions& open, ReceiptVerifyOptions& receipt) {
    auto* s = app.add_subcommand("seal", "Sign a file and encrypt it for the recipient office");
    addOfficeOptions(s, seal.office, false);
    s->add_option("--to", seal.to, "The recipient office's certificate")->required();
    s->add_option("--id", seal.id, "Message id (default: a new random id)");
    s->add_option("--name", seal.name, "File name to sign (default: the input's name)");
    s->add_option("input", seal.input, "File to seal")->required();
    s->add_option("output", seal.output, "Envelope to write")->required();

    auto* o =
        app.add_subcommand("open", "Decrypt and verify an envelope; write the file only if it verifies");
    addOfficeOptions(o, open.office, true);
    o->add_flag("--as-sender", open.asSender, "Reopen an envelope we sent");
    o->add_option("--receipt", open.receiptOut, "Also write a signed receipt here");
    o->add_option("input", open.input, "Envelope")->required();
    o->add_option("output", open.output, "File to write")->required();

    auto* r = app.add_subcommand("receipt", "Signed receipts");
    r->require_subcommand(1);
    auto* v = r->add_subcommand("verify", "Check a receipt against the envelope we sent");
    addOfficeOptions(v, receipt.office, true);
    v->add_option("--envelope", receipt.envelope, "The envelope we sent")->required();
    v->add_option("receipt", receipt.receipt, "The receipt")->required();
}

int runSeal(const SealOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    try {
        const auto self = loadIdentity(options.office, clock);
        const auto policy = crypto::OfficeNumberPolicy::parse(options.office.officeNumberFrom);
        const auto recipient = crypto::Certificate::load(options.to);
        const crypto::MessageIdentity identity{options.id.empty() ? crypto::newMessageId() : options.id,
                                               policy.requireOfficeNumber(self.certificate()),
                                               policy.requireOfficeNumber(recipient),
                                               options.name.empty() ? baseName(options.input) : options.name};
        crypto::sealFile(options.input, options.output, identity, self, {recipient});
        out << "sealed " << identity.fileName << " id " << identity.messageId << " " << identity.senderOffice
            << " -> " << identity.recipientOffice << "\n";
        return 0;
    } catch (const crypto::CryptoError& e) {
        return reportError("seal", e, err);
    }
}

int runOpen(const OpenOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    try {
        const auto self = loadIdentity(options.office, clock);
        const auto trust = crypto::TrustStore::fromFiles(options.office.trust, options.office.crls);
        // The file first, durably (openFile commits it only when everything verified); the receipt only
        // for a stored file (DESIGN.md §6).
        const auto opened =
            crypto::openFile(options.input, options.output,
                             openOptionsFor(self, trust, clock, options.office, options.asSender));
        if (!options.receiptOut.empty())
            crypto::writeFileAtomic(options.receiptOut, crypto::makeReceipt(opened.signedData, self), 0644);
        out << "verified sender " << opened.identity.senderOffice << " file " << opened.identity.fileName
            << " id " << opened.identity.messageId << "\n";
        return 0;
    } catch (const crypto::OpenError& e) {
        err << "cplink open: refused: " << e.what() << " (nothing written)\n";
        return 1;
    } catch (const crypto::CryptoError& e) {
        return reportError("open", e, err);
    }
}

int runReceiptVerify(const ReceiptVerifyOptions& options, const crypto::Clock& clock, std::ostream& out,
                     std::ostream& err) {
    try {
        const auto self = loadIdentity(options.office, clock);
        const auto trust = crypto::TrustStore::fromFiles(options.office.trust, options.office.crls);
        const auto policy = crypto::OfficeNumberPolicy::parse(options.office.officeNumberFrom);
        const auto sent = crypto::open(crypto::readFile(options.envelope),
                                       openOptionsFor(self, trust, clock, options.office, true));
        const auto check = crypto::verifyReceipt(crypto::readFile(options.receipt), sent.signedData,
                                                 sent.identity.recipientOffice, trust, clock, policy);
        if (!check.ok) {
            err << "cplink receipt verify: refused: " << check.detail << "\n";
            return 1;
        }
        out << "receipt verified: " << check.signerOffice << " received " << sent.identity.fileName << " id "
            << sent.identity.messageId << "\n";
        return 0;
    } catch (const crypto::OpenError& e) {
        err << "cplink receipt verify: the sent envelope does not open: " << e.what() << "\n";
        return 1;
    } catch (const crypto::CryptoError& e) {
        return reportError("receipt verify", e, err);
    }
}

} // namespace cplink::cli
