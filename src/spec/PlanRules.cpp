#include "PlanRules.h"

#include "TextRules.h"

namespace cplink::spec {

CarePlan2Rules::CarePlan2Rules(const FieldMap& fields)
    : m_insurer(fields.find("保険者番号")), m_insured(fields.find("被保険者番号")),
      m_planDate(fields.find("居宅サービス計画作成（変更）日")), m_numbers{fields.find("課題ＮＯ"),
                                                                           fields.find("援助目標ＮＯ"),
                                                                           fields.find("援助内容ＮＯ")} {
}

void CarePlan2Rules::onRecord(const RecordView& r, FileContext& context) {
    std::string user = std::string(r.value(m_insurer)) + "|" + std::string(r.value(m_insured)) + "|" +
                       std::string(r.value(m_planDate));
    long current[3];
    for (int i = 0; i < 3; ++i)
        current[i] = r.ok(m_numbers[i]) ? digitsValue(r.value(m_numbers[i])) : -1;
    if (user != m_user) {
        m_user = std::move(user);
        for (int i = 0; i < 3; ++i)
            m_last[i] = current[i] < 0 ? 0 : current[i];
        return;
    }
    for (int i = 0; i < 3; ++i) {
        if (current[i] < 0)
            current[i] = m_last[i];
    }
    const bool ascending = current[0] > m_last[0] || (current[0] == m_last[0] && current[1] > m_last[1]) ||
                           (current[0] == m_last[0] && current[1] == m_last[1] && current[2] >= m_last[2]);
    if (!ascending)
        context.add(Severity::Warning, "record.plan2-order", r.line(), m_numbers[0],
                    {{"value", std::to_string(current[0]) + "-" + std::to_string(current[1]) + "-" +
                                   std::to_string(current[2])},
                     {"previous", std::to_string(m_last[0]) + "-" + std::to_string(m_last[1]) + "-" +
                                      std::to_string(m_last[2])}});
    for (int i = 0; i < 3; ++i)
        m_last[i] = current[i];
}

CarePlan3Rules::CarePlan3Rules(const FieldMap& fields)
    : m_weekly{fields.find("介護サービス内容"), fields.find("曜日"), fields.find("開始時間", 0),
               fields.find("終了時間", 0)},
      m_daily{fields.find("主な日常生活上の活動"), fields.find("開始時間", 1), fields.find("終了時間", 1)},
      m_other(fields.find("週単位以外のサービス")) {
}

void CarePlan3Rules::onRecord(const RecordView& r, FileContext& context) {
    auto used = [&](const int* indices, int count) {
        for (int i = 0; i < count; ++i) {
            if (!r.empty(indices[i]))
                return true;
        }
        return false;
    };
    const int types = (used(m_weekly, 4) ? 1 : 0) + (used(m_daily, 3) ? 1 : 0) + (r.empty(m_other) ? 0 : 1);
    if (types != 1) {
        context.add(Severity::Warning, "record.plan3-row-type", r.line(), {{"count", std::to_string(types)}});
        return;
    }
    if (used(m_weekly, 4) && r.empty(m_weekly[1]))
        context.add(Severity::Warning, "record.plan3-weekday-missing", r.line(), m_weekly[1]);
}

} // namespace cplink::spec
