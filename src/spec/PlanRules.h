#pragma once

#include "RecordContext.h"

#include <string>

namespace cplink::spec {

// 居宅サービス計画2表: rows sorted by 課題NO, 援助目標NO, 援助内容NO give the printed order; a blank
// NO repeats the one above (the form may leave repeated cells empty).
class CarePlan2Rules final : public KindRules {
public:
    explicit CarePlan2Rules(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    int m_insurer, m_insured, m_planDate;
    int m_numbers[3];
    std::string m_user;
    long m_last[3] = {0, 0, 0};
};

// 居宅サービス計画3表: each row is one of three row types and uses only that type's fields.
class CarePlan3Rules final : public KindRules {
public:
    explicit CarePlan3Rules(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    int m_weekly[4];
    int m_daily[3];
    int m_other;
};

} // namespace cplink::spec
