#include "SupplementRules.h"

#include <string>

namespace cplink::spec {

SupplementRules::SupplementRules(const FieldMap& fields)
    : m_planDate(fields.find("居宅サービス計画作成（変更）日")), m_month(fields.find("対象年月")) {
    static const char* digits[9] = {"１", "２", "３", "４", "５", "６", "７", "８", "９"};
    for (int i = 0; i < 9; ++i)
        m_slotKinds[i] = fields.find(std::string(digits[i]) + "サービス種類コード");
}

void SupplementRules::onRecord(const RecordView& r, FileContext& context) {
    const StandardFileName* name = context.name();
    const auto line = r.line();
    // Which form this is: the file name says it; without a valid name, No.63 does.
    bool planBound = r.value(m_month) == "000000";
    if (name)
        planBound = name->month == "000000";

    if (planBound) {
        if (r.ok(m_planDate) && r.value(m_planDate) == "00000000")
            context.add(Severity::Error, "record.supplement-plan-date", line, m_planDate);
        if (r.ok(m_month) && r.value(m_month) != "000000")
            context.add(Severity::Error, "record.supplement-month", line, m_month,
                        {{"value", std::string(r.value(m_month))}, {"expected", "000000"}});
    } else {
        if (r.ok(m_planDate) && r.value(m_planDate) != "00000000")
            context.add(Severity::Error, "record.supplement-usage-date", line, m_planDate,
                        {{"value", std::string(r.value(m_planDate))}});
        if (r.ok(m_month) && name && r.value(m_month) != name->month)
            context.add(Severity::Error, "record.supplement-month", line, m_month,
                        {{"value", std::string(r.value(m_month))}, {"expected", name->month}});
    }

    // The nine 種類別支給限度 slots are filled from slot 1 without gaps.
    bool gap = false;
    for (int i = 0; i < 9; ++i) {
        if (m_slotKinds[i] < 0)
            continue;
        if (r.empty(m_slotKinds[i])) {
            gap = true;
        } else if (gap) {
            context.add(Severity::Warning, "record.supplement-slot-gap", line, m_slotKinds[i],
                        {{"slot", std::to_string(i + 1)}});
            break;
        }
    }
}

} // namespace cplink::spec
