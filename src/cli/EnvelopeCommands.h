#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cplink::crypto {
class Clock;
}

namespace cplink::cli {

// Options shared by the commands that act as an office: its identity and the network's trust.
struct OfficeOptions {
    std::string identity; // FILE.p12
    std::string passwordFile;
    std::vector<std::string> trust; // anchor PEM files
    std::vector<std::string> crls;
    std::string officeNumberFrom = "serialNumber";
};

struct SealOptions {
    OfficeOptions office;
    std::string to;   // the addressee's certificate (PEM/DER)
    std::string id;   // message id; generated when empty
    std::string name; // signed file name; the input's base name when empty
    std::string input;
    std::string output;
};

struct OpenOptions {
    OfficeOptions office;
    bool asSender = false;  // reopen our own sent copy
    std::string receiptOut; // make a signed receipt after the file is written
    std::string input;
    std::string output;
};

struct ReceiptVerifyOptions {
    OfficeOptions office; // the sender's own identity, to reopen the original envelope
    std::string receipt;
    std::string envelope; // the envelope we sent
};

// `cplink seal --identity A.p12 --password-file F --to B.pem [--id MSGID] [--name NAME] IN OUT`
// `cplink open --identity B.p12 --password-file F --trust ca.pem [--crl crl.pem] [--as-sender]
//              [--receipt R.der] IN OUT` — writes OUT (atomically, 0600) only when everything verifies.
// `cplink receipt verify --identity A.p12 --password-file F --trust ca.pem [--crl crl.pem]
//              --envelope SENT.der RECEIPT.der`
// Exit status: 0 done, 1 refused (envelope or receipt does not verify, wrong password, …), 2 usage / I/O.
void addEnvelopeCommands(CLI::App& app, SealOptions& seal, OpenOptions& open, ReceiptVerifyOptions& receipt);
int runSeal(const SealOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err);
int runOpen(const OpenOptions& options, const crypto::Clock& clock, std::ostream& out, std::ostream& err);
int runReceiptVerify(const ReceiptVerifyOptions& options, const crypto::Clock& clock, std::ostream& out,
                     std::ostream& err);

} // namespace cplink::cli
