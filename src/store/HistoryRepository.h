#pragma once

#include "store/Database.h"
#include "store/HistorySql.h"
#include "store/Store.h"

namespace cplink::store {

// The history screen's queries (Store::history, countHistory).
class HistoryRepository {
public:
    explicit HistoryRepository(Database& db) : m_db(db) {}

    HistoryPage page(const HistoryQuery& query);
    std::int64_t count(const HistoryQuery& query);

private:
    // Rare text goes through the trigram index; text that many rows contain is found sooner by reading
    // rows in display order and stopping once the page is full.
    TextFilterPlan planText(const std::string& text);

    Database& m_db;
};

} // namespace cplink::store
