#include "store/HistoryRepository.h"

#include "store/MessageRow.h"
#include "store/TextSearch.h"

namespace cplink::store {

namespace {

// Above this many trigram matches the indexed plan costs more than it saves: each match is a row to
// read and sort (about 1 µs each), while text in this many rows of 1,000,000 fills a page after a few
// thousand rows read in display order. Measured with tests/bench/bench_store.cpp (docs/benchmarks.md).
constexpr std::int64_t kIndexedTextMatches = 20000;

} // namespace

TextFilterPlan HistoryRepository::planText(const std::string& text) {
    TextFilterPlan plan;
    if (text.empty())
        return plan;
    std::optional<std::string> trigrams = trigramQuery(text);
    if (!trigrams)
        return plan;
    // Counting stops at the threshold, so the probe costs little even for text in every row.
    Query probe(
        m_db,
        "SELECT count(*) FROM (SELECT rowid FROM message_search WHERE message_search MATCH ?1 LIMIT ?2)",
        "search the history");
    probe.bind(1, *trigrams).bind(2, kIndexedTextMatches);
    if (probe.next() && probe.int64(0) < kIndexedTextMatches)
        plan.trigramQuery = std::move(trigrams);
    return plan;
}

HistoryPage HistoryRepository::page(const HistoryQuery& query) {
    const HistoryQuery q = clampedHistoryQuery(query);
    const SqlBuilder sql = historyPageSql(q, planText(q.text));
    Query select(m_db, sql.text(), "read the history");
    select.bindAll(sql.values());
    HistoryPage page;
    page.rows = readMessages(select);
    if (page.rows.size() > static_cast<std::size_t>(q.limit)) {
        page.rows.pop_back();
        page.more = true;
    }
    return page;
}

std::int64_t HistoryRepository::count(const HistoryQuery& query) {
    const SqlBuilder sql = historyCountSql(query, planText(query.text));
    Query select(m_db, sql.text(), "count the history");
    select.bindAll(sql.values());
    return select.next() ? select.int64(0) : 0;
}

} // namespace cplink::store
