#include "FieldChecker.h"

#include "Ms932.h"
#include "TextRules.h"

#include <cstring>

namespace cplink::spec {
namespace {

bool isIntegerText(std::string_view v) {
    if (!v.empty() && v.front() == '-')
        v.remove_prefix(1);
    return allDigits(v);
}

bool isZip(std::string_view v) {
    return v.size() == 8 && allDigits(v.substr(0, 3)) && v[3] == '-' && allDigits(v.substr(4));
}

bool isTais(std::string_view v) {
    return v.size() == 12 && allDigits(v.substr(0, 5)) && v[5] == '-' && allDigits(v.substr(6));
}

bool isDecimal99(std::string_view v) {
    const auto dot = v.find('.');
    if (dot == std::string_view::npos)
        return false;
    const auto whole = v.substr(0, dot);
    const auto fraction = v.substr(dot + 1);
    return whole.size() >= 1 && whole.size() <= 2 && allDigits(whole) && fraction.size() == 2 &&
           allDigits(fraction);
}

bool isFlags31(std::string_view v) {
    if (v.size() != 31)
        return false;
    for (char c : v) {
        if (c != '0' && c != '1')
            return false;
    }
    return true;
}

bool isPhoneText(std::string_view v) {
    for (char c : v) {
        if (!isDigit(c) && c != '-' && c != '(' && c != ')' && c != '+' && c != ' ')
            return false;
    }
    return true;
}

} // namespace

std::string displayValue(std::string_view raw, std::size_t limit) {
    std::string text = ms932ToUtf8(raw.substr(0, limit * 2));
    // Cut on a UTF-8 boundary near the limit.
    std::size_t chars = 0;
    std::size_t i = 0;
    for (; i < text.size() && chars < limit; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++chars;
    }
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
        ++i;
    const bool cut = i < text.size() || raw.size() > limit * 2;
    text.resize(i);
    for (auto& c : text) {
        if (c == '\r' || c == '\n')
            c = ' ';
    }
    return cut ? text + "…" : text;
}

FieldChecker::FieldChecker(const std::vector<FieldSpec>& layout) {
    const Schema& schema = Schema::instance();
    m_fields.reserve(layout.size());
    for (const auto& spec : layout) {
        Compiled c;
        c.spec = &spec;
        c.type = spec.type;
        c.maxBytes = spec.maxBytes ? static_cast<std::uint32_t>(*spec.maxBytes) : 0u;
        c.required = spec.required.has_value();
        c.needed = spec.needed;
        c.quoted = spec.quoted;
        c.lengthIsError = spec.lengthSeverity == Severity::Error;
        if (!spec.codeTable.empty()) {
            if (const auto* table = schema.codeTable(spec.codeTable)) {
                for (const auto& [code, label] : *table) {
                    c.codes.push_back(code);
                    c.codeList += (c.codeList.empty() ? "" : " ") + code + ":" + label;
                }
            }
        }
        m_fields.push_back(std::move(c));
    }
    m_lastGood.resize(m_fields.size());
}

namespace {

// What is wrong with one value. Deciding this allocates nothing; only a problem costs a Finding.
enum class Problem : std::uint8_t {
    None,
    Required,
    Needed,
    Unquoted,
    Unused,
    FullWidth,
    TooLong,
    Format,
    YearMonth,
    Date,
    Time,
    Range,
    FixedLength,
    Phone,
    Code
};

struct Outcome {
    Problem first = Problem::None;
    Problem second = Problem::None; // a length warning can be followed by a type problem
    bool wellFormed = true;

    void add(Problem p) { (first == Problem::None ? first : second) = p; }
};

bool inCodeList(const std::vector<std::string>& codes, std::string_view v) {
    for (const auto& code : codes) {
        if (sameText(v, code))
            return true;
    }
    return false;
}

// The type check proper; `o` collects at most one problem here.
void checkType(FieldType type, const FieldSpec& spec, const std::vector<std::string>& codes,
               std::string_view v, Outcome& o) {
    auto fail = [&](Problem p) {
        o.add(p);
        o.wellFormed = false;
    };
    switch (type) {
    case FieldType::Ym6OrZero:
        if (v == "000000")
            return;
        [[fallthrough]];
    case FieldType::Ym6:
        if (v.size() != 6 || !allDigits(v))
            return fail(Problem::Format);
        if (!isValidYearMonth(v))
            return fail(Problem::YearMonth);
        return;
    case FieldType::Date8OrZero:
        if (v == "00000000")
            return;
        [[fallthrough]];
    case FieldType::Date8:
        if (v.size() != 8 || !allDigits(v))
            return fail(Problem::Format);
        if (!isValidDate(v))
            return fail(Problem::Date);
        return;
    case FieldType::Time4Or9999:
        if (v == "9999")
            return;
        [[fallthrough]];
    case FieldType::Time4:
        if (v.size() != 4 || !allDigits(v))
            return fail(Problem::Format);
        // 2400 as an end of day is common in care software; the standard is silent (spec-notes.md).
        if (!isValidTime(v) && v != "2400")
            return fail(Problem::Time);
        return;
    case FieldType::Numeric:
        if (!allDigits(v))
            return fail(Problem::Format);
        if (spec.range) {
            const long n = v.size() > 9 ? -1 : digitsValue(v);
            if (n < spec.range->first || n > spec.range->second)
                return fail(Problem::Range);
        }
        return;
    case FieldType::Integer:
        if (!isIntegerText(v))
            fail(Problem::Format);
        return;
    case FieldType::InsurerNo:
        if (!allDigits(v))
            return fail(Problem::Format);
        if (v.size() != 6)
            o.add(Problem::FixedLength);
        return;
    case FieldType::InsuredNo:
        if (v.size() == 10 && v[0] == 'H' && allDigits(v.substr(1)))
            return; // 生保単独
        if (!allDigits(v))
            return fail(Problem::Format);
        if (v.size() != 10)
            o.add(Problem::FixedLength);
        return;
    case FieldType::OfficeNo:
        if (v.size() != 10 || !allDigits(v))
            fail(Problem::Format);
        return;
    case FieldType::ServiceCode6:
        if (v.size() != 6 || !allUpperAlnum(v))
            fail(Problem::Format);
        return;
    case FieldType::ServiceKind2:
        if (v.size() != 2 || !allUpperAlnum(v))
            fail(Problem::Format);
        return;
    case FieldType::TaisCode:
        if (!isTais(v))
            fail(Problem::Format);
        return;
    case FieldType::Flags31:
        if (!isFlags31(v))
            fail(Problem::Format);
        return;
    case FieldType::Zip:
        if (!isZip(v))
            fail(Problem::Format);
        return;
    case FieldType::Phone:
        if (!isPhoneText(v))
            o.add(Problem::Phone);
        return;
    case FieldType::Decimal:
        if (!isDecimal99(v))
            fail(Problem::Format);
        return;
    case FieldType::Code:
        if (!inCodeList(codes, v))
            fail(Problem::Code);
        return;
    case FieldType::Text:
    case FieldType::Unused:
        return;
    }
}

const char* expectedFormat(FieldType type) {
    switch (type) {
    case FieldType::Ym6:
    case FieldType::Ym6OrZero:
        return "YYYYMM";
    case FieldType::Date8:
    case FieldType::Date8OrZero:
        return "YYYYMMDD";
    case FieldType::Time4:
        return "HHMM";
    case FieldType::Time4Or9999:
        return "HHMM / 9999";
    case FieldType::Numeric:
        return "半角数字";
    case FieldType::Integer:
        return "整数（半角数字、負数は先頭に -）";
    case FieldType::InsurerNo:
        return "半角数字6桁";
    case FieldType::InsuredNo:
        return "半角数字10桁（生保単独は H＋数字9桁）";
    case FieldType::OfficeNo:
        return "半角数字10桁";
    case FieldType::ServiceCode6:
        return "サービス種類2桁＋項目4桁（半角英数字6桁）";
    case FieldType::ServiceKind2:
        return "半角英数字2桁";
    case FieldType::TaisCode:
        return "00001-000010（半角数字5桁-6桁）";
    case FieldType::Flags31:
        return "0 または 1 を31桁";
    case FieldType::Zip:
        return "XXX-XXXX";
    case FieldType::Decimal:
        return "99.99";
    default:
        return "";
    }
}

} // namespace

inline bool FieldChecker::checkOne(const Compiled& f, const CsvField& field, std::uint64_t line,
                                   FindingSink& sink) const {
    const std::string_view v = field.value;
    Outcome o;
    if (v.empty()) {
        if (f.required)
            o.add(Problem::Required);
        else if (f.needed)
            o.add(Problem::Needed);
        o.wellFormed = false;
    } else if (f.type == FieldType::Text) {
        if (f.quoted && !field.quoted)
            o.add(Problem::Unquoted);
    } else if (f.type == FieldType::Unused) {
        o.add(Problem::Unused);
        o.wellFormed = false;
    } else if (field.nonAscii) { // the reader flags every byte >= 0x80, kana included
        o.add(Problem::FullWidth);
        o.wellFormed = false;
    } else {
        const bool tooLong = f.maxBytes != 0 && v.size() > f.maxBytes;
        if (tooLong)
            o.add(Problem::TooLong);
        if (tooLong && f.lengthIsError)
            o.wellFormed = false;
        else
            checkType(f.type, *f.spec, f.codes, v, o);
    }
    if (o.first != Problem::None) {
        report(f, static_cast<int>(o.first), v, line, sink);
        if (o.second != Problem::None)
            report(f, static_cast<int>(o.second), v, line, sink);
    }
    return o.wellFormed;
}

void FieldChecker::checkAll(const std::vector<CsvField>& fields, std::uint64_t line, FindingSink& sink,
                            std::vector<char>& wellFormed) {
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const std::string_view v = fields[i].value;
        LastGood& last = m_lastGood[i];
        if (last.size != 0 && sameText(v, std::string_view(last.bytes, last.size)) && !fields[i].nonAscii) {
            wellFormed[i] = 1; // the same bytes passed before, without any finding
            continue;
        }
        const std::size_t before = sink.errorCount() + sink.warningCount();
        const bool ok = checkOne(m_fields[i], fields[i], line, sink);
        wellFormed[i] = ok ? 1 : 0;
        // Only values that are well-formed and drew no finding at all may be remembered.
        const bool clean = ok && sink.errorCount() + sink.warningCount() == before;
        if (clean && !v.empty() && v.size() <= sizeof(last.bytes) && m_fields[i].type != FieldType::Text) {
            std::memcpy(last.bytes, v.data(), v.size());
            last.size = static_cast<std::uint8_t>(v.size());
        } else {
            last.size = 0;
        }
    }
}

void FieldChecker::report(const Compiled& f, int problemCode, std::string_view v, std::uint64_t line,
                          FindingSink& sink) const {
    const FieldSpec& spec = *f.spec;
    Finding finding;
    finding.line = line;
    finding.field = spec.no;
    finding.fieldName = spec.name;
    auto set = [&](Severity severity, const char* rule, MessageArgs args) {
        finding.severity = severity;
        finding.rule = rule;
        finding.args = std::move(args);
    };
    const std::string value = displayValue(v);
    switch (static_cast<Problem>(problemCode)) {
    case Problem::None:
        return;
    case Problem::Required:
        set(*spec.required, "field.required", {});
        break;
    case Problem::Needed:
        set(Severity::Warning, "field.needed", {});
        break;
    case Problem::Unquoted:
        set(Severity::Error, "field.unquoted-text", {});
        break;
    case Problem::Unused:
        set(Severity::Warning, "field.unused-not-empty", {{"value", value}});
        break;
    case Problem::FullWidth:
        set(spec.typeSeverity, "field.full-width", {{"value", value}});
        break;
    case Problem::TooLong:
        set(spec.lengthSeverity, "field.too-long",
            {{"value", value},
             {"max", std::to_string(*spec.maxBytes)},
             {"length", std::to_string(v.size())}});
        break;
    case Problem::Format:
        set(spec.typeSeverity, "field.format", {{"value", value}, {"expected", expectedFormat(spec.type)}});
        break;
    case Problem::YearMonth:
        set(Severity::Error, "field.year-month", {{"value", value}});
        break;
    case Problem::Date:
        set(Severity::Error, "field.date", {{"value", value}});
        break;
    case Problem::Time:
        set(Severity::Error, "field.time", {{"value", value}});
        break;
    case Problem::Range:
        set(Severity::Error, "field.range",
            {{"value", value},
             {"min", std::to_string(spec.range->first)},
             {"max", std::to_string(spec.range->second)}});
        break;
    case Problem::FixedLength:
        set(Severity::Warning, "field.fixed-length",
            {{"value", value}, {"length", spec.type == FieldType::InsurerNo ? "6" : "10"}});
        break;
    case Problem::Phone:
        set(Severity::Warning, "field.phone", {{"value", value}});
        break;
    case Problem::Code:
        set(Severity::Error, "field.code", {{"value", value}, {"allowed", f.codeList}});
        break;
    }
    sink.add(std::move(finding));
}

} // namespace cplink::spec
