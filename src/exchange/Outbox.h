#pragma once

#include "exchange/SendPlan.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::exchange {

struct EngineContext;

struct QueuedFile {
    std::string path;
    std::string fileName;
    std::int64_t id = 0; // store row; 0 when refused
    std::string messageId;
    std::string refusal;     // why it was not queued
    bool retryLater = false; // not queued only because the relay directory could not be reached
};

// Seals every sendable file of the plan for its recipient and commits it as `queued` with a message
// id fixed now (DESIGN.md §6), before any upload. A file already queued or sent with the same name and
// bytes (and not cancelled or failed) is not queued twice: a watched folder that is scanned again after
// a crash, or a user who drops the same file twice, does not make a duplicate.
std::vector<QueuedFile> queuePlan(EngineContext& context, const SendPlan& plan);

struct SendReport {
    int relayed = 0;
    int waiting = 0; // still queued: the relay could not be reached; sent on the next run
    int failed = 0;
};

// Uploads every queued message (and any left `sending` by a crash) with its fixed id and bytes:
// relayed on success, queued again on a transient failure, failed with the reason otherwise.
SendReport uploadPending(EngineContext& context);

// The relay message id of the receipt for message `messageId` (docs/protocol.md), and back: the message
// id a receipt id names, when it has the `<id>.receipt` form (the hashed form of long ids cannot be
// reversed; our own ids never need it).
std::string receiptIdFor(const std::string& messageId);
std::optional<std::string> messageIdOfReceipt(std::string_view receiptId);

} // namespace cplink::exchange
