// Messages: adding, finding, envelopes and receipts, compare-and-set transitions and updates.
#include "StoreTestSupport.h"

#include <gtest/gtest.h>

namespace cplink::store::test {
namespace {

using cplink::test::TempDir;

class StoreMessages : public ::testing::Test {
protected:
    TempDir dir;
    Store store{dir.path() + "/profile.sqlite"};
};

TEST_F(StoreMessages, AddKeepsEveryFieldTheEnvelopeAndTheFirstTransition) {
    NewMessage message = sampleMessage(Direction::Incoming, "0300000100", "01J8ZQ4V1F3W2D4S6K8M0P2R4T");
    MessageRecord& r = message.record;
    r.state = MessageState::Downloaded;
    r.error = "none yet";
    r.findingErrors = 2;
    r.findingWarnings = 3;
    r.savedPath = "/saved/x.CSV";
    r.receiptStatus = ReceiptStatus::Invalid;
    r.receiptSigner = "0300000100";
    r.receiptAt = 5;
    r.relayReceivedAt = 6;
    r.attempts = 4;
    r.createdAt = 999; // set by the store
    const std::int64_t id = store.addMessage(message, 1700000000, "downloaded from relay");

    const auto stored = store.message(id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->id, id);
    EXPECT_EQ(stored->messageId, r.messageId);
    EXPECT_EQ(stored->direction, Direction::Incoming);
    EXPECT_EQ(stored->ownOffice, r.ownOffice);
    EXPECT_EQ(stored->peerOffice, r.peerOffice);
    EXPECT_EQ(stored->kind, r.kind);
    EXPECT_EQ(stored->month, r.month);
    EXPECT_EQ(stored->sendUnit, r.sendUnit);
    EXPECT_EQ(stored->sequence, r.sequence);
    EXPECT_EQ(stored->fileName, r.fileName);
    EXPECT_EQ(stored->size, r.size);
    EXPECT_EQ(stored->sha256, r.sha256);
    EXPECT_EQ(stored->state, MessageState::Downloaded);
    EXPECT_EQ(stored->error, "none yet");
    EXPECT_EQ(stored->findingErrors, 2);
    EXPECT_EQ(stored->findingWarnings, 3);
    EXPECT_EQ(stored->savedPath, "/saved/x.CSV");
    EXPECT_EQ(stored->sourcePath, "");
    EXPECT_EQ(stored->receiptStatus, ReceiptStatus::Invalid);
    EXPECT_EQ(stored->receiptSigner, "0300000100");
    EXPECT_EQ(stored->receiptAt, 5);
    EXPECT_EQ(stored->relayReceivedAt, 6);
    EXPECT_EQ(stored->attempts, 4);
    EXPECT_EQ(stored->createdAt, 1700000000);
    EXPECT_EQ(stored->updatedAt, 1700000000);

    EXPECT_EQ(store.envelope(id), message.envelope); // binary, with a NUL inside
    EXPECT_FALSE(store.receipt(id));
    const auto transitions = store.transitions(id);
    ASSERT_EQ(transitions.size(), 1u);
    EXPECT_EQ(transitions[0].state, MessageState::Downloaded);
    EXPECT_EQ(transitions[0].at, 1700000000);
    EXPECT_EQ(transitions[0].detail, "downloaded from relay");
}

TEST_F(StoreMessages, ADuplicateIsRefusedAndChangesNothing) {
    const auto message = sampleMessage(Direction::Incoming, "0300000100", "SAME-ID");
    const std::int64_t id = store.addMessage(message, 10);
    try {
        store.addMessage(message, 20);
        FAIL() << "duplicate accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::Duplicate);
        EXPECT_NE(std::string(e.what()).find(store.path()), std::string::npos) << e.what();
    }
    EXPECT_EQ(store.countHistory({}), 1);
    EXPECT_EQ(store.transitions(id).size(), 1u);
    // The same id from another office, or in the other direction, is another message.
    store.addMessage(sampleMessage(Direction::Incoming, "0300000200", "SAME-ID"), 30);
    store.addMessage(sampleMessage(Direction::Outgoing, "0300000100", "SAME-ID"), 40);
    EXPECT_EQ(store.countHistory({}), 3);
}

TEST_F(StoreMessages, FindsByKeyAndOutgoingById) {
    const std::int64_t in = store.addMessage(sampleMessage(Direction::Incoming, "0300000100", "A"), 1);
    const std::int64_t out = store.addMessage(sampleMessage(Direction::Outgoing, "0300000200", "A"), 2);
    EXPECT_EQ(store.findMessage(Direction::Incoming, "0300000100", "A")->id, in);
    EXPECT_EQ(store.findMessage(Direction::Outgoing, "0300000200", "A")->id, out);
    EXPECT_FALSE(store.findMessage(Direction::Incoming, "0300000200", "A"));
    EXPECT_EQ(store.findOutgoing("A")->id, out);
    EXPECT_FALSE(store.findOutgoing("B"));
    EXPECT_FALSE(store.message(out + 100));
}

TEST_F(StoreMessages, FindsOutgoingMessagesByExactFileName) {
    NewMessage first = sampleMessage(Direction::Outgoing, "0300000200", "A");
    first.record.fileName = "DLTPLAN_X.CSV";
    NewMessage second = sampleMessage(Direction::Outgoing, "0300000300", "B");
    second.record.fileName = "DLTPLAN_X.CSV";
    NewMessage incoming = sampleMessage(Direction::Incoming, "0300000200", "C");
    incoming.record.fileName = "DLTPLAN_X.CSV";
    NewMessage similar = sampleMessage(Direction::Outgoing, "0300000200", "D");
    similar.record.fileName = "DLTPLAN_X.CSV.bak";
    const std::int64_t a = store.addMessage(first, 1);
    const std::int64_t b = store.addMessage(second, 2);
    store.addMessage(incoming, 3);
    store.addMessage(similar, 4);
    const auto found = store.outgoingWithFileName("DLTPLAN_X.CSV");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].id, a);
    EXPECT_EQ(found[1].id, b);
    EXPECT_TRUE(store.outgoingWithFileName("DLTPLAN_%").empty());
}

TEST_F(StoreMessages, TransitionIsACompareAndSet) {
    const std::int64_t id =
        store.addMessage(sampleMessage(Direction::Outgoing, "0300000100", "M"), 100, "queued");

    EXPECT_FALSE(store.transition(id, {MessageState::Sending, MessageState::Relayed}, MessageState::Delivered,
                                  110, "should not happen",
                                  updateWith([](MessageUpdate& u) { u.error = "x"; })));
    auto unchanged = store.message(id);
    EXPECT_EQ(unchanged->state, MessageState::Queued);
    EXPECT_EQ(unchanged->error, "");
    EXPECT_EQ(unchanged->updatedAt, 100);
    EXPECT_EQ(store.transitions(id).size(), 1u);

    EXPECT_TRUE(store.transition(id, {MessageState::Queued}, MessageState::Sending, 120, "upload",
                                 updateWith([](MessageUpdate& u) { u.countAttempt = true; })));
    EXPECT_TRUE(store.transition(id, {MessageState::Queued, MessageState::Sending}, MessageState::Relayed,
                                 130, "relay has it",
                                 updateWith([](MessageUpdate& u) { u.relayReceivedAt = 125; })));
    EXPECT_TRUE(store.transition(id, {MessageState::Relayed}, MessageState::Delivered, 140,
                                 "receipt verified", updateWith([](MessageUpdate& u) {
                                     u.receiptStatus = ReceiptStatus::Verified;
                                     u.receiptSigner = "0300000100";
                                     u.receiptAt = 138;
                                     u.receipt = std::string("receipt\0der", 11);
                                 })));
    EXPECT_FALSE(store.transition(id, {MessageState::Relayed}, MessageState::Failed, 150));

    const auto m = store.message(id);
    EXPECT_EQ(m->state, MessageState::Delivered);
    EXPECT_EQ(m->attempts, 1);
    EXPECT_EQ(m->relayReceivedAt, 125);
    EXPECT_EQ(m->receiptStatus, ReceiptStatus::Verified);
    EXPECT_EQ(m->receiptSigner, "0300000100");
    EXPECT_EQ(m->receiptAt, 138);
    EXPECT_EQ(m->updatedAt, 140);
    EXPECT_EQ(m->createdAt, 100);
    EXPECT_EQ(store.receipt(id), std::string("receipt\0der", 11));

    const auto transitions = store.transitions(id);
    ASSERT_EQ(transitions.size(), 4u);
    const std::vector<std::tuple<MessageState, UnixTime, std::string>> expected{
        {MessageState::Queued, 100, "queued"},
        {MessageState::Sending, 120, "upload"},
        {MessageState::Relayed, 130, "relay has it"},
        {MessageState::Delivered, 140, "receipt verified"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(transitions[i].state, std::get<0>(expected[i])) << i;
        EXPECT_EQ(transitions[i].at, std::get<1>(expected[i])) << i;
        EXPECT_EQ(transitions[i].detail, std::get<2>(expected[i])) << i;
    }
}

TEST_F(StoreMessages, TransitionAppliesEveryUpdateField) {
    const std::int64_t id = store.addMessage(sampleMessage(Direction::Incoming, "0300000100", "M"), 100);
    ASSERT_TRUE(store.transition(id, {MessageState::Downloaded}, MessageState::Saved, 200, "saved",
                                 updateWith([](MessageUpdate& u) {
                                     u.error = "e";
                                     u.savedPath = "/in/file.CSV";
                                     u.receiptStatus = ReceiptStatus::Invalid;
                                     u.receiptSigner = "s";
                                     u.receiptAt = 7;
                                     u.relayReceivedAt = 8;
                                     u.findingErrors = 9;
                                     u.findingWarnings = 10;
                                     u.receipt = "our receipt";
                                     u.countAttempt = true;
                                 })));
    const auto m = store.message(id);
    EXPECT_EQ(m->error, "e");
    EXPECT_EQ(m->savedPath, "/in/file.CSV");
    EXPECT_EQ(m->receiptStatus, ReceiptStatus::Invalid);
    EXPECT_EQ(m->receiptSigner, "s");
    EXPECT_EQ(m->receiptAt, 7);
    EXPECT_EQ(m->relayReceivedAt, 8);
    EXPECT_EQ(m->findingErrors, 9);
    EXPECT_EQ(m->findingWarnings, 10);
    EXPECT_EQ(m->attempts, 1);
    EXPECT_EQ(store.receipt(id), "our receipt");
    // Unset fields stay as they are; an empty string is a value (clears the error).
    ASSERT_TRUE(store.transition(id, {MessageState::Saved}, MessageState::ReceiptSent, 210, {},
                                 updateWith([](MessageUpdate& u) { u.error = ""; })));
    const auto after = store.message(id);
    EXPECT_EQ(after->error, "");
    EXPECT_EQ(after->savedPath, "/in/file.CSV");
    EXPECT_EQ(after->findingErrors, 9);
    EXPECT_EQ(store.receipt(id), "our receipt");
    EXPECT_EQ(store.transitions(id).back().detail, "");
}

TEST_F(StoreMessages, UpdateChangesFieldsWithoutATransition) {
    const std::int64_t id = store.addMessage(sampleMessage(Direction::Outgoing, "0300000100", "M"), 100);
    store.update(id, updateWith([](MessageUpdate& u) {
                     u.error = "relay offline, will retry";
                     u.countAttempt = true;
                 }),
                 150);
    store.update(id, updateWith([](MessageUpdate& u) { u.countAttempt = true; }), 160);
    const auto m = store.message(id);
    EXPECT_EQ(m->state, MessageState::Queued);
    EXPECT_EQ(m->error, "relay offline, will retry");
    EXPECT_EQ(m->attempts, 2);
    EXPECT_EQ(m->updatedAt, 160);
    EXPECT_EQ(store.transitions(id).size(), 1u);
}

TEST_F(StoreMessages, UnknownIdsAreErrors) {
    EXPECT_THROW(store.transition(42, {MessageState::Queued}, MessageState::Sending, 1), StoreError);
    EXPECT_THROW(store.update(42, updateWith([](MessageUpdate& u) { u.error = "x"; }), 1), StoreError);
    EXPECT_THROW(store.envelope(42), StoreError);
    EXPECT_FALSE(store.receipt(42));
    EXPECT_TRUE(store.transitions(42).empty());
}

TEST_F(StoreMessages, WorkListsAreOldestFirstPerDirectionAndState) {
    const auto add = [&](Direction d, const char* id, UnixTime at, MessageState state) {
        auto m = sampleMessage(d, "0300000100", id);
        m.record.state = state;
        return store.addMessage(m, at);
    };
    const auto q2 = add(Direction::Outgoing, "q2", 20, MessageState::Queued);
    const auto q1 = add(Direction::Outgoing, "q1", 10, MessageState::Queued);
    const auto s1 = add(Direction::Outgoing, "s1", 15, MessageState::Sending);
    add(Direction::Outgoing, "d1", 5, MessageState::Delivered);
    add(Direction::Incoming, "i1", 1, MessageState::Downloaded);

    const auto ids = [](const std::vector<MessageRecord>& rows) {
        std::vector<std::int64_t> out;
        for (const auto& r : rows)
            out.push_back(r.id);
        return out;
    };
    EXPECT_EQ(ids(store.messagesInStates(Direction::Outgoing, {MessageState::Queued, MessageState::Sending})),
              (std::vector<std::int64_t>{q1, s1, q2}));
    EXPECT_EQ(ids(store.messagesInStates(Direction::Outgoing, {MessageState::Queued}, 1)),
              (std::vector<std::int64_t>{q1}));
    EXPECT_TRUE(store.messagesInStates(Direction::Outgoing, {}).empty());
    EXPECT_EQ(store.messagesInStates(Direction::Incoming, {MessageState::Downloaded}).size(), 1u);
}

} // namespace
} // namespace cplink::store::test
