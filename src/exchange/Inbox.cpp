#include "exchange/Inbox.h"

#include "crypto/Digest.h"
#include "crypto/Envelope.h"
#include "crypto/Receipt.h"
#include "exchange/EngineContext.h"
#include "exchange/Failpoint.h"
#include "exchange/ImportFolder.h"
#include "exchange/Outbox.h"
#include "exchange/WorkList.h"
#include "net/RelayError.h"
#include "spec/FileKind.h"
#include "spec/FileName.h"
#include "spec/Validator.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>

namespace cplink::exchange {

namespace {

using store::MessageState;

std::string openFailure(const crypto::OpenError& error) {
    return std::string("開封・検証できません (does not open or verify): ") + error.what();
}

crypto::OpenOptions openOptions(const EngineContext& context, const std::string& office,
                                crypto::OpenOptions::As as) {
    crypto::OpenOptions options;
    options.self = context.identity(office);
    options.trust = &context.trust;
    options.clock = context.clock;
    options.policy = context.policy;
    options.as = as;
    return options;
}

class Receiver {
public:
    explicit Receiver(EngineContext& context) : m_context(context), m_folder(context.settings.importDir) {}

    ReceiveReport run() {
        resumeInterrupted();
        for (const auto& [office, identity] : m_context.identities)
            pollOffice(office);
        std::stable_sort(
            m_report.saved.begin(), m_report.saved.end(),
            [](const ReceivedFile& a, const ReceivedFile& b) { return a.sequence < b.sequence; });
        return m_report;
    }

private:
    store::Store& db() { return *m_context.store; }

    // Everything a crash (or a full import folder, or a relay that went away) left half-way, oldest first,
    // in pages; a message that cannot move on now is not tried twice in one run.
    void resumeInterrupted() {
        forEachInStates(db(), store::Direction::Incoming,
                        {MessageState::Downloaded, MessageState::Verified, MessageState::Saving,
                         MessageState::Saved, MessageState::ReceiptSent},
                        [&](const store::MessageRecord& record) {
                            try {
                                advance(record.id);
                            } catch (const std::exception& e) {
                                ++m_report.deferred;
                                m_context.say("message " + record.messageId + " from " + record.peerOffice +
                                              " not finished now: " + e.what());
                            }
                            return true;
                        });
    }

    // The relay lists at most 1,000 pending messages at a time; taken ones leave the list, so the inbox is
    // read again until a page is short or holds nothing new (what could not be taken now stays for later).
    void pollOffice(const std::string& office) {
        static constexpr std::size_t kInboxPage = 1000;
        std::set<std::string> seen;
        while (true) {
            std::vector<net::InboxEntry> entries;
            try {
                entries = m_context.relay(office).inbox(static_cast<int>(kInboxPage));
            } catch (const net::RelayError& e) {
                m_context.say("inbox of " + office + " not reachable: " + e.userMessage());
                ++m_report.deferred;
                return;
            }
            const bool fullPage = entries.size() >= kInboxPage;
            std::erase_if(entries,
                          [&](const net::InboxEntry& entry) { return !seen.insert(entry.messageId).second; });
            if (entries.empty() || !takeEntries(office, entries) || !fullPage)
                return;
        }
    }

    // False when the relay went away meanwhile.
    bool takeEntries(const std::string& office, const std::vector<net::InboxEntry>& entries) {
        for (const net::InboxEntry& entry : entries) {
            try {
                switch (entry.kind) {
                case net::MessageKind::Envelope:
                    takeEnvelope(office, entry);
                    break;
                case net::MessageKind::Receipt:
                    takeReceipt(office, entry);
                    break;
                case net::MessageKind::ExpiryNotice:
                    takeExpiryNotice(office, entry);
                    break;
                case net::MessageKind::Unknown:
                    break; // a newer relay's kind: leave it for a newer client
                }
            } catch (const net::RelayError& e) {
                ++m_report.deferred;
                m_context.say("message " + entry.messageId + " from " + entry.from + ": " + e.userMessage());
                if (e.transient())
                    return false; // the relay went away: the rest waits for the next poll
            } catch (const std::exception& e) {
                // One message's trouble (a full disk for the store, a busy database) must not stop the
                // others; it stays on the relay and is taken again on the next poll.
                ++m_report.deferred;
                m_context.say("message " + entry.messageId + " from " + entry.from +
                              " not taken now: " + e.what());
            }
        }
        return true;
    }

    // --- envelopes ---------------------------------------------------------------------------------------
    void takeEnvelope(const std::string& office, const net::InboxEntry& entry) {
        if (const auto known = db().findMessage(store::Direction::Incoming, entry.from, entry.messageId)) {
            if (known->state == MessageState::Acknowledged || known->state == MessageState::Quarantined) {
                // Processed before (the sender sent it again, or our acknowledgement was lost): never saved
                // twice, but the sender gets the original receipt again (LESSONS.md) so it can stop
                // resending.
                ++m_report.duplicates;
                if (known->state == MessageState::Acknowledged && !uploadStoredReceipt(*known))
                    return;
                acknowledge(*known);
                return;
            }
            advance(known->id);
            return;
        }
        const net::DownloadedMessage downloaded = m_context.relay(office).download(entry.messageId);
        store::NewMessage message;
        store::MessageRecord& record = message.record;
        record.messageId = entry.messageId;
        record.direction = store::Direction::Incoming;
        record.ownOffice = office;
        record.peerOffice = downloaded.sender;
        record.state = MessageState::Downloaded;
        record.relayReceivedAt = entry.receivedAt;
        message.envelope = downloaded.bytes;
        std::optional<crypto::OpenedMessage> opened;
        try {
            opened = crypto::open(downloaded.bytes,
                                  openOptions(m_context, office, crypto::OpenOptions::As::Recipient));
            describe(record, *opened);
            record.error = bindingProblem(*opened, downloaded.sender, entry.messageId);
        } catch (const crypto::OpenError& e) {
            record.error = openFailure(e);
        }
        std::int64_t id = 0;
        try {
            id = db().addMessage(message, m_context.now(), "downloaded");
        } catch (const store::StoreError& e) {
            // Another process on this profile (`watch` next to `receive`) took it first: continue its work.
            if (e.kind() != store::StoreError::Kind::Duplicate)
                throw;
            if (const auto known =
                    db().findMessage(store::Direction::Incoming, record.peerOffice, record.messageId))
                advance(known->id);
            return;
        }
        if (opened && record.error.empty())
            m_opened.emplace(id, std::move(*opened));
        failpoint("receive.downloaded");
        db().touchPartner(downloaded.sender, m_context.now());
        advance(id);
    }

    // File details from the signed identity and the file name.
    static void describe(store::MessageRecord& record, const crypto::OpenedMessage& opened) {
        record.fileName = opened.identity.fileName;
        record.size = static_cast<std::int64_t>(opened.payload.size());
        record.sha256 = crypto::sha256Hex(opened.payload);
        const spec::FileReport report = spec::validateBytes(opened.identity.fileName, opened.payload);
        record.findingErrors = static_cast<int>(report.findings.errorCount());
        record.findingWarnings = static_cast<int>(report.findings.warningCount());
        if (report.name) {
            record.kind = std::string(spec::fileKindId(report.name->kind));
            record.month = report.name->month;
            record.sequence = report.name->sequence;
            record.sendUnit = report.name->unitKey();
        }
    }

    // The relay's word (who uploaded it, under which id) must agree with what the sender signed.
    static std::string bindingProblem(const crypto::OpenedMessage& opened, const std::string& uploader,
                                      const std::string& relayId) {
        if (opened.identity.senderOffice != uploader)
            return "署名した事業所 " + opened.identity.senderOffice + " とアップロードした事業所 " +
                   uploader + " が違います (signer is not the uploader)";
        if (opened.identity.messageId != relayId)
            return "署名されたメッセージIDがリレーのIDと違います (signed id differs from the relay id)";
        return {};
    }

    // Moves a received message as far as it can go; every step is committed before the next.
    void advance(std::int64_t id) {
        for (int step = 0; step < 8; ++step) {
            const auto record = db().message(id);
            if (!record)
                return;
            bool moved = false;
            switch (record->state) {
            case MessageState::Downloaded:
                moved = verify(*record);
                break;
            case MessageState::Verified:
                moved = stage(*record);
                break;
            case MessageState::Saving:
                moved = publish(*record);
                break;
            case MessageState::Saved:
                moved = sendReceipt(*record);
                break;
            case MessageState::ReceiptSent:
                moved = acknowledge(*record);
                break;
            case MessageState::Quarantined:
                acknowledge(*record);
                return;
            default:
                return;
            }
            if (!moved)
                return;
        }
    }

    // Opened once per run; after a crash the stored envelope is opened again.
    const crypto::OpenedMessage& reopen(const store::MessageRecord& record) {
        auto it = m_opened.find(record.id);
        if (it == m_opened.end()) {
            it = m_opened
                     .emplace(record.id, crypto::open(db().envelope(record.id),
                                                      openOptions(m_context, record.ownOffice,
                                                                  crypto::OpenOptions::As::Recipient)))
                     .first;
        }
        return it->second;
    }

    bool verify(const store::MessageRecord& record) {
        std::string problem = record.error;
        if (problem.empty()) {
            try {
                reopen(record);
            } catch (const crypto::OpenError& e) {
                problem = openFailure(e);
            }
        }
        if (!problem.empty()) {
            store::MessageUpdate update;
            update.error = problem;
            db().transition(record.id, {MessageState::Downloaded}, MessageState::Quarantined, m_context.now(),
                            "quarantined", update);
            db().audit("engine", "quarantine", record.messageId, "from " + record.peerOffice + ": " + problem,
                       m_context.now());
            failpoint("receive.quarantined");
            ++m_report.quarantined;
            m_context.say("quarantined message " + record.messageId + " from " + record.peerOffice + ": " +
                          problem);
            return true; // the Quarantined step acknowledges it: it is kept here, not on the relay
        }
        db().transition(record.id, {MessageState::Downloaded}, MessageState::Verified, m_context.now(),
                        "signature and signer verified");
        failpoint("receive.verified");
        return true;
    }

    bool stage(const store::MessageRecord& record) {
        const crypto::OpenedMessage& opened = reopen(record);
        bool sameContent = false;
        const std::string target = m_folder.choosePath(record.fileName, record.sha256, sameContent);
        store::MessageUpdate update;
        update.savedPath = target;
        update.error = "";
        if (!sameContent) {
            try {
                m_folder.stage(m_folder.stagingPath(target, record.messageId), opened.payload);
            } catch (const std::system_error& e) {
                store::MessageUpdate failure;
                failure.error =
                    "取込フォルダに書けません (cannot write to the import folder): " + std::string(e.what());
                db().update(record.id, failure, m_context.now());
                ++m_report.deferred;
                m_context.say(*failure.error);
                return false;
            }
            failpoint("receive.staged");
        }
        db().transition(record.id, {MessageState::Verified}, MessageState::Saving, m_context.now(), target,
                        update);
        failpoint("receive.saving");
        return true;
    }

    bool publish(const store::MessageRecord& record) {
        const std::string staging = m_folder.stagingPath(record.savedPath, record.messageId);
        if (!m_folder.publish(staging, record.savedPath)) {
            // The name was taken meanwhile: stage again under a free name (the staged copy under the old
            // name would otherwise stay behind as a hidden leftover).
            std::error_code ignored;
            std::filesystem::remove(staging, ignored);
            db().transition(record.id, {MessageState::Saving}, MessageState::Verified, m_context.now(),
                            "name taken: " + record.savedPath);
            return true;
        }
        failpoint("receive.published");
        if (!db().transition(record.id, {MessageState::Saving}, MessageState::Saved, m_context.now(),
                             record.savedPath))
            return true; // another process on this profile recorded it; the loop reads its state
        failpoint("receive.saved");
        m_report.saved.push_back({record.savedPath, record.fileName, record.peerOffice, record.sequence,
                                  record.findingErrors > 0});
        db().audit("engine", "receive", record.messageId,
                   record.fileName + " from " + record.peerOffice + " → " + record.savedPath,
                   m_context.now());
        return true;
    }

    bool sendReceipt(const store::MessageRecord& record) {
        if (!db().receipt(record.id)) {
            // Made once and committed before upload: a retry must send the very same bytes.
            store::MessageUpdate update;
            update.receipt =
                crypto::makeReceipt(reopen(record).signedData, *m_context.identity(record.ownOffice));
            db().update(record.id, update, m_context.now());
            failpoint("receive.receipt-made");
        }
        m_opened.erase(record.id);
        if (!uploadStoredReceipt(record))
            return false;
        failpoint("receive.receipt-uploaded");
        db().transition(record.id, {MessageState::Saved}, MessageState::ReceiptSent, m_context.now(),
                        "receipt " + receiptIdFor(record.messageId));
        failpoint("receive.receipt-sent");
        return true;
    }

    bool acknowledge(const store::MessageRecord& record) {
        try {
            m_context.relay(record.ownOffice).acknowledge(record.messageId);
        } catch (const net::RelayError& e) {
            ++m_report.deferred;
            m_context.say("acknowledgement of " + record.messageId + " not sent yet: " + e.userMessage());
            return false;
        }
        failpoint("receive.acknowledge-sent");
        if (record.state == MessageState::ReceiptSent)
            db().transition(record.id, {MessageState::ReceiptSent}, MessageState::Acknowledged,
                            m_context.now(), "acknowledged on the relay");
        failpoint("receive.acknowledged");
        return false; // nothing further
    }

    // --- receipts and expiry notices for our own messages ----------------------------------------------
    void takeReceipt(const std::string& office, const net::InboxEntry& entry) {
        const net::DownloadedMessage downloaded = m_context.relay(office).download(entry.messageId);
        std::optional<store::MessageRecord> original;
        if (const auto messageId = messageIdOfReceipt(entry.messageId))
            original = db().findOutgoing(*messageId);
        if (!original || original->peerOffice != downloaded.sender || original->ownOffice != office) {
            m_context.say("receipt " + entry.messageId + " from " + downloaded.sender +
                          " matches no message we sent");
            m_context.relay(office).acknowledge(entry.messageId);
            return;
        }
        if (original->state == MessageState::Delivered) {
            m_context.relay(office).acknowledge(entry.messageId);
            return;
        }
        store::MessageUpdate update;
        update.receipt = downloaded.bytes;
        update.receiptAt = m_context.now();
        std::string problem;
        try {
            const crypto::OpenedMessage sent = crypto::open(
                db().envelope(original->id), openOptions(m_context, office, crypto::OpenOptions::As::Sender));
            const crypto::ReceiptCheck check =
                crypto::verifyReceipt(downloaded.bytes, sent.signedData, original->peerOffice,
                                      m_context.trust, *m_context.clock, m_context.policy);
            if (check.ok)
                update.receiptSigner = check.signerOffice;
            else
                problem = check.detail;
        } catch (const std::exception& e) {
            problem = e.what();
        }
        if (problem.empty()) {
            update.receiptStatus = store::ReceiptStatus::Verified;
            update.error = "";
            // A receipt proves delivery whatever we recorded last: even `sending` after a crash.
            db().transition(
                original->id,
                {MessageState::Queued, MessageState::Sending, MessageState::Relayed, MessageState::Failed},
                MessageState::Delivered, m_context.now(), "receipt verified", update);
            failpoint("send.delivered");
            ++m_report.receipts;
            m_context.say("delivered " + original->fileName + " (receipt from " + original->peerOffice + ")");
        } else {
            update.receiptStatus = store::ReceiptStatus::Invalid;
            update.error = "受領証を検証できません (receipt does not verify): " + problem;
            db().update(original->id, update, m_context.now());
            db().audit("engine", "bad-receipt", original->messageId, problem, m_context.now());
            ++m_report.badReceipts;
        }
        m_context.relay(office).acknowledge(entry.messageId);
    }

    // The receipt we made for a message, uploaded under its id; always the stored bytes, so a repeat gets the
    // relay's first answer (or is queued anew if the first copy expired). False if it could not be sent now.
    bool uploadStoredReceipt(const store::MessageRecord& record) {
        const std::optional<std::string> receipt = db().receipt(record.id);
        if (!receipt)
            return true;
        try {
            m_context.relay(record.ownOffice)
                .upload(record.peerOffice, receiptIdFor(record.messageId), net::MessageKind::Receipt,
                        *receipt);
            return true;
        } catch (const net::RelayError& e) {
            ++m_report.deferred;
            m_context.say("receipt for " + record.fileName + " not sent yet: " + e.userMessage());
            return false;
        }
    }

    void takeExpiryNotice(const std::string& office, const net::InboxEntry& entry) {
        const net::DownloadedMessage downloaded = m_context.relay(office).download(entry.messageId);
        const auto notice = nlohmann::json::parse(downloaded.bytes, nullptr, false);
        if (notice.is_object() && notice.value("type", "") == "expired") {
            const std::string expiredId = notice.value("message_id", "");
            if (const auto receivedId = messageIdOfReceipt(expiredId)) {
                // One of our receipts was never fetched by its addressee: offer it again.
                const auto received =
                    db().findMessage(store::Direction::Incoming, notice.value("recipient", ""), *receivedId);
                if (received && received->ownOffice == office && !uploadStoredReceipt(*received))
                    return; // not acknowledged: the notice is read again on the next poll
            } else if (const auto original = db().findOutgoing(expiredId)) {
                store::MessageUpdate update;
                update.error =
                    "相手が保管期間内に受け取らなかったため、リレーで期限切れになりました。再送できます "
                    "(expired on the relay undelivered; resend it)";
                if (db().transition(original->id, {MessageState::Relayed}, MessageState::Failed,
                                    m_context.now(), "expired on the relay", update))
                    ++m_report.expired;
            }
        }
        m_context.relay(office).acknowledge(entry.messageId);
    }

    EngineContext& m_context;
    ImportFolder m_folder;
    std::map<std::int64_t, crypto::OpenedMessage> m_opened;
    ReceiveReport m_report;
};

} // namespace

ReceiveReport receiveOnce(EngineContext& context) {
    const ProfileLock lock(profile::receiveLockPath(context.profileDir));
    context.refreshCrl();
    return Receiver(context).run();
}

} // namespace cplink::exchange
