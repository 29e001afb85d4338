#include "store/MonthRange.h"

#include <charconv>
#include <ctime>

namespace cplink::store {

namespace {

UnixTime localMidnightOnFirst(int year, int month) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1; // mktime normalises month 12 → January of the next year
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    return static_cast<UnixTime>(std::mktime(&tm));
}

} // namespace

std::optional<std::pair<UnixTime, UnixTime>> localMonthRange(std::string_view month) {
    if (month.size() != 6)
        return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(month.data(), month.data() + month.size(), value);
    if (ec != std::errc() || end != month.data() + month.size())
        return std::nullopt;
    const int year = value / 100;
    const int mon = value % 100;
    if (mon < 1 || mon > 12)
        return std::nullopt;
    return std::pair{localMidnightOnFirst(year, mon), localMidnightOnFirst(year, mon + 1)};
}

} // namespace cplink::store
