#include "TextRules.h"

namespace cplink::spec {

int daysInMonth(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return days[month - 1];
}

bool isValidYearMonth(std::string_view s) {
    if (s.size() != 6 || !allDigits(s))
        return false;
    const long year = digitsValue(s.substr(0, 4));
    const long month = digitsValue(s.substr(4, 2));
    return year >= 1900 && year <= 2099 && month >= 1 && month <= 12;
}

bool isValidDate(std::string_view s) {
    if (s.size() != 8 || !allDigits(s))
        return false;
    const auto year = static_cast<int>(digitsValue(s.substr(0, 4)));
    const auto month = static_cast<int>(digitsValue(s.substr(4, 2)));
    const auto day = static_cast<int>(digitsValue(s.substr(6, 2)));
    return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 &&
           day <= daysInMonth(year, month);
}

bool isValidTime(std::string_view s) {
    if (s.size() != 4 || !allDigits(s))
        return false;
    return digitsValue(s.substr(0, 2)) <= 23 && digitsValue(s.substr(2, 2)) <= 59;
}

bool isValidTimestamp(std::string_view s) {
    if (s.size() != 14 || !isValidDate(s.substr(0, 8)) || !allDigits(s.substr(8)))
        return false;
    return digitsValue(s.substr(8, 2)) <= 23 && digitsValue(s.substr(10, 2)) <= 59 &&
           digitsValue(s.substr(12, 2)) <= 59;
}

} // namespace cplink::spec
