#include "exchange/Outbox.h"

#include "crypto/Digest.h"
#include "crypto/Envelope.h"
#include "crypto/Files.h"
#include "crypto/MessageIdentity.h"
#include "exchange/EngineContext.h"
#include "exchange/Failpoint.h"
#include "exchange/RecipientDirectory.h"
#include "exchange/WorkList.h"
#include "net/RelayError.h"

namespace cplink::exchange {

namespace {

constexpr std::size_t kMaxId = 64; // the relay's limit for message ids
constexpr std::string_view kReceiptSuffix = ".receipt";

// Same file name and bytes already on its way or delivered.
std::optional<store::MessageRecord> alreadySent(store::Store& store, const PlannedFile& file,
                                                const std::string& sha256) {
    for (const auto& record : store.outgoingWithFileName(file.fileName)) {
        if (record.sha256 == sha256 && record.state != store::MessageState::Cancelled &&
            record.state != store::MessageState::Failed)
            return record;
    }
    return std::nullopt;
}

QueuedFile queueFile(EngineContext& context, const PlannedFile& file) {
    QueuedFile queued{file.path, file.fileName, 0, {}, {}};
    const std::string bytes = crypto::readFile(file.path);
    if (bytes.size() != file.bytes) {
        queued.refusal = "確認の後にファイルが変わりました (the file changed after it was checked)";
        return queued;
    }
    const std::string sha256 = crypto::sha256Hex(bytes);
    if (const auto earlier = alreadySent(*context.store, file, sha256)) {
        queued.id = earlier->id;
        queued.messageId = earlier->messageId;
        queued.refusal = "同じファイルを送信済みです (already " +
                         std::string(store::toString(earlier->state)) + " as " + earlier->messageId + ")";
        return queued;
    }
    const crypto::Certificate recipient = recipientCertificate(context, file.sender, file.recipient);
    const crypto::MessageIdentity identity{crypto::newMessageId(), file.sender, file.recipient,
                                           file.fileName};
    const std::string envelope =
        crypto::seal(crypto::SealRequest{bytes, identity, context.identity(file.sender), {recipient}});

    store::NewMessage message;
    store::MessageRecord& record = message.record;
    record.messageId = identity.messageId;
    record.direction = store::Direction::Outgoing;
    record.ownOffice = file.sender;
    record.peerOffice = file.recipient;
    record.kind = file.kind;
    record.month = file.month;
    record.sendUnit = file.unitKey;
    record.sequence = file.sequence;
    record.fileName = file.fileName;
    record.size = static_cast<std::int64_t>(bytes.size());
    record.sha256 = sha256;
    record.state = store::MessageState::Queued;
    record.findingWarnings = static_cast<int>(file.warnings);
    record.sourcePath = file.path;
    message.envelope = envelope;
    queued.id = context.store->addMessage(message, context.now(), "sealed for " + file.recipient);
    queued.messageId = identity.messageId;
    failpoint("send.queued");
    return queued;
}

enum class Upload { Done, RelayUnavailable };

// One message: sending → upload with its fixed id and bytes → relayed; queued again on a transient failure
// (the relay is down: the caller stops), failed with the reason otherwise.
Upload uploadOne(EngineContext& context, const store::MessageRecord& record, SendReport& report) {
    using store::MessageState;
    store::MessageUpdate attempt;
    attempt.countAttempt = true;
    if (!context.store->transition(record.id, {MessageState::Queued, MessageState::Sending},
                                   MessageState::Sending, context.now(), "upload", attempt))
        return Upload::Done; // cancelled meanwhile, or another process sent it
    failpoint("send.sending");
    try {
        const net::UploadReceipt receipt =
            context.relay(record.ownOffice)
                .upload(record.peerOffice, record.messageId, net::MessageKind::Envelope,
                        context.store->envelope(record.id));
        failpoint("send.uploaded");
        store::MessageUpdate relayed;
        relayed.relayReceivedAt = receipt.receivedAt;
        relayed.error = "";
        context.store->transition(record.id, {MessageState::Sending}, MessageState::Relayed, context.now(),
                                  "relay stored it", relayed);
        failpoint("send.relayed");
        ++report.relayed;
        context.say("sent " + record.fileName + " → " + record.peerOffice);
        return Upload::Done;
    } catch (const net::RelayError& e) {
        store::MessageUpdate failure;
        failure.error = e.userMessage();
        if (e.transient()) {
            context.store->transition(record.id, {MessageState::Sending}, MessageState::Queued, context.now(),
                                      std::string("will retry: ") + net::toString(e.category()), failure);
            context.say("relay unavailable, " + record.fileName + " stays queued: " + e.userMessage());
            return Upload::RelayUnavailable;
        }
        context.store->transition(record.id, {MessageState::Sending}, MessageState::Failed, context.now(),
                                  net::toString(e.category()), failure);
        ++report.failed;
        context.say("failed " + record.fileName + ": " + e.userMessage());
        return Upload::Done;
    }
}

} // namespace

std::string receiptIdFor(const std::string& messageId) {
    if (messageId.size() + kReceiptSuffix.size() <= kMaxId)
        return messageId + std::string(kReceiptSuffix);
    return "receipt." + crypto::sha256Hex(messageId).substr(0, 48);
}

std::optional<std::string> messageIdOfReceipt(std::string_view receiptId) {
    if (receiptId.size() <= kReceiptSuffix.size() || !receiptId.ends_with(kReceiptSuffix))
        return std::nullopt;
    return std::string(receiptId.substr(0, receiptId.size() - kReceiptSuffix.size()));
}

std::vector<QueuedFile> queuePlan(EngineContext& context, const SendPlan& plan) {
    std::vector<QueuedFile> result;
    for (const PlannedUnit& unit : plan.units) {
        for (const PlannedFile& file : unit.files) {
            if (!file.refusal.empty()) {
                result.push_back({file.path, file.fileName, 0, {}, file.refusal});
                continue;
            }
            try {
                result.push_back(queueFile(context, file));
                if (result.back().refusal.empty())
                    context.say("queued " + file.fileName + " → " + file.recipient + " id " +
                                result.back().messageId);
            } catch (const RecipientError& e) {
                result.push_back({file.path,
                                  file.fileName,
                                  0,
                                  {},
                                  e.what(),
                                  e.reason() == RecipientError::Reason::Unreachable});
            } catch (const std::exception& e) {
                result.push_back({file.path, file.fileName, 0, {}, e.what()});
            }
        }
    }
    for (const PlannedFile& file : plan.unnamed)
        result.push_back({file.path, file.fileName, 0, {}, file.refusal});
    return result;
}

SendReport uploadPending(EngineContext& context) {
    SendReport report;
    using store::MessageState;
    bool relayDown = false;
    forEachInStates(*context.store, store::Direction::Outgoing, {MessageState::Queued, MessageState::Sending},
                    [&](const store::MessageRecord& record) {
                        relayDown = uploadOne(context, record, report) == Upload::RelayUnavailable;
                        return !relayDown;
                    });
    if (relayDown) {
        store::HistoryQuery waiting;
        waiting.direction = store::Direction::Outgoing;
        waiting.states = {MessageState::Queued, MessageState::Sending};
        report.waiting = static_cast<int>(context.store->countHistory(waiting));
    }
    return report;
}

} // namespace cplink::exchange
