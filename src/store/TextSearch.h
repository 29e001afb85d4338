#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cplink::store {

// LIKE patterns from what a person typed: %, _ and the escape character itself match literally. Use
// with ESCAPE '\'.
std::string likeContaining(std::string_view text);
std::string likeStartingWith(std::string_view text);

// An FTS5 query for the trigram index (message_search) that every row containing `text` matches: an AND
// of the text's trigrams, each quoted (detail=none has no phrase queries). A superset: the caller still
// applies the LIKE. None when the text has fewer than three characters (no trigram to look up).
std::optional<std::string> trigramQuery(std::string_view text);

} // namespace cplink::store
