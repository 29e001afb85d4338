#pragma once

#include "store/Database.h"
#include "store/HistorySql.h"
#include "store/Store.h"
#include "store/TextSearchPlanner.h"

namespace cplink::store {

// The history screen's queries (Store::history, countHistory).
class HistoryRepository {
public:
    explicit HistoryRepository(Database& db) : m_db(db), m_planner(db) {}

    HistoryPage page(const HistoryQuery& query);
    std::int64_t count(const HistoryQuery& query);

private:
    Database& m_db;
    TextSearchPlanner m_planner;
};

} // namespace cplink::store
