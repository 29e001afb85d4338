#include "store/HistoryRepository.h"

#include "store/MessageRow.h"

namespace cplink::store {

HistoryPage HistoryRepository::page(const HistoryQuery& query) {
    const HistoryQuery q = clampedHistoryQuery(query);
    const SqlBuilder sql = historyPageSql(q, m_planner.forPage(q));
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
    const SqlBuilder sql = historyCountSql(query, m_planner.forCount(query));
    Query select(m_db, sql.text(), "count the history");
    select.bindAll(sql.values());
    return select.next() ? select.int64(0) : 0;
}

} // namespace cplink::store
