#include "store/HistorySql.h"

#include "store/MessageRow.h"
#include "store/TextSearch.h"

#include <algorithm>

namespace cplink::store {

namespace {

constexpr int kMaxLimit = 1000;
// Must stay identical to the expression of the messages_problems index (Schema.cpp), or SQLite sorts.
constexpr std::string_view kProblemsFirst = "(state IN ('failed', 'quarantined')) DESC, ";

void appendFilters(SqlBuilder& sql, const HistoryQuery& q, const TextFilterPlan& text) {
    // "1" keeps every condition below a plain " AND …".
    sql.sql(" WHERE 1");
    if (q.direction)
        sql.sql(" AND direction = ").param(toString(*q.direction));
    if (!q.states.empty())
        sql.sql(" AND state IN (")
            .paramList(q.states, [](MessageState s) { return SqlValue(toString(s)); })
            .sql(")");
    if (!q.peerOffice.empty())
        sql.sql(" AND peer_office = ").param(q.peerOffice);
    if (!q.month.empty())
        sql.sql(" AND month = ").param(q.month);
    if (!q.kind.empty())
        sql.sql(" AND kind = ").param(q.kind);
    if (q.from)
        sql.sql(" AND created_at >= ").param(*q.from);
    if (q.to)
        sql.sql(" AND created_at < ").param(*q.to);
    if (!q.text.empty()) {
        const std::string pattern = likeContaining(q.text);
        sql.sql(" AND (file_name LIKE ").param(pattern).sql(" ESCAPE '\\' OR message_id LIKE ");
        sql.param(pattern).sql(" ESCAPE '\\')");
        if (text.trigramQuery) {
            sql.sql(" AND id IN (SELECT rowid FROM message_search WHERE message_search MATCH ");
            sql.param(*text.trigramQuery).sql(")");
        }
    }
}

std::string_view sortColumn(HistoryQuery::SortBy sortBy) {
    switch (sortBy) {
    case HistoryQuery::SortBy::FileName:
        return "file_name";
    case HistoryQuery::SortBy::Peer:
        return "peer_office";
    case HistoryQuery::SortBy::State:
        return "state";
    case HistoryQuery::SortBy::Size:
        return "size";
    case HistoryQuery::SortBy::Time:
        break;
    }
    return {};
}

// Rows with the same sort key follow in time order, then by id: a stable order for paging. Every index
// on messages ends with (created_at, rowid), so this is the order the index already has.
std::string orderBy(const HistoryQuery& q) {
    const std::string_view direction = q.descending ? " DESC" : " ASC";
    std::string order = " ORDER BY ";
    if (q.problemsFirst)
        order.append(kProblemsFirst);
    if (const std::string_view column = sortColumn(q.sortBy); !column.empty())
        order.append(column).append(direction).append(", ");
    order.append("created_at").append(direction).append(", id").append(direction);
    return order;
}

} // namespace

HistoryQuery clampedHistoryQuery(const HistoryQuery& query) {
    HistoryQuery q = query;
    q.offset = std::max(q.offset, 0);
    q.limit = std::clamp(q.limit, 1, kMaxLimit);
    return q;
}

SqlBuilder historyPageSql(const HistoryQuery& query, const TextFilterPlan& text) {
    const HistoryQuery q = clampedHistoryQuery(query);
    const std::string order = orderBy(q);
    SqlBuilder sql;
    // CROSS JOIN keeps the page as the outer loop: SQLite never turns this into a scan of messages.
    sql.sql("SELECT ").sql(kMessageColumns).sql(" FROM (SELECT id AS page_id FROM messages");
    appendFilters(sql, q, text);
    sql.sql(order)
        .sql(" LIMIT ")
        .param(std::int64_t{q.limit} + 1)
        .sql(" OFFSET ")
        .param(std::int64_t{q.offset});
    sql.sql(") AS page CROSS JOIN messages ON messages.id = page.page_id").sql(order);
    return sql;
}

SqlBuilder historyCountSql(const HistoryQuery& query, const TextFilterPlan& text) {
    SqlBuilder sql;
    sql.sql("SELECT count(*) FROM messages");
    appendFilters(sql, query, text);
    return sql;
}

} // namespace cplink::store
