#include "ServiceKinds.h"

namespace cplink::spec {

AnnexRowType annexRowType(std::string_view code) {
    if (code == "999999")
        return AnnexRowType::GrandTotal;
    const auto item = code.substr(2);
    if (item == "AAAA")
        return AnnexRowType::SubtotalLimit;
    if (item == "EEEE")
        return AnnexRowType::SubtotalOutsideLimit;
    if (item == "ZZZZ")
        return AnnexRowType::SubtotalOver30Days;
    return AnnexRowType::Detail;
}

void checkServiceScope(const RecordView& record, FileContext& context, int codeIndex) {
    if (!record.ok(codeIndex))
        return;
    const auto kind = record.value(codeIndex).substr(0, 2);
    const Schema& schema = Schema::instance();
    if (schema.serviceKindOutOfScope(kind))
        context.add(Severity::Error, "record.service-out-of-scope", record.line(), codeIndex,
                    {{"value", std::string(kind)}});
    else if (!schema.serviceKindInScope(kind))
        context.add(Severity::Warning, "record.service-kind-unknown", record.line(), codeIndex,
                    {{"value", std::string(kind)}});
}

void checkEquipmentCodes(const RecordView& record, FileContext& context, int codeIndex, int taisIndex,
                         int notifiedIndex) {
    if (taisIndex < 0 || notifiedIndex < 0 || !record.ok(codeIndex))
        return;
    if (isEquipmentRental(record.value(codeIndex).substr(0, 2)) && record.empty(taisIndex) &&
        record.empty(notifiedIndex))
        context.add(Severity::Error, "record.equipment-code-missing", record.line(), taisIndex,
                    {{"value", std::string(record.value(codeIndex))}});
}

} // namespace cplink::spec
