#pragma once

#include "RecordContext.h"

#include <string_view>

namespace cplink::spec {

// 福祉用具貸与 and 介護予防福祉用具貸与: the kinds that need a TAIS or 届出 code and may use 明細判別コード.
inline bool isEquipmentRental(std::string_view serviceKind) {
    return serviceKind == "17" || serviceKind == "67";
}

// 第7表 rows by their サービスコード: a service's own code, a kind's subtotal (XXAAAA 区分支給限度対象,
// XXEEEE 対象外, XXZZZZ 30日超過) or the grand total (999999). Only 第7表 may use the last four.
enum class AnnexRowType { Detail, SubtotalLimit, SubtotalOutsideLimit, SubtotalOver30Days, GrandTotal };
AnnexRowType annexRowType(std::string_view serviceCode);

// Reports a service code whose kind is outside the standard's scope (an error: such records must not
// be generated) or not known at all (a warning: the list may grow with revisions).
void checkServiceScope(const RecordView& record, FileContext& context, int codeIndex);

// TAIS or 福祉用具届出コード must be present for equipment rental (V4 layouts have both fields).
void checkEquipmentCodes(const RecordView& record, FileContext& context, int codeIndex, int taisIndex,
                         int notifiedIndex);

} // namespace cplink::spec
