#pragma once

#include "RecordContext.h"

namespace cplink::spec {

// 第6表 予定 (UPPLAN) and 実績 (UPJSK): one record per service and day of use.
class UsageSlipRules final : public KindRules {
public:
    UsageSlipRules(FileKind kind, const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    FileKind m_kind;
    int m_month, m_planOffice, m_date, m_dailyFlags, m_start, m_end, m_code, m_tais, m_notified, m_detailNo,
        m_provider, m_updater;
};

} // namespace cplink::spec
