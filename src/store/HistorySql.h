#pragma once

#include "store/SqlBuilder.h"
#include "store/StoreTypes.h"

#include <optional>
#include <string>

namespace cplink::store {

// How the text filter is evaluated. Both give the same rows (the LIKE always decides); the trigram
// index only makes rare text fast, while a plain scan in display order is faster for text that most
// rows contain (see HistoryRepository).
struct TextFilterPlan {
    std::optional<std::string> trigramQuery; // set: also require a match in message_search
};

// Limits applied to a query from the UI: offset ≥ 0, limit 1…1000.
HistoryQuery clampedHistoryQuery(const HistoryQuery& query);

// A page: the ids of limit + 1 rows (one more tells whether there are more) chosen and ordered from the
// narrow indexes first, then those rows' columns (kMessageColumns), in the same order. Sorting whole
// rows would move every column of every candidate through the sorter.
SqlBuilder historyPageSql(const HistoryQuery& query, const TextFilterPlan& text);
SqlBuilder historyCountSql(const HistoryQuery& query, const TextFilterPlan& text);

} // namespace cplink::store
