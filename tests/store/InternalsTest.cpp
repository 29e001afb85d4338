// The pieces behind Store: names of states, error mapping, LIKE and trigram text, and the query plans the
// history screen relies on.
#include "StoreTestSupport.h"
#include "store/Database.h"
#include "store/HistorySql.h"
#include "store/SqliteError.h"
#include "store/TextSearch.h"

#include <gtest/gtest.h>
#include <map>

namespace cplink::store::test {
namespace {

using cplink::test::TempDir;
using SortBy = HistoryQuery::SortBy;

TEST(StoreTypes, StateNamesRoundTrip) {
    const std::map<MessageState, std::string> names{{MessageState::Queued, "queued"},
                                                    {MessageState::Sending, "sending"},
                                                    {MessageState::Relayed, "relayed"},
                                                    {MessageState::Delivered, "delivered"},
                                                    {MessageState::Failed, "failed"},
                                                    {MessageState::Cancelled, "cancelled"},
                                                    {MessageState::Downloaded, "downloaded"},
                                                    {MessageState::Verified, "verified"},
                                                    {MessageState::Saving, "saving"},
                                                    {MessageState::Saved, "saved"},
                                                    {MessageState::ReceiptSent, "receipt_sent"},
                                                    {MessageState::Acknowledged, "acknowledged"},
                                                    {MessageState::Quarantined, "quarantined"}};
    ASSERT_EQ(names.size(), 13u);
    for (const auto& [state, name] : names) {
        EXPECT_EQ(toString(state), name);
        EXPECT_EQ(messageStateFromString(name), state);
    }
    EXPECT_FALSE(messageStateFromString("Queued"));
    EXPECT_FALSE(messageStateFromString(""));
}

TEST(StoreTypes, DirectionAndReceiptStatusNames) {
    EXPECT_STREQ(toString(Direction::Outgoing), "outgoing");
    EXPECT_STREQ(toString(Direction::Incoming), "incoming");
    EXPECT_EQ(directionFromString("incoming"), Direction::Incoming);
    EXPECT_FALSE(directionFromString("in"));
    for (const auto status : {ReceiptStatus::None, ReceiptStatus::Verified, ReceiptStatus::Invalid})
        EXPECT_EQ(receiptStatusFromString(toString(status)), status);
    EXPECT_STREQ(toString(ReceiptStatus::None), "none");
    EXPECT_FALSE(receiptStatusFromString("valid"));
}

TEST(StoreTypes, FinalStates) {
    for (const auto s : {MessageState::Delivered, MessageState::Cancelled, MessageState::Acknowledged,
                         MessageState::Quarantined, MessageState::Failed})
        EXPECT_TRUE(isFinal(s)) << toString(s);
    for (const auto s :
         {MessageState::Queued, MessageState::Sending, MessageState::Relayed, MessageState::Downloaded,
          MessageState::Verified, MessageState::Saving, MessageState::Saved, MessageState::ReceiptSent})
        EXPECT_FALSE(isFinal(s)) << toString(s);
}

TEST(StoreErrors, SqliteCodesMapToKinds) {
    using Kind = StoreError::Kind;
    EXPECT_EQ(errorKind(SQLITE_FULL, "database or disk is full"), Kind::DiskFull);
    EXPECT_EQ(errorKind(SQLITE_BUSY, ""), Kind::Busy);
    EXPECT_EQ(errorKind(SQLITE_BUSY_SNAPSHOT, ""), Kind::Busy);
    EXPECT_EQ(errorKind(SQLITE_LOCKED, ""), Kind::Busy);
    EXPECT_EQ(errorKind(SQLITE_CORRUPT, ""), Kind::Corrupt);
    EXPECT_EQ(errorKind(SQLITE_NOTADB, ""), Kind::Corrupt);
    EXPECT_EQ(errorKind(SQLITE_IOERR_WRITE, ""), Kind::Io);
    EXPECT_EQ(errorKind(SQLITE_IOERR_FSYNC, ""), Kind::Io);
    EXPECT_EQ(
        errorKind(SQLITE_CONSTRAINT_UNIQUE,
                  "UNIQUE constraint failed: messages.direction, messages.message_id, messages.peer_office"),
        Kind::Duplicate);
    EXPECT_EQ(errorKind(SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: settings.key"), Kind::Other);
    EXPECT_EQ(errorKind(SQLITE_CONSTRAINT_CHECK, "CHECK constraint failed: messages"), Kind::Other);
    EXPECT_EQ(errorKind(SQLITE_ERROR, "no such table"), Kind::Other);
}

TEST(StoreText, LikePatternsMatchTheTextLiterally) {
    EXPECT_EQ(likeContaining("abc"), "%abc%");
    EXPECT_EQ(likeContaining("100%_a\\b"), "%100\\%\\_a\\\\b%");
    EXPECT_EQ(likeStartingWith("03%"), "03\\%%");
    EXPECT_EQ(likeContaining(""), "%%");
}

TEST(StoreText, TrigramQueries) {
    EXPECT_FALSE(trigramQuery(""));
    EXPECT_FALSE(trigramQuery("ab"));
    EXPECT_FALSE(trigramQuery("さく")); // two characters, six bytes
    EXPECT_EQ(trigramQuery("abc"), "\"abc\"");
    EXPECT_EQ(trigramQuery("abcd"), "\"abc\" AND \"bcd\"");
    EXPECT_EQ(trigramQuery("aaaa"), "\"aaa\"");
    EXPECT_EQ(trigramQuery("a\"bc"), "\"\"\"bc\" AND \"a\"\"b\""); // sorted, each once
    EXPECT_EQ(trigramQuery("さくら"), "\"さくら\"");
    // A pasted file name does not become an AND of sixty terms.
    const auto longQuery = trigramQuery("UPPLAN_202504_0300000005_43_0300000100_11_20250401123456.CSV");
    ASSERT_TRUE(longQuery);
    std::size_t terms = 1;
    for (std::size_t at = longQuery->find(" AND "); at != std::string::npos;
         at = longQuery->find(" AND ", at + 1))
        ++terms;
    EXPECT_LE(terms, 16u);
}

TEST(StoreDatabase, StatementsAreCachedBoundedAndSafeToNest) {
    TempDir dir;
    Database db(dir.path() + "/profile.sqlite");
    // The same SQL in use twice at once: the inner use gets its own statement.
    Query outer(db, "SELECT value FROM json_each('[1,2,3]')", "outer");
    ASSERT_TRUE(outer.next());
    {
        Query inner(db, "SELECT value FROM json_each('[1,2,3]')", "inner");
        ASSERT_TRUE(inner.next());
        EXPECT_EQ(inner.int64(0), 1);
        ASSERT_TRUE(inner.next());
    }
    EXPECT_EQ(outer.int64(0), 1);
    ASSERT_TRUE(outer.next());
    EXPECT_EQ(outer.int64(0), 2);
    // Many distinct statements (history filters are built at run time) while one stays in use.
    for (int i = 0; i < 500; ++i) {
        const std::string sql = "SELECT ?1 + " + std::to_string(i);
        Query q(db, sql, "add");
        ASSERT_TRUE(q.bind(1, std::int64_t{1}).next());
        EXPECT_EQ(q.int64(0), i + 1);
    }
    ASSERT_TRUE(outer.next());
    EXPECT_EQ(outer.int64(0), 3);
    EXPECT_FALSE(outer.next());
}

TEST(StoreDatabase, ErrorsNameTheFileAndWhatFailed) {
    TempDir dir;
    const std::string path = dir.path() + "/profile.sqlite";
    Database db(path);
    try {
        Query q(db, "SELECT * FROM no_such_table", "read the moon");
        FAIL();
    } catch (const StoreError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(path), std::string::npos) << what;
        EXPECT_NE(what.find("read the moon"), std::string::npos) << what;
        EXPECT_NE(what.find("no such table"), std::string::npos) << what;
    }
}

// The benchmark (tests/bench/bench_store.cpp) measures these shapes on 1,000,000 rows; here the plan
// itself is pinned: the page is chosen from an index in display order, never by sorting the table.
class StorePlans : public ::testing::Test {
protected:
    // The lines of EXPLAIN QUERY PLAN that belong to the inner (page-choosing) subquery.
    std::vector<std::string> innerPlan(const HistoryQuery& query) {
        const SqlBuilder sql = historyPageSql(query, {});
        const std::string explain = "EXPLAIN QUERY PLAN " + sql.text();
        Query plan(db, explain, "explain");
        plan.bindAll(sql.values());
        std::map<std::int64_t, std::int64_t> parents;
        std::map<std::int64_t, std::string> details;
        while (plan.next()) {
            parents[plan.int64(0)] = plan.int64(1);
            details[plan.int64(0)] = plan.text(3);
        }
        std::int64_t inner = -1;
        for (const auto& [id, detail] : details) {
            if (detail.find("page") != std::string::npos &&
                (detail.rfind("CO-ROUTINE", 0) == 0 || detail.rfind("MATERIALIZE", 0) == 0))
                inner = id;
        }
        std::vector<std::string> lines;
        for (const auto& [id, detail] : details) {
            for (std::int64_t at = id; at != 0; at = parents[at]) {
                if (parents[at] == inner) {
                    lines.push_back(detail);
                    break;
                }
            }
        }
        return lines;
    }

    void expectIndexOrder(const HistoryQuery& query, const std::string& index) {
        const auto lines = innerPlan(query);
        std::string all;
        for (const auto& line : lines)
            all += line + "\n";
        const bool usesIndex = all.find("INDEX " + index + "\n") != std::string::npos ||
                               all.find("INDEX " + index + " (") != std::string::npos;
        EXPECT_TRUE(usesIndex) << index << " not used:\n" << all;
        EXPECT_EQ(all.find("TEMP B-TREE"), std::string::npos) << all;
    }

    TempDir dir;
    Store store{dir.path() + "/profile.sqlite"};
    Database db{dir.path() + "/profile.sqlite"};
};

TEST_F(StorePlans, HistoryShapesReadAnIndexInDisplayOrder) {
    db.configure();
    HistoryQuery q;
    expectIndexOrder(q, "messages_created");
    q.descending = false;
    expectIndexOrder(q, "messages_created");

    q = {};
    q.peerOffice = "0300000100";
    expectIndexOrder(q, "messages_peer");
    q = {};
    q.states = {MessageState::Failed};
    expectIndexOrder(q, "messages_state");
    q = {};
    q.month = "202504";
    expectIndexOrder(q, "messages_month");
    q = {};
    q.kind = "UPPLAN";
    expectIndexOrder(q, "messages_kind");
    q = {};
    q.direction = Direction::Incoming;
    expectIndexOrder(q, "messages_direction");
    q = {};
    q.problemsFirst = true;
    expectIndexOrder(q, "messages_problems");

    // A filter that keeps most rows does not stop a sort column's index from giving the order.
    q = {};
    q.direction = Direction::Incoming;
    q.sortBy = SortBy::Size;
    expectIndexOrder(q, "messages_size");
    q = {};
    q.kind = "UPPLAN";
    q.sortBy = SortBy::FileName;
    q.descending = false;
    expectIndexOrder(q, "messages_file_name");
    q = {};
    q.direction = Direction::Outgoing;
    q.problemsFirst = true;
    expectIndexOrder(q, "messages_problems");
    q = {};
    q.states = {MessageState::Failed, MessageState::Quarantined};
    expectIndexOrder(q, "messages_created");
    q = {};
    q.peerOffice = "0300000100";
    q.month = "202504";
    q.states = {MessageState::Failed, MessageState::Quarantined};
    expectIndexOrder(q, "messages_peer");

    const std::vector<std::pair<SortBy, std::string>> sorts{{SortBy::FileName, "messages_file_name"},
                                                            {SortBy::Peer, "messages_peer"},
                                                            {SortBy::State, "messages_state"},
                                                            {SortBy::Size, "messages_size"}};
    for (const auto& [sortBy, index] : sorts) {
        for (const bool descending : {true, false}) {
            q = {};
            q.sortBy = sortBy;
            q.descending = descending;
            expectIndexOrder(q, index);
        }
    }
}

} // namespace
} // namespace cplink::store::test
