// history(), countHistory() and monthMessages() against a reference model of the same rules.
#include "StoreTestSupport.h"
#include "store/Database.h"
#include "store/HistorySql.h"
#include "store/MessageRow.h"
#include "store/MonthRange.h"
#include "store/TextSearch.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>

namespace cplink::store::test {
namespace {

using cplink::test::TempDir;
using SortBy = HistoryQuery::SortBy;

const std::vector<std::string> kPeers{"0300000100", "0300000200", "1310000300", "2720000400"};
const std::vector<std::string> kKinds{"UPPLAN", "UPSIKYU", "UPHOSOKU", "DLTPLAN"};
const std::vector<std::string> kMonths{"202503", "202504", "202505", ""};
const std::vector<MessageState> kOutgoingStates{MessageState::Queued,  MessageState::Sending,
                                                MessageState::Relayed, MessageState::Delivered,
                                                MessageState::Failed,  MessageState::Cancelled};
const std::vector<MessageState> kIncomingStates{
    MessageState::Downloaded,  MessageState::Verified,     MessageState::Saving,     MessageState::Saved,
    MessageState::ReceiptSent, MessageState::Acknowledged, MessageState::Quarantined};

bool isProblem(MessageState s) {
    return s == MessageState::Failed || s == MessageState::Quarantined;
}

std::string lowerAscii(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

bool containsIgnoringAsciiCase(const std::string& haystack, const std::string& needle) {
    return lowerAscii(haystack).find(lowerAscii(needle)) != std::string::npos;
}

// The rules of HistoryQuery as plain C++.
std::vector<MessageRecord> reference(std::vector<MessageRecord> rows, const HistoryQuery& q) {
    std::erase_if(rows, [&](const MessageRecord& r) {
        if (q.direction && r.direction != *q.direction)
            return true;
        if (!q.states.empty() && std::find(q.states.begin(), q.states.end(), r.state) == q.states.end())
            return true;
        if (!q.peerOffice.empty() && r.peerOffice != q.peerOffice)
            return true;
        if (!q.month.empty() && r.month != q.month)
            return true;
        if (!q.kind.empty() && r.kind != q.kind)
            return true;
        if (q.from && r.createdAt < *q.from)
            return true;
        if (q.to && r.createdAt >= *q.to)
            return true;
        if (!q.text.empty() && !containsIgnoringAsciiCase(r.fileName, q.text) &&
            !containsIgnoringAsciiCase(r.messageId, q.text))
            return true;
        return false;
    });
    const auto key = [&](const MessageRecord& r) {
        std::string text;
        std::int64_t number = 0;
        switch (q.sortBy) {
        case SortBy::FileName:
            text = r.fileName;
            break;
        case SortBy::Peer:
            text = r.peerOffice;
            break;
        case SortBy::State:
            text = toString(r.state);
            break;
        case SortBy::Size:
            number = r.size;
            break;
        case SortBy::Time:
            break;
        }
        return std::tuple(text, number, r.createdAt, r.id);
    };
    std::sort(rows.begin(), rows.end(), [&](const MessageRecord& a, const MessageRecord& b) {
        if (q.problemsFirst && isProblem(a.state) != isProblem(b.state))
            return isProblem(a.state);
        return q.descending ? key(b) < key(a) : key(a) < key(b);
    });
    return rows;
}

std::vector<std::int64_t> ids(const std::vector<MessageRecord>& rows) {
    std::vector<std::int64_t> out;
    for (const auto& r : rows)
        out.push_back(r.id);
    return out;
}

class StoreHistory : public ::testing::Test {
protected:
    static constexpr int kRows = 300;

    void SetUp() override {
        std::mt19937 random(20250401);
        const auto pick = [&](const auto& list) {
            return list[random() % list.size()];
        };
        for (int i = 0; i < kRows; ++i) {
            const Direction direction = random() % 2 ? Direction::Outgoing : Direction::Incoming;
            auto m = sampleMessage(direction, pick(kPeers), "01J" + std::to_string(100000 + i) + "QZ");
            MessageRecord& r = m.record;
            r.kind = pick(kKinds);
            r.month = pick(kMonths);
            r.state = direction == Direction::Outgoing ? pick(kOutgoingStates) : pick(kIncomingStates);
            r.size = static_cast<std::int64_t>(random() % 50) * 1000; // many equal sizes: tie-breaks matter
            r.fileName = r.kind + (r.month.empty() ? "" : "_" + r.month) + "_0300000005_43_" + r.peerOffice +
                         "_11_2025040" + std::to_string(random() % 10) + "000000.CSV";
            if (i % 37 == 0)
                r.fileName = "odd 100%_done\\" + std::to_string(i) + ".CSV"; // LIKE's special characters
            // Whole minutes and collisions: several rows share a created_at.
            const UnixTime at = 1743465600 + static_cast<UnixTime>(random() % 120) * 60;
            r.id = store.addMessage(m, at);
            r.createdAt = r.updatedAt = at;
            rows.push_back(r);
        }
    }

    void expectPage(const HistoryQuery& q, const std::string& label) {
        const auto expected = reference(rows, q);
        const auto page = store.history(q);
        const int limit = std::clamp(q.limit, 1, 1000);
        const std::size_t begin = std::min(expected.size(), static_cast<std::size_t>(std::max(q.offset, 0)));
        const std::size_t end = std::min(expected.size(), begin + static_cast<std::size_t>(limit));
        EXPECT_EQ(ids(page.rows), ids({expected.begin() + static_cast<std::ptrdiff_t>(begin),
                                       expected.begin() + static_cast<std::ptrdiff_t>(end)}))
            << label;
        EXPECT_EQ(page.more, end < expected.size()) << label;
        EXPECT_EQ(store.countHistory(q), static_cast<std::int64_t>(expected.size())) << label;
    }

    TempDir dir;
    Store store{dir.path() + "/profile.sqlite"};
    std::vector<MessageRecord> rows;
};

TEST_F(StoreHistory, NoFilterIsEverythingNewestFirst) {
    HistoryQuery q;
    q.limit = 1000;
    expectPage(q, "all");
    const auto page = store.history(q);
    ASSERT_EQ(page.rows.size(), static_cast<std::size_t>(kRows));
    EXPECT_FALSE(page.more);
    EXPECT_EQ(page.rows.front().fileName.empty(), false);
}

TEST_F(StoreHistory, EachFilter) {
    HistoryQuery q;
    q.limit = 1000;
    for (const Direction d : {Direction::Outgoing, Direction::Incoming}) {
        q = {};
        q.limit = 1000;
        q.direction = d;
        expectPage(q, std::string("direction ") + toString(d));
    }
    q = {};
    q.limit = 1000;
    q.states = {MessageState::Failed};
    expectPage(q, "state failed");
    q.states = {MessageState::Queued, MessageState::Saved, MessageState::Quarantined};
    expectPage(q, "three states");
    for (const auto& peer : kPeers) {
        q = {};
        q.limit = 1000;
        q.peerOffice = peer;
        expectPage(q, "peer " + peer);
    }
    for (const auto& month : {"202503", "202505"}) {
        q = {};
        q.limit = 1000;
        q.month = month;
        expectPage(q, std::string("month ") + month);
    }
    for (const auto& kind : kKinds) {
        q = {};
        q.limit = 1000;
        q.kind = kind;
        expectPage(q, "kind " + kind);
    }
    q = {};
    q.limit = 1000;
    q.from = 1743465600 + 30 * 60;
    expectPage(q, "from");
    q.to = 1743465600 + 60 * 60;
    expectPage(q, "from and to (to is exclusive)");
    q.from.reset();
    expectPage(q, "to");
}

TEST_F(StoreHistory, TextIsASubstringOfFileNameOrMessageIdWithLikeCharactersLiteral) {
    for (const std::string text :
         {"UPPLAN", "upsikyu", "0300000200", "QZ", "01J100042", "%", "%_", "100%_d", "_", "\\", "0%", "x",
          "no such text", "'; DROP TABLE messages; --", "\""}) {
        HistoryQuery q;
        q.limit = 1000;
        q.text = text;
        expectPage(q, "text " + text);
        // Small pages let the planner choose the plain scan for text in many rows.
        q.limit = 10;
        q.offset = 5;
        expectPage(q, "text " + text + ", small page");
        q.descending = false;
        expectPage(q, "text " + text + ", small page, oldest first");
        q.sortBy = SortBy::FileName;
        expectPage(q, "text " + text + ", small page, by file name");
    }
    HistoryQuery literal;
    literal.text = "%";
    EXPECT_EQ(store.countHistory(literal), (kRows + 36) / 37);
}

TEST_F(StoreHistory, FiltersCombine) {
    HistoryQuery q;
    q.limit = 1000;
    q.direction = Direction::Outgoing;
    q.states = {MessageState::Failed, MessageState::Delivered};
    q.peerOffice = kPeers[1];
    expectPage(q, "direction + states + peer");
    q.text = "UPPLAN";
    q.month = "202504";
    expectPage(q, "+ text + month");
    q = {};
    q.kind = "UPSIKYU";
    q.from = 1743465600;
    q.to = 1743465600 + 90 * 60;
    q.problemsFirst = true;
    q.sortBy = SortBy::Size;
    q.descending = false;
    q.limit = 7;
    q.offset = 3;
    expectPage(q, "kind + time range, problems first, by size, a middle page");
}

TEST_F(StoreHistory, EverySortOrderBothWays) {
    for (const SortBy sortBy : {SortBy::Time, SortBy::FileName, SortBy::Peer, SortBy::State, SortBy::Size}) {
        for (const bool descending : {true, false}) {
            for (const bool problemsFirst : {false, true}) {
                HistoryQuery q;
                q.limit = 1000;
                q.sortBy = sortBy;
                q.descending = descending;
                q.problemsFirst = problemsFirst;
                expectPage(q, "sort " + std::to_string(static_cast<int>(sortBy)) +
                                  (descending ? " desc" : " asc") + (problemsFirst ? " problems first" : ""));
            }
        }
    }
}

TEST_F(StoreHistory, ProblemsComeFirst) {
    HistoryQuery q;
    q.problemsFirst = true;
    q.limit = 1000;
    const auto page = store.history(q);
    const auto firstOther = std::find_if(page.rows.begin(), page.rows.end(),
                                         [](const MessageRecord& r) { return !isProblem(r.state); });
    ASSERT_NE(firstOther, page.rows.begin());
    EXPECT_TRUE(
        std::none_of(firstOther, page.rows.end(), [](const MessageRecord& r) { return isProblem(r.state); }));
}

TEST_F(StoreHistory, PagesFollowEachOtherWithMore) {
    for (const SortBy sortBy : {SortBy::Time, SortBy::Size}) {
        HistoryQuery q;
        q.sortBy = sortBy;
        q.limit = 40;
        std::vector<std::int64_t> seen;
        for (q.offset = 0;; q.offset += q.limit) {
            const auto page = store.history(q);
            for (const auto& r : page.rows)
                seen.push_back(r.id);
            expectPage(q, "offset " + std::to_string(q.offset));
            if (!page.more)
                break;
        }
        HistoryQuery all = q;
        all.offset = 0;
        all.limit = 1000;
        EXPECT_EQ(seen, ids(reference(rows, all)));
    }
    HistoryQuery exact;
    exact.limit = kRows;
    EXPECT_FALSE(store.history(exact).more);
    exact.limit = kRows - 1;
    EXPECT_TRUE(store.history(exact).more);
    exact.offset = kRows;
    EXPECT_TRUE(store.history(exact).rows.empty());
}

TEST_F(StoreHistory, LimitIsClampedAndNegativeOffsetIsZero) {
    HistoryQuery q;
    q.limit = 0;
    expectPage(q, "limit 0 → 1");
    EXPECT_EQ(store.history(q).rows.size(), 1u);
    q.limit = -5;
    q.offset = -10;
    expectPage(q, "negative");
    q.limit = 5000;
    q.offset = 0;
    EXPECT_EQ(store.history(q).rows.size(), static_cast<std::size_t>(kRows));
}

// HistoryRepository picks the trigram pre-filter only for rare text; both plans must give the same rows.
TEST_F(StoreHistory, TheTrigramPlanAndThePlainScanAgree) {
    Database db(store.path());
    db.configure();
    for (const std::string text : {"UPPLAN", "0300000200_11", "100%_", "J10012", "CSV", "odd"}) {
        HistoryQuery q;
        q.text = text;
        q.limit = 1000;
        std::vector<std::vector<std::int64_t>> results;
        for (const bool indexed : {false, true}) {
            TextFilterPlan plan;
            if (indexed)
                plan.trigramQuery = trigramQuery(text);
            const SqlBuilder sql = historyPageSql(q, plan);
            Query query(db, sql.text(), "test");
            query.bindAll(sql.values());
            results.push_back(ids(readMessages(query)));
        }
        EXPECT_EQ(results[0], results[1]) << text;
        EXPECT_EQ(results[0], ids(reference(rows, q))) << text;
    }
}

TEST(StoreMonth, NameMonthOrCreatedInTheMonthWhenTheNameHasNone) {
    TempDir dir;
    Store store(dir.path() + "/profile.sqlite");
    const auto april = localMonthRange("202504");
    ASSERT_TRUE(april);
    const auto add = [&](const char* id, const char* month, UnixTime at, Direction d = Direction::Outgoing) {
        auto m = sampleMessage(d, "0300000100", id);
        m.record.month = month;
        return store.addMessage(m, at);
    };
    const UnixTime mid = april->first + 14 * 86400;
    const auto late = add("named April, sent in May", "202504", april->second + 86400);
    const auto early = add("named April, sent in March", "202504", april->first - 86400, Direction::Incoming);
    const auto plain = add("no month, sent in April", "", mid);
    const auto first = add("no month, first second of April", "", april->first);
    add("no month, first second of May", "", april->second);
    add("no month, sent in March", "", april->first - 1);
    add("named May, sent in April", "202505", mid);
    EXPECT_EQ(ids(store.monthMessages("202504")), (std::vector<std::int64_t>{early, first, plain, late}));
    EXPECT_TRUE(store.monthMessages("202513").empty());
    EXPECT_TRUE(store.monthMessages("").empty());
}

TEST(StoreMonth, LocalMonthRange) {
    const auto range = localMonthRange("202412");
    ASSERT_TRUE(range);
    EXPECT_EQ(range->second - range->first, 31 * 86400);
    EXPECT_EQ(localMonthRange("202412")->second, localMonthRange("202501")->first);
    EXPECT_FALSE(localMonthRange("2024-1"));
    EXPECT_FALSE(localMonthRange("202400"));
    EXPECT_FALSE(localMonthRange("20241"));
    EXPECT_FALSE(localMonthRange("-20412"));
}

} // namespace
} // namespace cplink::store::test
