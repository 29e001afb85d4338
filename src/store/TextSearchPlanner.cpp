#include "store/TextSearchPlanner.h"

#include "store/TextSearch.h"

#include <algorithm>

namespace cplink::store {

namespace {

// A scan in display order that reads this many rows costs ~15 ms: below it, scanning is always fine.
constexpr std::int64_t kCheapScanRows = 40000;
// Beyond this many rows to scan, check that the indexed plan is not even worse (text in most rows).
constexpr std::int64_t kLongScanRows = 250000;
// Counting matches costs ~0.3 µs each; the count stops here, where either plan is slow anyway.
constexpr std::int64_t kMaxCountedMatches = 200000;
// For other orders (and counts) there is no cheap estimate of the scan: index below this many matches.
constexpr std::int64_t kIndexedMatchesOtherOrders = 20000;

bool displaysInTimeOrder(const HistoryQuery& q) {
    return q.sortBy == HistoryQuery::SortBy::Time && !q.problemsFirst;
}

} // namespace

std::optional<std::int64_t> TextSearchPlanner::nthMatch(const std::string& trigrams, std::int64_t n,
                                                        bool newestFirst) {
    Query query(m_db,
                newestFirst
                    ? "SELECT rowid FROM message_search WHERE message_search MATCH ?1 ORDER BY rowid DESC "
                      "LIMIT 1 OFFSET ?2"
                    : "SELECT rowid FROM message_search WHERE message_search MATCH ?1 ORDER BY rowid "
                      "LIMIT 1 OFFSET ?2",
                "search the history");
    query.bind(1, trigrams).bind(2, n - 1);
    if (!query.next())
        return std::nullopt;
    return query.int64(0);
}

std::int64_t TextSearchPlanner::matchesUpTo(const std::string& trigrams, std::int64_t cap) {
    Query query(
        m_db,
        "SELECT count(*) FROM (SELECT rowid FROM message_search WHERE message_search MATCH ?1 LIMIT ?2)",
        "search the history");
    query.bind(1, trigrams).bind(2, cap);
    return query.next() ? query.int64(0) : 0;
}

std::int64_t TextSearchPlanner::rowsBefore(std::int64_t rowid, bool newestFirst) {
    Query query(m_db, newestFirst ? "SELECT max(id) FROM messages" : "SELECT min(id) FROM messages",
                "search the history");
    const std::int64_t end = query.next() ? query.int64(0) : rowid;
    return newestFirst ? end - rowid : rowid - end;
}

TextFilterPlan TextSearchPlanner::forPage(const HistoryQuery& query) {
    TextFilterPlan plan;
    std::optional<std::string> trigrams = trigramQuery(query.text);
    if (!trigrams)
        return plan; // under three characters: nothing to look up, and such text matches many rows
    if (!displaysInTimeOrder(query)) {
        if (matchesUpTo(*trigrams, kIndexedMatchesOtherOrders) < kIndexedMatchesOtherOrders)
            plan.trigramQuery = std::move(trigrams);
        return plan;
    }
    const std::int64_t needed = std::int64_t{query.offset} + query.limit + 1;
    const auto last = nthMatch(*trigrams, needed, query.descending);
    if (!last) {
        plan.trigramQuery = std::move(trigrams); // fewer matches than the page: the index is cheapest
        return plan;
    }
    const std::int64_t scanRows = rowsBefore(*last, query.descending);
    if (scanRows <= kCheapScanRows)
        return plan;
    if (scanRows > kLongScanRows) {
        const std::int64_t cap = std::min(scanRows / 2, kMaxCountedMatches);
        if (matchesUpTo(*trigrams, cap) >= cap)
            return plan;
    }
    plan.trigramQuery = std::move(trigrams);
    return plan;
}

TextFilterPlan TextSearchPlanner::forCount(const HistoryQuery& query) {
    // A count reads every match either way; the plain scan reads every row, so the index wins unless
    // nearly every row matches.
    TextFilterPlan plan;
    std::optional<std::string> trigrams = trigramQuery(query.text);
    if (trigrams && matchesUpTo(*trigrams, kMaxCountedMatches) < kMaxCountedMatches)
        plan.trigramQuery = std::move(trigrams);
    return plan;
}

} // namespace cplink::store
