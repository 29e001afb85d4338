#include "UsageAnnexRules.h"

#include "FieldChecker.h"
#include "ServiceKinds.h"
#include "TextRules.h"

#include <charconv>
#include <optional>

namespace cplink::spec {
namespace {

constexpr std::string_view kGrandTotalOffice = "9999999999";

std::optional<long long> parseInteger(std::string_view v) {
    long long n = 0;
    const auto result = std::from_chars(v.data(), v.data() + v.size(), n);
    if (result.ec != std::errc() || result.ptr != v.data() + v.size())
        return std::nullopt;
    return n;
}

} // namespace

UsageAnnexRules::UsageAnnexRules(const FieldMap& fields)
    : m_insurer(fields.find("保険者番号")), m_insured(fields.find("被保険者番号")),
      m_office(fields.find("サービス事業所コード")), m_code(fields.find("サービスコード")),
      m_tais(fields.find("TAISコード")), m_notified(fields.find("福祉用具届出コード")),
      m_units(fields.find("単位数")), m_discountRate(fields.find("割引後率")),
      m_discountUnits(fields.find("割引後単位数")), m_count(fields.find("回数／日数")),
      m_amount(fields.find("サービス単位金額")) {
}

void UsageAnnexRules::onRecord(const RecordView& r, FileContext& context) {
    if (!r.ok(m_code))
        return;
    const auto code = r.value(m_code);
    const AnnexRowType type = annexRowType(code);
    const auto kind = std::string(code.substr(0, 2));
    User* user = nullptr;
    if (r.ok(m_insurer) && r.ok(m_insured)) {
        user = &m_users[std::string(r.value(m_insurer)) + "|" + std::string(r.value(m_insured))];
        if (user->firstLine == 0)
            user->firstLine = r.line();
    }

    if (type == AnnexRowType::Detail) {
        if (r.value(m_office) == kGrandTotalOffice)
            context.add(Severity::Error, "record.total-office-on-detail", r.line(), m_office);
        checkServiceScope(r, context, m_code);
        checkEquipmentCodes(r, context, m_code, m_tais, m_notified);
        checkAmount(r, context);
        if (user)
            user->detailRows[kind]++;
        return;
    }
    checkTotalRow(r, context);
    if (type == AnnexRowType::GrandTotal) {
        if (r.ok(m_office) && r.value(m_office) != kGrandTotalOffice)
            context.add(Severity::Error, "record.grand-total-office", r.line(), m_office,
                        {{"value", std::string(r.value(m_office))}});
        if (user)
            user->grandTotals++;
    } else if (type == AnnexRowType::SubtotalLimit && user) {
        user->subtotals.emplace(kind, r.line());
    }
}

void UsageAnnexRules::checkTotalRow(const RecordView& r, FileContext& context) {
    // 種類別小計 and 全合計 rows: 単位数 is 0 and the discount fields are Null, fixed by the standard.
    if (r.ok(m_units) && r.value(m_units) != "0")
        context.add(Severity::Error, "record.total-units-not-zero", r.line(), m_units,
                    {{"value", std::string(r.value(m_units))}});
    for (int index : {m_discountRate, m_discountUnits}) {
        if (!r.empty(index))
            context.add(Severity::Error, "record.total-discount-not-null", r.line(), index,
                        {{"value", displayValue(r.value(index))}});
    }
}

void UsageAnnexRules::checkAmount(const RecordView& r, FileContext& context) {
    // サービス単位/金額 = (割引後)単位数 × 回数／日数 on the paper form; the CSV standard does not say so,
    // hence a warning (docs/spec-notes.md).
    const int unitsIndex = r.ok(m_discountUnits) ? m_discountUnits : m_units;
    if (!r.ok(unitsIndex) || !r.ok(m_count) || !r.ok(m_amount))
        return;
    const auto units = parseInteger(r.value(unitsIndex));
    const auto count = parseInteger(r.value(m_count));
    const auto amount = parseInteger(r.value(m_amount));
    if (units && count && amount && *units * *count != *amount)
        context.add(
            Severity::Warning, "record.unit-amount", r.line(), m_amount,
            {{"value", std::string(r.value(m_amount))}, {"expected", std::to_string(*units * *count)}});
}

void UsageAnnexRules::onEnd(FileContext& context) {
    for (const auto& [key, user] : m_users) {
        const auto insured = key.substr(key.find('|') + 1);
        if (user.grandTotals == 0)
            context.add(Severity::Error, "record.grand-total-missing", user.firstLine,
                        {{"insured", insured}});
        else if (user.grandTotals > 1)
            context.add(Severity::Error, "record.grand-total-duplicate", user.firstLine,
                        {{"insured", insured}, {"count", std::to_string(user.grandTotals)}});
        for (const auto& [kind, rows] : user.detailRows) {
            if (rows > 1 && !user.subtotals.count(kind))
                context.add(Severity::Error, "record.subtotal-missing", user.firstLine,
                            {{"insured", insured}, {"kind", kind}, {"rows", std::to_string(rows)}});
        }
        for (const auto& [kind, line] : user.subtotals) {
            if (!user.detailRows.count(kind))
                context.add(Severity::Warning, "record.subtotal-without-detail", line, {{"kind", kind}});
        }
    }
}

} // namespace cplink::spec
