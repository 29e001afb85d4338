#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace cplink::spec {

// Small predicates over ASCII field text, shared by the file-name parser and the field checks.
inline bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
inline bool isUpperAlnum(char c) {
    return isDigit(c) || (c >= 'A' && c <= 'Z');
}

namespace detail {
inline std::uint64_t load8(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
inline std::uint32_t load4(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
// All eight bytes are '0'..'9': high nibbles are 3, and adding 6 carries into none of them.
inline bool eightDigits(std::uint64_t v) {
    constexpr std::uint64_t high = 0xF0F0F0F0F0F0F0F0ull;
    constexpr std::uint64_t threes = 0x3030303030303030ull;
    return (v & high) == threes && ((v + 0x0606060606060606ull) & high) == threes;
}
} // namespace detail

// Equality for the short codes compared on every record: word compares (two overlapping loads)
// instead of a libc memcmp call or a byte loop.
inline bool sameText(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    if (n != b.size())
        return false;
    if (n >= 8 && n <= 16)
        return ((detail::load8(a.data()) ^ detail::load8(b.data())) |
                (detail::load8(a.data() + n - 8) ^ detail::load8(b.data() + n - 8))) == 0;
    if (n >= 4 && n < 8)
        return ((detail::load4(a.data()) ^ detail::load4(b.data())) |
                (detail::load4(a.data() + n - 4) ^ detail::load4(b.data() + n - 4))) == 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

inline bool allDigits(std::string_view s) {
    const std::size_t n = s.size();
    if (n == 0)
        return false;
    if (n >= 8 && n <= 16) // most codes, dates and numbers: eight bytes at a time
        return detail::eightDigits(detail::load8(s.data())) &&
               detail::eightDigits(detail::load8(s.data() + n - 8));
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
