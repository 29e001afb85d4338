#include "UsageSlipRules.h"

#include "ServiceKinds.h"
#include "TextRules.h"

namespace cplink::spec {

UsageSlipRules::UsageSlipRules(FileKind kind, const FieldMap& fields)
    : m_kind(kind), m_month(fields.find("対象年月")), m_planOffice(fields.find("プラン担当業者コード")),
      m_date(fields.find("サービス利用日")), m_dailyFlags(fields.find("日割対象日")),
      m_start(fields.find("サービス開始時刻")), m_end(fields.find("サービス終了時刻")),
      m_code(fields.find("サービスコード")), m_tais(fields.find("TAISコード")),
      m_notified(fields.find("福祉用具届出コード")), m_detailNo(fields.find("明細判別コード")),
      m_provider(fields.find("サービス事業者コード")), m_updater(fields.find("更新業者コード")) {
}

void UsageSlipRules::onRecord(const RecordView& r, FileContext& context) {
    const auto line = r.line();
    if (r.ok(m_month) && r.ok(m_date) && !sameText(r.value(m_date).substr(0, 6), r.value(m_month)))
        context.add(Severity::Error, "record.date-outside-month", line, m_date,
                    {{"value", std::string(r.value(m_date))}, {"month", std::string(r.value(m_month))}});
    if (r.ok(m_month) && r.ok(m_dailyFlags)) {
        const auto month = r.value(m_month);
        const int days = daysInMonth(static_cast<int>(digitsValue(month.substr(0, 4))),
                                     static_cast<int>(digitsValue(month.substr(4, 2))));
        if (r.value(m_dailyFlags).find('1', static_cast<std::size_t>(days)) != std::string_view::npos)
            context.add(Severity::Warning, "record.daily-flag-beyond-month", line, m_dailyFlags,
                        {{"days", std::to_string(days)}});
    }
    if (r.ok(m_start) && r.ok(m_end) && ((r.value(m_start) == "9999") != (r.value(m_end) == "9999")))
        context.add(Severity::Warning, "record.time-9999-pair", line, m_end,
                    {{"start", std::string(r.value(m_start))}, {"end", std::string(r.value(m_end))}});
    if (r.ok(m_code) && annexRowType(r.value(m_code)) != AnnexRowType::Detail) {
        // Subtotal and total codes exist only on 第7表; on a 利用票 row they are no service at all.
        context.add(Severity::Error, "record.annex-code-in-slip", line, m_code,
                    {{"value", std::string(r.value(m_code))}});
        return;
    }
    checkServiceScope(r, context, m_code);
    checkEquipmentCodes(r, context, m_code, m_tais, m_notified);
    if (r.ok(m_code) && !r.empty(m_detailNo) && !isEquipmentRental(r.value(m_code).substr(0, 2)))
        context.add(Severity::Error, "record.detail-number-not-rental", line, m_detailNo,
                    {{"value", std::string(r.value(m_code))}});

    // Which office the slip belongs to follows from the direction of the file (inferred: warnings).
    const StandardFileName* name = context.name();
    if (!name)
        return;
    if (m_kind == FileKind::UpPlan && r.ok(m_planOffice) &&
        !sameText(r.value(m_planOffice), name->sender.str()))
        context.add(Severity::Warning, "record.plan-office-not-sender", line, m_planOffice,
                    {{"value", std::string(r.value(m_planOffice))}, {"sender", name->sender.str()}});
    // 更新業者コード: the 居宅介護支援事業者 on a plan, the service office on actuals — the sender both ways.
    if (r.ok(m_updater) && !sameText(r.value(m_updater), name->sender.str()))
        context.add(Severity::Warning, "record.update-office-not-sender", line, m_updater,
                    {{"value", std::string(r.value(m_updater))}, {"sender", name->sender.str()}});
    if (m_kind == FileKind::UpJsk) {
        if (r.ok(m_provider) && !sameText(r.value(m_provider), name->sender.str()))
            context.add(Severity::Warning, "record.actuals-office-not-sender", line, m_provider,
                        {{"value", std::string(r.value(m_provider))}, {"sender", name->sender.str()}});
        if (r.ok(m_planOffice) && !sameText(r.value(m_planOffice), name->recipient.str()))
            context.add(
                Severity::Warning, "record.plan-office-not-recipient", line, m_planOffice,
                {{"value", std::string(r.value(m_planOffice))}, {"recipient", name->recipient.str()}});
    }
}

} // namespace cplink::spec
