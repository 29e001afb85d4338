// End to end on loopback: the real relay (SQLite and PostgreSQL), real mutual TLS, office clients with
// real profiles, the bundled sample month between five offices.
#include "ExchangeFixture.h"
#include "crypto/Digest.h"
#include "crypto/Envelope.h"
#include "crypto/Files.h"
#include "crypto/MessageIdentity.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"
#include "exchange/Evidence.h"
#include "exchange/FolderWatcher.h"
#include "exchange/Profile.h"
#include "spec/FileName.h"
#include "spec/FindingSink.h"

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

namespace cplink::test {

namespace {

using store::Direction;
using store::MessageState;

struct Parties {
    std::string sender, recipient;
};

Parties partiesOf(const std::string& fileName) {
    spec::FindingSink sink;
    const auto parsed = spec::parseFileName(fileName, sink);
    EXPECT_TRUE(parsed.name.has_value()) << fileName;
    return {parsed.name->sender.str(), parsed.name->recipient.str()};
}

class ExchangeEndToEnd : public ExchangeFixture {};

TEST_P(ExchangeEndToEnd, AWholeMonthArrivesByteIdenticalWithVerifiedReceipts) {
    const auto month = testdata::sampleMonth();
    std::map<std::string, std::vector<std::string>> outgoing;           // sender → paths
    std::map<std::string, std::map<std::string, std::string>> expected; // recipient → name → bytes
    for (const auto& file : month) {
        const Parties parties = partiesOf(file.name);
        if (!clients.count(parties.sender))
            office(parties.sender);
        if (!clients.count(parties.recipient))
            office(parties.recipient);
        outgoing[parties.sender].push_back(clients[parties.sender]->writeOutgoing(file.name, file.bytes));
        expected[parties.recipient][file.name] = file.bytes;
    }
    ASSERT_GE(clients.size(), 4u);
    for (auto& [sender, paths] : outgoing) {
        const auto report = send(*clients[sender], paths);
        EXPECT_EQ(report.relayed, static_cast<int>(paths.size())) << sender;
        EXPECT_EQ(report.failed, 0);
    }
    std::vector<OfficeClient*> all;
    for (auto& [number, client] : clients)
        all.push_back(client.get());
    receiveAll(all);

    for (auto& [number, client] : clients) {
        // Exactly the files addressed to it, byte for byte, and nothing else (no staging leftovers).
        EXPECT_EQ(client->importFolder(), expected[number]) << number;
        for (const auto& record : history(*client, Direction::Incoming)) {
            EXPECT_EQ(record.state, MessageState::Acknowledged) << record.fileName;
            EXPECT_EQ(record.sha256, crypto::sha256Hex(expected[number][record.fileName]));
            EXPECT_EQ(record.savedPath, client->importDir + "/" + record.fileName);
            EXPECT_EQ(record.findingErrors, 0);
        }
        EXPECT_EQ(history(*client, Direction::Incoming).size(), expected[number].size());
        for (const auto& record : history(*client, Direction::Outgoing)) {
            EXPECT_EQ(record.state, MessageState::Delivered) << record.fileName;
            EXPECT_EQ(record.receiptStatus, store::ReceiptStatus::Verified);
            EXPECT_EQ(record.receiptSigner, record.peerOffice);
            EXPECT_TRUE(record.error.empty()) << record.error;
            const auto steps = client->store().transitions(record.id);
            ASSERT_GE(steps.size(), 4u);
            EXPECT_EQ(steps.front().state, MessageState::Queued);
            EXPECT_EQ(steps.back().state, MessageState::Delivered);
        }
        EXPECT_EQ(history(*client, Direction::Outgoing).size(), outgoing[number].size());
    }
}

TEST_P(ExchangeEndToEnd, ReceivedUnitsAreOfferedInSequenceOrder) {
    auto& manager = office("0300000100", "さくら");
    auto& service = office("0300000005", "ひまわり");
    std::vector<std::string> paths;
    // Written and sent newest unit first; the receiver must list them by sequence.
    for (const char* sequence : {"20250410120000", "20250325100000", "20250320093000"})
        paths.push_back(manager.writeOutgoing(
            testdata::fileName(spec::FileKind::DltPlan, "202504", sequence),
            testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}))));
    send(manager, paths);
    const auto report = service.engine->receive();
    ASSERT_EQ(report.saved.size(), 3u);
    EXPECT_EQ(report.saved[0].sequence, "20250320093000");
    EXPECT_EQ(report.saved[1].sequence, "20250325100000");
    EXPECT_EQ(report.saved[2].sequence, "20250410120000");
}

TEST_P(ExchangeEndToEnd, AFileIsSentOnceEvenWhenDroppedTwice) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto file = manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504"),
        testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)})));
    send(manager, {file});
    const auto again = manager.engine->queue(manager.engine->plan({file}));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_NE(again[0].refusal.find("送信済み"), std::string::npos) << again[0].refusal;
    EXPECT_EQ(history(manager, Direction::Outgoing).size(), 1u);
    receiveAll({&service, &manager});
    EXPECT_EQ(service.importFolder().size(), 1u);
}

TEST_P(ExchangeEndToEnd, UnknownRecipientIsRefusedWithAClearMessage) {
    auto& manager = office("0300000100");
    const auto file = manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504", "20250320093000", "0300000100", "43",
                           "0399999999"),
        testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)})));
    const auto queued = manager.engine->queue(manager.engine->plan({file}));
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].id, 0);
    EXPECT_NE(queued[0].refusal.find("登録されていません"), std::string::npos) << queued[0].refusal;
    EXPECT_TRUE(history(manager, Direction::Outgoing).empty());
}

TEST_P(ExchangeEndToEnd, AFileFromAnOfficeThatIsNotOursIsRefused) {
    auto& manager = office("0300000100");
    office("0300000005");
    const auto file = manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504", "20250320093000", "0300000007", "17",
                           "0300000005"),
        testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)})));
    const auto plan = manager.engine->plan({file});
    ASSERT_EQ(plan.units.size(), 1u);
    EXPECT_NE(plan.units[0].files[0].refusal.find("このプロファイルの事業所ではありません"),
              std::string::npos);
    EXPECT_EQ(plan.sendable(), 0u);
}

TEST_P(ExchangeEndToEnd, AFileBreakingTheStandardIsNotSent) {
    auto& manager = office("0300000100");
    office("0300000005");
    auto record = testdata::validRecord(spec::FileKind::DltPlan);
    record[0] = "X"; // the first field breaks its type
    const auto file = manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"),
                                            testdata::sjis(testdata::toCsv({record})));
    const auto plan = manager.engine->plan({file});
    EXPECT_EQ(plan.sendable(), 0u);
    ASSERT_EQ(plan.units.size(), 1u);
    EXPECT_GT(plan.units[0].files[0].errors, 0u);
    EXPECT_EQ(manager.engine->queue(plan)[0].id, 0);
}

TEST_P(ExchangeEndToEnd, ARevokedRecipientIsRefusedEvenFromTheCache) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    // The recipient's certificate is now cached in partners; then the CA revokes it.
    network.ca().revokeOffice(service.number);
    std::filesystem::copy_file(network.writeCrl(), exchange::profile::crlPath(manager.profileDir),
                               std::filesystem::copy_options::overwrite_existing);
    reopen(manager);
    const auto file =
        manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504", "20250401000000"), bytes);
    const auto queued = manager.engine->queue(manager.engine->plan({file}));
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].id, 0);
    EXPECT_NE(queued[0].refusal.find("有効な証明書がありません"), std::string::npos) << queued[0].refusal;
}

TEST_P(ExchangeEndToEnd, WhileTheRelayIsDownFilesStayQueuedAndGoWhenItReturns) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    relay->kill();
    const auto file =
        manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504", "20250401000000"), bytes);
    const auto queued = manager.engine->queue(manager.engine->plan({file}));
    ASSERT_EQ(queued.size(), 1u);
    ASSERT_EQ(queued[0].refusal, ""); // sealed to the cached certificate
    const auto down = manager.engine->sendPending();
    EXPECT_EQ(down.relayed, 0);
    EXPECT_EQ(down.waiting, 1);
    EXPECT_EQ(manager.store().message(queued[0].id)->state, MessageState::Queued);
    EXPECT_FALSE(manager.store().message(queued[0].id)->error.empty());
    relay->restartOnSamePort();
    EXPECT_EQ(manager.engine->sendPending().relayed, 1);
    receiveAll({&service, &manager});
    EXPECT_EQ(service.importFolder().size(), 2u);
    EXPECT_EQ(manager.store().message(queued[0].id)->state, MessageState::Delivered);
}

TEST_P(ExchangeEndToEnd, AFullImportFolderAcknowledgesNothingAndIsRetriedLater) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const SmallFilesystem disk(service.importDir, "64k", "0755");
    if (!disk.mounted())
        GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); needs CAP_SYS_ADMIN";
    const std::string filler = disk.fill();
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});

    const auto full = service.engine->receive();
    EXPECT_TRUE(full.saved.empty());
    EXPECT_GE(full.deferred, 1);
    const auto incoming = history(service, Direction::Incoming);
    ASSERT_EQ(incoming.size(), 1u);
    EXPECT_EQ(incoming[0].state, MessageState::Verified);
    EXPECT_NE(incoming[0].error.find("取込フォルダに書けません"), std::string::npos) << incoming[0].error;
    EXPECT_EQ(service.engine->context().relay(service.number).inbox().size(), 1u); // not acknowledged
    EXPECT_EQ(service.importFolder().size(), 1u);                                  // only the filler

    std::filesystem::remove(filler);
    const auto retried = service.engine->receive();
    ASSERT_EQ(retried.saved.size(), 1u);
    EXPECT_EQ(service.importFolder(), (std::map<std::string, std::string>{
                                          {testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes}}));
    EXPECT_EQ(service.store().message(incoming[0].id)->state, MessageState::Acknowledged);
    EXPECT_TRUE(service.engine->context().relay(service.number).inbox().empty());
}

TEST_P(ExchangeEndToEnd, ATamperedEnvelopeIsQuarantinedNotSaved) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    const auto file = manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes);
    const auto queued = manager.engine->queue(manager.engine->plan({file}));
    ASSERT_EQ(queued.at(0).refusal, "");
    std::string envelope = manager.store().envelope(queued[0].id);
    envelope[envelope.size() / 2] = static_cast<char>(envelope[envelope.size() / 2] ^ 0x40);
    manager.engine->context()
        .relay(manager.number)
        .upload(service.number, "TAMPERED1", net::MessageKind::Envelope, envelope);
    const auto report = service.engine->receive();
    EXPECT_EQ(report.quarantined, 1);
    EXPECT_TRUE(report.saved.empty());
    EXPECT_TRUE(service.importFolder().empty());
    const auto kept = service.store().findMessage(Direction::Incoming, manager.number, "TAMPERED1");
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->state, MessageState::Quarantined);
    EXPECT_FALSE(kept->error.empty());
    EXPECT_EQ(service.store().envelope(kept->id), envelope);                      // kept for inspection
    EXPECT_TRUE(service.engine->context().relay(service.number).inbox().empty()); // not offered again
}

TEST_P(ExchangeEndToEnd, FailedMessagesCanBeResentWithTheSameIdAndQueuedOnesCancelled) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    ASSERT_EQ(officeCommand("disable --office " + service.number), 0);
    const auto queued = manager.engine->queue(manager.engine->plan({manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504", "20250401000000"), bytes)}));
    ASSERT_EQ(queued.at(0).refusal, "");
    EXPECT_EQ(manager.engine->sendPending().failed, 1);
    const auto failed = *manager.store().message(queued[0].id);
    EXPECT_EQ(failed.state, MessageState::Failed);
    EXPECT_FALSE(failed.error.empty());

    ASSERT_EQ(officeCommand("enable --office " + service.number), 0);
    EXPECT_EQ(manager.engine->resend(failed.id), "");
    EXPECT_EQ(manager.engine->sendPending().relayed, 1);
    EXPECT_EQ(manager.store().message(failed.id)->messageId, failed.messageId);
    EXPECT_NE(manager.engine->cancel(failed.id), ""); // relayed: too late to cancel

    relay->kill();
    const auto third = manager.engine->queue(manager.engine->plan({manager.writeOutgoing(
        testdata::fileName(spec::FileKind::DltPlan, "202504", "20250402000000"), bytes)}));
    ASSERT_EQ(third.at(0).refusal, "");
    EXPECT_EQ(manager.engine->cancel(third[0].id), "");
    relay->restartOnSamePort();
    EXPECT_EQ(manager.engine->sendPending().relayed, 0);
    EXPECT_EQ(manager.store().message(third[0].id)->state, MessageState::Cancelled);
    receiveAll({&service, &manager});
    EXPECT_EQ(service.importFolder().size(), 2u); // the first and the resent one
    const auto audit = manager.store().auditLog();
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) { return e.action == "resend"; }));
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) { return e.action == "cancel"; }));
}

TEST_P(ExchangeEndToEnd, AWatchedOutboxSendsCompleteFilesAndExplainsRefusals) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const std::string outbox = network.path("watched");
    exchange::FolderWatcher watcher(*manager.engine, outbox);
    const auto good = testdata::fileName(spec::FileKind::DltPlan, "202504");
    auto broken = testdata::validRecord(spec::FileKind::DltPlan);
    broken[0] = "X";
    const auto bad = testdata::fileName(spec::FileKind::DltPlan, "202504", "20250401000000");
    crypto::writeFileAtomic(outbox + "/" + good,
                            testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)})),
                            0644);
    crypto::writeFileAtomic(outbox + "/" + bad, testdata::sjis(testdata::toCsv({broken})), 0644);
    crypto::writeFileAtomic(outbox + "/.hidden.CSV", "ignored", 0644);
    EXPECT_EQ(watcher.scanOnce().waiting, 2); // first sight: wait until they stop changing
    const auto report = watcher.scanOnce();
    EXPECT_EQ(report.queued, 1);
    EXPECT_EQ(report.refused, 1);
    EXPECT_TRUE(std::filesystem::exists(outbox + "/sent/" + good));
    EXPECT_TRUE(std::filesystem::exists(outbox + "/failed/" + bad));
    const std::string explanation = crypto::readFile(outbox + "/failed/" + bad + ".report.txt");
    EXPECT_NE(explanation.find("エラー"), std::string::npos) << explanation;
    EXPECT_TRUE(std::filesystem::exists(outbox + "/.hidden.CSV"));
    receiveAll({&service, &manager});
    EXPECT_EQ(service.importFolder().size(), 1u);
}

TEST_P(ExchangeEndToEnd, EvidenceListsTheMonthWithHashesAndReceipts) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    receiveAll({&service, &manager});
    const std::string csvPath = network.path("evidence.csv");
    EXPECT_EQ(exchange::exportEvidence(manager.store(), "202504", csvPath, exchange::EvidenceFormat::Csv), 1);
    const std::string csv = crypto::readFile(csvPath);
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFmessage_id,", 0), 0u);
    EXPECT_NE(csv.find(crypto::sha256Hex(bytes)), std::string::npos);
    EXPECT_NE(csv.find(",verified,0300000005,"), std::string::npos) << csv;
    const std::string jsonPath = network.path("evidence.json");
    EXPECT_EQ(exchange::exportEvidence(service.store(), "202504", jsonPath, exchange::EvidenceFormat::Json),
              1);
    const auto json = nlohmann::json::parse(crypto::readFile(jsonPath));
    ASSERT_EQ(json["messages"].size(), 1u);
    EXPECT_EQ(json["messages"][0]["direction"], "incoming");
    EXPECT_EQ(json["messages"][0]["state"], "acknowledged");
    EXPECT_EQ(json["messages"][0]["sha256"], crypto::sha256Hex(bytes));
}

TEST_P(ExchangeEndToEnd, ASenderRevokedAfterSealingIsQuarantinedAtTheRecipient) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    // Revocation is checked on receiving too (LESSONS.md), not only on sending.
    network.ca().revokeOffice(manager.number);
    std::filesystem::copy_file(network.writeCrl(), exchange::profile::crlPath(service.profileDir),
                               std::filesystem::copy_options::overwrite_existing);
    reopen(service);
    const auto report = service.engine->receive();
    EXPECT_EQ(report.quarantined, 1);
    EXPECT_TRUE(service.importFolder().empty());
    const auto incoming = history(service, Direction::Incoming);
    ASSERT_EQ(incoming.size(), 1u);
    EXPECT_EQ(incoming[0].state, MessageState::Quarantined);
    EXPECT_NE(incoming[0].error.find("revoked"), std::string::npos) << incoming[0].error;
}

TEST_P(ExchangeEndToEnd, AFileBreakingTheStandardIsSavedFlaggedAndAHostileNameStaysInTheFolder) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    // Another client could seal anything: a broken file, under a name that tries to leave the folder.
    auto broken = testdata::validRecord(spec::FileKind::DltPlan);
    broken[0] = "X";
    const std::string bytes = testdata::sjis(testdata::toCsv({broken}));
    const std::string name = testdata::fileName(spec::FileKind::DltPlan, "202504");
    const auto recipient = service.engine->context().identity(service.number)->certificate();
    auto seal = [&](const std::string& id, const std::string& signedName) {
        const crypto::MessageIdentity identity{id, manager.number, service.number, signedName};
        const std::string envelope = crypto::seal(crypto::SealRequest{
            bytes, identity, manager.engine->context().identity(manager.number), {recipient}});
        manager.engine->context()
            .relay(manager.number)
            .upload(service.number, id, net::MessageKind::Envelope, envelope);
    };
    seal("BROKEN1", name);
    seal("HOSTILE1", "../../../../tmp/" + name + "/../evil.CSV");
    const auto report = service.engine->receive();
    ASSERT_EQ(report.saved.size(), 2u);
    for (const auto& saved : report.saved) {
        EXPECT_TRUE(saved.flagged);
        EXPECT_EQ(std::filesystem::path(saved.path).parent_path().string(), service.importDir);
    }
    EXPECT_EQ(service.importFolder(),
              (std::map<std::string, std::string>{{name, bytes}, {"evil.CSV", bytes}}));
    const auto flagged = service.store().findMessage(Direction::Incoming, manager.number, "BROKEN1");
    ASSERT_TRUE(flagged.has_value());
    EXPECT_GT(flagged->findingErrors, 0);
    EXPECT_EQ(flagged->state, MessageState::Acknowledged);
}

TEST_P(ExchangeEndToEnd, OneProfileCanRunSeveralOfficeNumbers) {
    auto& organisation = office("0300000100", "さくら居宅");
    auto& service = office("0300000005");
    // The same organisation's 地域包括支援センター, added to the same profile with `init` again.
    const crypto::Identity center = network.office("0310000001", "さくら包括");
    crypto::writeFileAtomic(network.path("center.p12"),
                            crypto::exportPkcs12(center, crypto::Secret("office-password"), "center"), 0600);
    exchange::InitRequest request;
    request.profileDir = organisation.profileDir;
    request.relayUrl = relay->url();
    request.identityP12 = network.path("center.p12");
    request.passwordFile = network.path("0300000100.pw");
    request.trustFile = network.caFile();
    request.importDir = organisation.importDir;
    const crypto::SystemClock clock;
    exchange::initProfile(request, clock);
    reopen(organisation);
    organisation.engine->receive(); // both offices connect
    EXPECT_EQ(organisation.store().identities().size(), 2u);

    const auto record = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(organisation,
         {organisation.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), record),
          organisation.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504", "20250320093001",
                                                        "0310000001", "46", "0300000005", "11"),
                                     record)});
    receiveAll({&service, &organisation});
    EXPECT_EQ(service.importFolder().size(), 2u);
    std::set<std::string> senders;
    for (const auto& message : history(service, Direction::Incoming))
        senders.insert(message.peerOffice);
    EXPECT_EQ(senders, (std::set<std::string>{"0300000100", "0310000001"}));
    for (const auto& message : history(organisation, Direction::Outgoing))
        EXPECT_EQ(message.state, MessageState::Delivered) << message.ownOffice;
}

TEST_P(ExchangeEndToEnd, TwoEnginesOnOneProfileSaveEachFileOnce) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto record = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    std::vector<std::string> paths;
    for (int i = 0; i < 20; ++i)
        paths.push_back(manager.writeOutgoing(
            testdata::fileName(spec::FileKind::DltPlan, "202504", "202504011000" + std::to_string(10 + i)),
            record));
    send(manager, paths);
    // `cplink receive` and `cplink watch` on one profile: two engines poll at the same moment.
    OfficeClient second;
    second.number = service.number;
    second.profileDir = service.profileDir;
    reopen(second);
    std::thread other([&] { second.engine->receive(); });
    service.engine->receive();
    other.join();
    receiveAll({&service, &manager});
    EXPECT_EQ(service.importFolder().size(), 20u); // no "(2)" copies, no staging leftovers
    EXPECT_EQ(history(service, Direction::Incoming).size(), 20u);
    for (const auto& message : history(service, Direction::Incoming))
        EXPECT_EQ(message.state, MessageState::Acknowledged);
    for (const auto& message : history(manager, Direction::Outgoing))
        EXPECT_EQ(message.state, MessageState::Delivered);
}

// The relay on a test clock that the test moves past the retention.
class ExchangeExpiry : public ExchangeFixture {
protected:
    ExchangeExpiry() {
        relayClockFile = network.path("relay-clock");
        setRelayTime(std::time(nullptr));
        relayArgs = {"--housekeeping-interval", "0.2", "--retention-days", "30", "--quiet"};
    }
    void setRelayTime(long long t) const {
        crypto::writeFileAtomic(relayClockFile, std::to_string(t) + "\n", 0644);
    }
};

TEST_P(ExchangeExpiry, AnExpiredMessageFailsWithTheReasonAndCanBeResent) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    setRelayTime(std::time(nullptr) + 31 * 86400);
    exchange::ReceiveReport report;
    for (int i = 0; i < 50 && report.expired == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        report = manager.engine->receive();
    }
    ASSERT_EQ(report.expired, 1);
    const auto sent = history(manager, Direction::Outgoing).at(0);
    EXPECT_EQ(sent.state, MessageState::Failed);
    EXPECT_NE(sent.error.find("期限切れ"), std::string::npos) << sent.error;

    EXPECT_EQ(manager.engine->resend(sent.id), "");
    EXPECT_EQ(manager.engine->sendPending().relayed, 1);
    receiveAll({&service, &manager});
    EXPECT_EQ(service.importFolder().size(), 1u);
    const auto delivered = *manager.store().message(sent.id);
    EXPECT_EQ(delivered.state, MessageState::Delivered);
    EXPECT_EQ(delivered.messageId, sent.messageId);
}

TEST_P(ExchangeExpiry, AReceiptThatExpiredUnreadIsOfferedAgainByItsMaker) {
    auto& manager = office("0300000100");
    auto& service = office("0300000005");
    const auto bytes = testdata::sjis(testdata::toCsv({testdata::validRecord(spec::FileKind::DltPlan)}));
    send(manager, {manager.writeOutgoing(testdata::fileName(spec::FileKind::DltPlan, "202504"), bytes)});
    ASSERT_EQ(service.engine->receive().saved.size(), 1u); // saved, receipt sent, acknowledged
    // The care manager does not poll for a month: the receipt expires on the relay.
    setRelayTime(std::time(nullptr) + 31 * 86400);
    for (int i = 0; i < 50 && service.engine->context().relay(service.number).inbox().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_EQ(service.engine->context().relay(service.number).inbox().size(), 1u); // the expiry notice
    service.engine->receive();
    EXPECT_TRUE(service.engine->context().relay(service.number).inbox().empty());
    EXPECT_EQ(manager.engine->receive().receipts, 1);
    const auto sent = history(manager, Direction::Outgoing).at(0);
    EXPECT_EQ(sent.state, MessageState::Delivered);
    EXPECT_EQ(sent.receiptStatus, store::ReceiptStatus::Verified);
    EXPECT_EQ(service.importFolder().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Relay, ExchangeExpiry, ::testing::Values(Backend::Sqlite), backendName);

INSTANTIATE_TEST_SUITE_P(Relay, ExchangeEndToEnd, ::testing::ValuesIn(allBackends()), backendName);

} // namespace

} // namespace cplink::test
