#pragma once

#include <string>
#include <vector>

namespace cplink::exchange {

struct EngineContext;

struct ReceivedFile {
    std::string path; // in the import folder
    std::string fileName;
    std::string sender;
    std::string sequence;
    bool flagged = false; // breaks the standard: saved anyway, shown with its findings
};

struct ReceiveReport {
    std::vector<ReceivedFile> saved; // in import order: send units by sequence
    int duplicates = 0;              // already received before (receipt sent again, acknowledged)
    int quarantined = 0;             // did not open or verify: kept in the store, not saved
    int receipts = 0;                // receipts that verified (our messages now delivered)
    int badReceipts = 0;
    int expired = 0;  // our messages the relay dropped undelivered (now failed, resendable)
    int deferred = 0; // could not be finished now (import folder full, relay down); retried later
};

// One poll (DESIGN.md §6 "Incoming"): finish what a crash interrupted, then for every own office take
// the relay inbox — envelopes are downloaded, opened and verified, validated, written into the import
// folder, committed, answered with a signed receipt and only then acknowledged; receipts mark our
// messages delivered; expiry notices mark them failed. Idempotent by (sender, message id). One poll at a
// time per profile (ProfileLock): a second engine on the profile waits for the first.
ReceiveReport receiveOnce(EngineContext& context);

} // namespace cplink::exchange
