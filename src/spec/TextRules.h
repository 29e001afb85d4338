#pragma once

#include <string_view>

namespace cplink::spec {

// Small predicates over ASCII field text, shared by the file-name parser and the field checks.
inline bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
inline bool isUpperAlnum(char c) {
    return isDigit(c) || (c >= 'A' && c <= 'Z');
}

// Equality for the short codes compared on every record; inlined, unlike a libc memcmp call.
inline bool sameText(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

inline bool allDigits(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s) {
        if (!isDigit(c))
            return false;
    }
    return true;
}

inline bool allUpperAlnum(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s) {
        if (!isUpperAlnum(c))
            return false;
    }
    return true;
}

// Value of a run of digits (no sign); the caller has checked allDigits and a sane length.
inline long digitsValue(std::string_view s) {
    long v = 0;
    for (char c : s)
        v = v * 10 + (c - '0');
    return v;
}

int daysInMonth(int year, int month);
// YYYYMM with a month 01-12 and a year 1900-2099.
bool isValidYearMonth(std::string_view s);
// YYYYMMDD that names a real calendar day.
bool isValidDate(std::string_view s);
// HHMM, 0000-2359.
bool isValidTime(std::string_view s);
// YYYYMMDDHHMMSS that names a real moment.
bool isValidTimestamp(std::string_view s);

} // namespace cplink::spec
