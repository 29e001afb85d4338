#pragma once

#include "RecordContext.h"

namespace cplink::spec {

// 利用者補足情報 (UPHOSOKU). It travels either with the plan (file month 000000, No.4 = the plan's
// 作成（変更）日, No.63 = 000000) or with the usage slip (file month = service month, No.4 = 00000000,
// No.63 = that month). The standard states both forms explicitly.
class SupplementRules final : public KindRules {
public:
    explicit SupplementRules(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    int m_planDate, m_month;
    int m_slotKinds[9];
};

} // namespace cplink::spec
