#pragma once

#include "store/Database.h"
#include "store/HistorySql.h"
#include "store/StoreTypes.h"

namespace cplink::store {

// Decides, before a history query runs, whether its text filter goes through the trigram index or is
// checked on rows read in display order. Both give the same rows; their costs differ by orders of
// magnitude depending on the text:
//  - the indexed plan costs about 1 µs per trigram match (each match is a row to read and sort);
//  - the plain scan costs about 0.4 µs per row read, and stops once the page is full, so it is fast when
//    matches are dense among the newest rows and slow when they are rare or far back.
// The trigram index answers cheaply how far back the page's last match lies (its rowids follow commit
// order, which is time order in practice), which estimates the scan; a bounded count estimates the other.
class TextSearchPlanner {
public:
    explicit TextSearchPlanner(Database& db) : m_db(db) {}

    TextFilterPlan forPage(const HistoryQuery& query);
    TextFilterPlan forCount(const HistoryQuery& query);

private:
    // Rowid of the n-th match (1-based) counting from the newest (or oldest); none if fewer match.
    std::optional<std::int64_t> nthMatch(const std::string& trigrams, std::int64_t n, bool newestFirst);
    // Matches of the trigram query, counted up to `cap`.
    std::int64_t matchesUpTo(const std::string& trigrams, std::int64_t cap);
    // Rows between the newest (or oldest) row and `rowid`.
    std::int64_t rowsBefore(std::int64_t rowid, bool newestFirst);

    Database& m_db;
};

} // namespace cplink::store
