#pragma once

#include "RecordContext.h"

#include <map>
#include <set>
#include <string>

namespace cplink::spec {

// 第7表 (UPSIKYU): detail rows, per-kind subtotal rows (XXAAAA / XXEEEE / XXZZZZ) and one grand
// total row (999999) per user.
class UsageAnnexRules final : public KindRules {
public:
    explicit UsageAnnexRules(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;
    void onEnd(FileContext& context) override;

private:
    struct User {
        std::uint64_t firstLine = 0;
        std::uint64_t grandTotals = 0;
        std::map<std::string, std::uint64_t> detailRows; // service kind -> rows
        std::map<std::string, std::uint64_t> subtotals;  // service kind -> line of its XXAAAA row
    };
    void checkTotalRow(const RecordView& record, FileContext& context);
    void checkAmount(const RecordView& record, FileContext& context);

    int m_insurer, m_insured, m_office, m_code, m_tais, m_notified, m_units, m_discountRate, m_discountUnits,
        m_count, m_amount;
    std::map<std::string, User> m_users;
};

} // namespace cplink::spec
