#include "FieldChecker.h"

#include "Ms932.h"
#include "TextRules.h"

namespace cplink::spec {
namespace {

bool isAscii(std::string_view v) {
    for (char c : v) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

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

std::string displayValue(std::string_view raw) {
    constexpr std::size_t limit = 40;
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
}

void FieldChecker::report(const Compiled& f, Severity severity, const char* rule, std::uint64_t line,
                          FindingSink& sink, MessageArgs args) const {
    Finding finding;
    finding.severity = severity;
    finding.rule = rule;
    finding.line = line;
    finding.field = f.spec->no;
    finding.fieldName = f.spec->name;
    finding.args = std::move(args);
    sink.add(std::move(finding));
}

bool FieldChecker::check(std::size_t index, const CsvField& field, std::uint64_t line,
                         FindingSink& sink) const {
    const Compiled& f = m_fields[index];
    const FieldSpec& spec = *f.spec;
    const std::string_view v = field.value;
    if (v.empty()) {
        if (spec.required)
            report(f, *spec.required, "field.required", line, sink, {});
        else if (spec.needed)
            report(f, Severity::Warning, "field.needed", line, sink, {});
        return false;
    }
    if (spec.type == FieldType::Text) {
        if (!field.quoted)
            report(f, Severity::Error, "field.unquoted-text", line, sink, {});
        return true;
    }
    if (spec.type == FieldType::Unused) {
        report(f, Severity::Warning, "field.unused-not-empty", line, sink, {{"value", displayValue(v)}});
        return false;
    }
    if (field.nonAscii || !isAscii(v)) {
        report(f, spec.typeSeverity, "field.full-width", line, sink, {{"value", displayValue(v)}});
        return false;
    }
    if (spec.maxBytes && v.size() > static_cast<std::size_t>(*spec.maxBytes)) {
        report(f, spec.lengthSeverity, "field.too-long", line, sink,
               {{"value", displayValue(v)},
                {"max", std::to_string(*spec.maxBytes)},
                {"length", std::to_string(v.size())}});
        if (spec.lengthSeverity == Severity::Error)
            return false;
    }
    return checkType(f, v, line, sink);
}

bool FieldChecker::checkType(const Compiled& f, std::string_view v, std::uint64_t line,
                             FindingSink& sink) const {
    const FieldSpec& spec = *f.spec;
    auto bad = [&](const char* expected) {
        report(f, spec.typeSeverity, "field.format", line, sink,
               {{"value", displayValue(v)}, {"expected", expected}});
        return false;
    };
    switch (spec.type) {
    case FieldType::Ym6OrZero:
        if (v == "000000")
            return true;
        [[fallthrough]];
    case FieldType::Ym6:
        if (v.size() != 6 || !allDigits(v))
            return bad("YYYYMM");
        if (!isValidYearMonth(v)) {
            report(f, Severity::Error, "field.year-month", line, sink, {{"value", displayValue(v)}});
            return false;
        }
        return true;
    case FieldType::Date8OrZero:
        if (v == "00000000")
            return true;
        [[fallthrough]];
    case FieldType::Date8:
        if (v.size() != 8 || !allDigits(v))
            return bad("YYYYMMDD");
        if (!isValidDate(v)) {
            report(f, Severity::Error, "field.date", line, sink, {{"value", displayValue(v)}});
            return false;
        }
        return true;
    case FieldType::Time4Or9999:
        if (v == "9999")
            return true;
        [[fallthrough]];
    case FieldType::Time4:
        if (v.size() != 4 || !allDigits(v))
            return bad(spec.type == FieldType::Time4 ? "HHMM" : "HHMM / 9999");
        // 2400 as an end of day is common in care software; the standard is silent (spec-notes.md).
        if (!isValidTime(v) && v != "2400") {
            report(f, Severity::Error, "field.time", line, sink, {{"value", displayValue(v)}});
            return false;
        }
        return true;
    case FieldType::Numeric:
        if (!allDigits(v))
            return bad("半角数字");
        if (spec.range) {
            const long n = v.size() > 9 ? -1 : digitsValue(v);
            if (n < spec.range->first || n > spec.range->second) {
                report(f, Severity::Error, "field.range", line, sink,
                       {{"value", displayValue(v)},
                        {"min", std::to_string(spec.range->first)},
                        {"max", std::to_string(spec.range->second)}});
                return false;
            }
        }
        return true;
    case FieldType::Integer:
        return isIntegerText(v) ? true : bad("整数（半角数字、負数は先頭に -）");
    case FieldType::InsurerNo:
        if (!allDigits(v))
            return bad("半角数字6桁");
        if (v.size() != 6)
            report(f, Severity::Warning, "field.fixed-length", line, sink,
                   {{"value", displayValue(v)}, {"length", "6"}});
        return true;
    case FieldType::InsuredNo:
        if (v.size() == 10 && v[0] == 'H' && allDigits(v.substr(1)))
            return true; // 生保単独
        if (!allDigits(v))
            return bad("半角数字10桁（生保単独は H＋数字9桁）");
        if (v.size() != 10)
            report(f, Severity::Warning, "field.fixed-length", line, sink,
                   {{"value", displayValue(v)}, {"length", "10"}});
        return true;
    case FieldType::OfficeNo:
        return v.size() == 10 && allDigits(v) ? true : bad("半角数字10桁");
    case FieldType::ServiceCode6:
        return v.size() == 6 && allUpperAlnum(v) ? true : bad("サービス種類2桁＋項目4桁（半角英数字6桁）");
    case FieldType::ServiceKind2:
        return v.size() == 2 && allUpperAlnum(v) ? true : bad("半角英数字2桁");
    case FieldType::TaisCode:
        return isTais(v) ? true : bad("00001-000010（半角数字5桁-6桁）");
    case FieldType::Flags31:
        return isFlags31(v) ? true : bad("0 または 1 を31桁");
    case FieldType::Zip:
        return isZip(v) ? true : bad("XXX-XXXX");
    case FieldType::Phone:
        if (!isPhoneText(v))
            report(f, Severity::Warning, "field.phone", line, sink, {{"value", displayValue(v)}});
        return true;
    case FieldType::Decimal:
        return isDecimal99(v) ? true : bad("99.99");
    case FieldType::Code:
        for (const auto& code : f.codes) {
            if (v == code)
                return true;
        }
        report(f, Severity::Error, "field.code", line, sink,
               {{"value", displayValue(v)}, {"allowed", f.codeList}});
        return false;
    case FieldType::Text:
    case FieldType::Unused:
        return true;
    }
    return true;
}

} // namespace cplink::spec
