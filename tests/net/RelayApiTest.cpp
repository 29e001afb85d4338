// The relay API's calls against the fake relay: what is sent, what comes back, and that answers are
// checked before they are believed.
#include "RelayTestFixture.h"
#include "crypto/Crl.h"
#include "crypto/Digest.h"

#include <filesystem>
#include <unistd.h>

namespace cplink::test {
namespace {

using net::MessageKind;
using net::RelayErrorCategory;

// Envelope-like bytes: binary, with NUL and CR/LF, which must survive unchanged.
std::string envelopeBytes(const std::string& tag, std::size_t size = 4096) {
    std::string bytes = "\x30\x80\x06\x0b" + tag + std::string("\0\r\n\xff", 4);
    while (bytes.size() < size)
        bytes.push_back(static_cast<char>(bytes.size() * 31 % 256));
    return bytes;
}

class RelayApiTest : public RelayTest {
protected:
    void SetUp() override { startRelay(knowingRecipient()); }
};

TEST_F(RelayApiTest, HealthReportsStatusAndStorage) {
    const net::Health health = client(sakura).health();
    EXPECT_EQ(health.status, "ok");
    EXPECT_EQ(health.storage, "memory");
}

TEST_F(RelayApiTest, UploadSendsTheProtocolHeadersAndBytes) {
    const std::string bytes = envelopeBytes("upload");
    const net::UploadReceipt receipt =
        client(sakura).upload(kHimawari, "01JB4T0Q7Y4ZKQ2V3X5N6P8R9S", MessageKind::Envelope, bytes);

    EXPECT_EQ(receipt.messageId, "01JB4T0Q7Y4ZKQ2V3X5N6P8R9S");
    EXPECT_EQ(receipt.sha256, crypto::sha256Hex(bytes));
    EXPECT_GT(receipt.receivedAt, 1'700'000'000);

    const auto posts = relay().requests("POST", "/v1/messages");
    ASSERT_EQ(posts.size(), 1u);
    EXPECT_EQ(posts[0].office, kSakura); // the sender is the TLS identity, never a header
    EXPECT_EQ(posts[0].header("x-message-id"), "01JB4T0Q7Y4ZKQ2V3X5N6P8R9S");
    EXPECT_EQ(posts[0].header("x-recipient-office"), kHimawari);
    EXPECT_EQ(posts[0].header("x-message-kind"), "envelope");
    EXPECT_EQ(posts[0].header("content-type"), "application/cms");
    EXPECT_EQ(posts[0].header("content-length"), std::to_string(bytes.size()));
    EXPECT_EQ(posts[0].header("expect"), ""); // no 100-continue round trip
    EXPECT_EQ(posts[0].bodySha256, crypto::sha256Hex(bytes));
}

TEST_F(RelayApiTest, MessageTravelsThroughInboxDownloadAndAcknowledge) {
    net::RelayClient sender = client(sakura);
    net::RelayClient recipient = client(himawari);
    const std::string bytes = envelopeBytes("journey", 1 << 20);
    sender.upload(kHimawari, "MSG-1", MessageKind::Envelope, bytes);
    sender.upload(kHimawari, "RCPT-1", MessageKind::Receipt, envelopeBytes("receipt", 300));

    const std::vector<net::InboxEntry> inbox = recipient.inbox();
    ASSERT_EQ(inbox.size(), 2u);
    EXPECT_EQ(inbox[0].messageId, "MSG-1"); // oldest first
    EXPECT_EQ(inbox[0].from, kSakura);
    EXPECT_EQ(inbox[0].kind, MessageKind::Envelope);
    EXPECT_EQ(inbox[0].size, bytes.size());
    EXPECT_EQ(inbox[0].sha256, crypto::sha256Hex(bytes));
    EXPECT_GT(inbox[0].receivedAt, 1'700'000'000);
    EXPECT_EQ(inbox[1].messageId, "RCPT-1");
    EXPECT_EQ(inbox[1].kind, MessageKind::Receipt);
    EXPECT_TRUE(sender.inbox().empty()); // only the addressee sees it

    const net::DownloadedMessage message = recipient.download("MSG-1");
    EXPECT_EQ(message.bytes, bytes);
    EXPECT_EQ(message.sender, kSakura);
    EXPECT_EQ(message.kind, MessageKind::Envelope);
    EXPECT_EQ(message.sha256, crypto::sha256Hex(bytes));

    EXPECT_TRUE(recipient.acknowledge("MSG-1"));
    EXPECT_FALSE(recipient.acknowledge("MSG-1")); // already gone: harmless
    ASSERT_EQ(recipient.inbox().size(), 1u);
    const net::RelayError gone = relayErrorOf([&] { recipient.download("MSG-1"); });
    EXPECT_EQ(gone.category(), RelayErrorCategory::NotFound);
    EXPECT_EQ(gone.httpStatus(), 404);
    EXPECT_EQ(gone.serverCode(), "not_found");
    EXPECT_FALSE(gone.transient());
}

TEST_F(RelayApiTest, InboxAsksForTheLimit) {
    net::RelayClient sender = client(sakura);
    for (const char* id : {"A1", "A2", "A3"})
        sender.upload(kHimawari, id, MessageKind::Envelope, envelopeBytes(id, 100));

    const std::vector<net::InboxEntry> firstTwo = client(himawari).inbox(2);
    ASSERT_EQ(firstTwo.size(), 2u);
    EXPECT_EQ(firstTwo[0].messageId, "A1");
    EXPECT_EQ(firstTwo[1].messageId, "A2");
    EXPECT_EQ(relay().requests("GET", "/v1/inbox?limit=2").size(), 1u);
}

TEST_F(RelayApiTest, UploadRetryOfTheSameBytesGetsTheSameAnswerOtherBytesConflict) {
    net::RelayClient sender = client(sakura);
    const std::string bytes = envelopeBytes("same");
    const net::UploadReceipt first = sender.upload(kHimawari, "DUP-1", MessageKind::Envelope, bytes);
    const net::UploadReceipt again = sender.upload(kHimawari, "DUP-1", MessageKind::Envelope, bytes);
    EXPECT_EQ(again.sha256, first.sha256);
    EXPECT_EQ(again.receivedAt, first.receivedAt);

    const net::RelayError conflict = relayErrorOf(
        [&] { sender.upload(kHimawari, "DUP-1", MessageKind::Envelope, envelopeBytes("other")); });
    EXPECT_EQ(conflict.category(), RelayErrorCategory::Conflict);
    EXPECT_EQ(conflict.httpStatus(), 409);
    EXPECT_EQ(conflict.serverCode(), "conflict");
    EXPECT_EQ(conflict.attempts(), 1);
}

TEST_F(RelayApiTest, OfficeDirectoryListsTheCertificatesSeen) {
    client(sakura).health(); // connecting makes the office known to the relay
    const net::OfficeEntry entry = client(himawari).office(kSakura);
    EXPECT_EQ(entry.office, kSakura);
    EXPECT_EQ(entry.name, "さくら居宅");
    EXPECT_TRUE(entry.enabled);
    ASSERT_EQ(entry.certificates.size(), 1u);
    EXPECT_EQ(entry.certificates[0], sakura.certificate());

    const net::RelayError unknown = relayErrorOf([&] { client(himawari).office("0399999999"); });
    EXPECT_EQ(unknown.category(), RelayErrorCategory::NotFound);
}

TEST_F(RelayApiTest, CrlIsAbsentUntilTheRelayHasOne) {
    EXPECT_EQ(client(sakura).crl(), std::nullopt);

    const crypto::Crl crl = pki.crlRevoking({pki.office("0300000077").certificate()});
    FakeRelayOptions withCrl;
    withCrl.crlFile = files().write("relay.crl", crl.toPem());
    startRelay(withCrl);
    const std::optional<std::string> pem = client(sakura).crl();
    ASSERT_TRUE(pem.has_value());
    EXPECT_EQ(crypto::Crl::parse(*pem).revokedCount(), 1);
}

TEST_F(RelayApiTest, ReusesTheConnectionBetweenCalls) {
    net::RelayClient sender = client(sakura);
    sender.health();
    sender.inbox();
    sender.upload(kHimawari, "KEEP-1", MessageKind::Envelope, envelopeBytes("keep"));
    const auto requests = relay().requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[1].connection, requests[0].connection);
    EXPECT_EQ(requests[2].connection, requests[0].connection);
}

TEST_F(RelayApiTest, DownloadWithAWrongHashIsAProtocolError) {
    client(sakura).upload(kHimawari, "HASH-1", MessageKind::Envelope, envelopeBytes("hash"));
    relay().setFaults({{{"method", "GET"}, {"path", "/v1/messages/HASH-1"}, {"wrong_sha256", true}}});

    const net::RelayError error = relayErrorOf([&] { client(himawari).download("HASH-1"); });
    EXPECT_EQ(error.category(), RelayErrorCategory::ProtocolError);
    EXPECT_FALSE(error.transient());
    EXPECT_NE(error.detail().find("X-Content-SHA256"), std::string::npos);
    EXPECT_EQ(relay().requests("GET", "/v1/messages/HASH-1").size(), 1u); // not retried

    EXPECT_EQ(client(himawari).download("HASH-1").sha256, crypto::sha256Hex(envelopeBytes("hash")));
}

TEST_F(RelayApiTest, UnparseableAnswersAreProtocolErrors) {
    relay().setFaults({{{"path", "/v1/inbox?limit=1000"}, {"status", 200}, {"body", "<html>proxy</html>"}},
                       {{"path", "/v1/inbox?limit=1000"},
                        {"status", 200},
                        {"body", R"({"messages":[{"message_id":"x"}]})"}},
                       {{"path", "/v1/messages"},
                        {"status", 201},
                        {"body", R"({"message_id":"X","sha256":"00","received_at":"t"})"}}});
    net::RelayClient recipient = client(himawari);
    EXPECT_EQ(relayErrorOf([&] { recipient.inbox(); }).category(), RelayErrorCategory::ProtocolError);
    EXPECT_EQ(relayErrorOf([&] { recipient.inbox(); }).category(), RelayErrorCategory::ProtocolError);

    // An upload answer for other bytes than ours is not a receipt for them.
    const net::RelayError upload = relayErrorOf(
        [&] { client(sakura).upload(kHimawari, "X", MessageKind::Envelope, envelopeBytes("x")); });
    EXPECT_EQ(upload.category(), RelayErrorCategory::ProtocolError);
    EXPECT_EQ(upload.attempts(), 1);
}

TEST_F(RelayApiTest, RefusesBadIdentifiersBeforeSendingAnything) {
    net::RelayClient sender = client(sakura);
    for (const std::string& id : {std::string(), std::string("../inbox"), std::string("a b"),
                                  std::string(".."), std::string(65, 'A'), std::string("id\r\nX-Evil: 1")}) {
        const net::RelayError error = relayErrorOf([&] { sender.download(id); });
        EXPECT_EQ(error.category(), RelayErrorCategory::BadRequest) << id;
        EXPECT_EQ(error.attempts(), 0) << id;
        EXPECT_EQ(relayErrorOf([&] { sender.upload(kHimawari, id, MessageKind::Envelope, "x"); }).attempts(),
                  0);
    }
    EXPECT_EQ(
        relayErrorOf([&] { sender.upload("030000010", "OK-1", MessageKind::Envelope, "x"); }).category(),
        RelayErrorCategory::BadRequest);
    EXPECT_EQ(
        relayErrorOf([&] { sender.upload(kHimawari, "OK-1", MessageKind::ExpiryNotice, "x"); }).category(),
        RelayErrorCategory::BadRequest);
    EXPECT_EQ(relayErrorOf([&] { sender.office("03000001OO"); }).category(), RelayErrorCategory::BadRequest);
    EXPECT_EQ(relayErrorOf([&] { sender.inbox(0); }).category(), RelayErrorCategory::BadRequest);
    EXPECT_EQ(relayErrorOf([&] { sender.inbox(1001); }).category(), RelayErrorCategory::BadRequest);
    EXPECT_TRUE(relay().requests().empty());
}

TEST_F(RelayApiTest, RelayRulesComeBackTyped) {
    FakeRelayOptions strict = knowingRecipient();
    strict.maxBody = 1024;
    strict.disabledOffices = {"0300000042", kSakura};
    startRelay(strict);
    net::RelayClient sender = client(sakura); // disabled on this relay
    EXPECT_EQ(relayErrorOf([&] { sender.upload(kHimawari, "R-1", MessageKind::Envelope, "x"); }).category(),
              RelayErrorCategory::SenderDisabled);

    net::RelayClient other = client(pki.office("0300000077"));
    EXPECT_EQ(relayErrorOf([&] { other.upload("0300000042", "R-2", MessageKind::Envelope, "x"); }).category(),
              RelayErrorCategory::RecipientDisabled);
    EXPECT_EQ(relayErrorOf([&] { other.upload("0300000099", "R-3", MessageKind::Envelope, "x"); }).category(),
              RelayErrorCategory::UnknownRecipient);
    const net::RelayError tooLarge = relayErrorOf(
        [&] { other.upload(kHimawari, "R-4", MessageKind::Envelope, envelopeBytes("big", 2048)); });
    EXPECT_EQ(tooLarge.category(), RelayErrorCategory::TooLarge);
    EXPECT_EQ(tooLarge.httpStatus(), 413);
    EXPECT_EQ(relay().requests("POST", "/v1/messages").size(), 4u); // none of them retried
}

TEST_F(RelayApiTest, TheClientWritesNoFiles) {
    // The office key goes into the handshake from memory: run a full TLS exchange in an empty working
    // directory and check nothing appeared there.
    const TempDir workDir;
    const std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(workDir.path());
    net::RelayClient sender = client(sakura);
    sender.upload(kHimawari, "NOFILE-1", MessageKind::Envelope, envelopeBytes("nofile"));
    std::filesystem::current_path(previous);
    EXPECT_TRUE(std::filesystem::is_empty(workDir.path()));
}

} // namespace
} // namespace cplink::test
