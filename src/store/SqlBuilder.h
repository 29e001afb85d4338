#pragma once

#include "store/Database.h"

#include <string>
#include <string_view>
#include <vector>

namespace cplink::store {

// SQL text assembled at run time (history filters) with its parameters beside it: every value goes
// through param(), which writes a `?` and keeps the value for binding, so no user text is ever part of
// the SQL. Anonymous `?` parameters are numbered in order of appearance, which is the order kept here.
class SqlBuilder {
public:
    SqlBuilder& sql(std::string_view text) {
        m_text.append(text);
        return *this;
    }
    SqlBuilder& param(SqlValue value) {
        m_text.push_back('?');
        m_values.push_back(std::move(value));
        return *this;
    }
    // "?, ?, ?" for an IN list.
    template <typename Range, typename Convert> SqlBuilder& paramList(const Range& range, Convert convert) {
        bool first = true;
        for (const auto& item : range) {
            if (!first)
                m_text.append(", ");
            first = false;
            param(convert(item));
        }
        return *this;
    }

    const std::string& text() const { return m_text; }
    const std::vector<SqlValue>& values() const { return m_values; }

private:
    std::string m_text;
    std::vector<SqlValue> m_values;
};

} // namespace cplink::store
