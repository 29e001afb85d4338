#include "store/TextSearch.h"

#include <algorithm>
#include <vector>

namespace cplink::store {

namespace {

constexpr char kEscape = '\\';
// An AND of many terms costs more than it filters once a few are in; a pasted file name has ~60.
constexpr std::size_t kMaxTrigrams = 16;

std::string escapeLike(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    for (const char c : text) {
        if (c == '%' || c == '_' || c == kEscape)
            out.push_back(kEscape);
        out.push_back(c);
    }
    return out;
}

// Start offsets of the UTF-8 characters of `text` (the trigram tokenizer counts characters, not bytes).
std::vector<std::size_t> characterStarts(std::string_view text) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            starts.push_back(i);
    }
    return starts;
}

void appendQuoted(std::string& out, std::string_view term) {
    out.push_back('"');
    for (const char c : term) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

} // namespace

std::string likeContaining(std::string_view text) {
    return "%" + escapeLike(text) + "%";
}

std::string likeStartingWith(std::string_view text) {
    return escapeLike(text) + "%";
}

std::optional<std::string> trigramQuery(std::string_view text) {
    const std::vector<std::size_t> starts = characterStarts(text);
    if (starts.size() < 3)
        return std::nullopt;
    std::vector<std::string_view> trigrams;
    for (std::size_t i = 0; i + 2 < starts.size(); ++i) {
        const std::size_t end = i + 3 < starts.size() ? starts[i + 3] : text.size();
        trigrams.push_back(text.substr(starts[i], end - starts[i]));
    }
    std::sort(trigrams.begin(), trigrams.end());
    trigrams.erase(std::unique(trigrams.begin(), trigrams.end()), trigrams.end());
    const std::size_t step = (trigrams.size() + kMaxTrigrams - 1) / kMaxTrigrams;
    std::string query;
    for (std::size_t i = 0; i < trigrams.size(); i += step) {
        if (!query.empty())
            query.append(" AND ");
        appendQuoted(query, trigrams[i]);
    }
    return query;
}

} // namespace cplink::store
