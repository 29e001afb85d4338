#include "CommonRules.h"

#include "FieldChecker.h"
#include "FileName.h"
#include "PlanRules.h"
#include "SupplementRules.h"
#include "TextRules.h"
#include "UsageAnnexRules.h"
#include "UsageSlipRules.h"

#include <memory>

namespace cplink::spec {

SingleMonthRule::SingleMonthRule(const FieldMap& fields)
    : m_month(fields.find("対象年月") >= 0 ? fields.find("対象年月") : fields.find("削除対象年月")) {
}

void SingleMonthRule::onRecord(const RecordView& r, FileContext& context) {
    if (!r.ok(m_month))
        return;
    const auto month = r.value(m_month);
    if (const StandardFileName* name = context.name(); name && !sameText(month, name->month)) {
        context.add(Severity::Error, "record.month-not-file-month", r.line(), m_month,
                    {{"value", std::string(month)}, {"expected", name->month}});
        return;
    }
    if (m_first.empty())
        m_first = std::string(month);
    else if (!sameText(month, m_first))
        context.add(Severity::Error, "record.month-mixed", r.line(), m_month,
                    {{"value", std::string(month)}, {"expected", m_first}});
}

UnitKeyCollector::UnitKeyCollector(FileKind kind, const FieldMap& fields)
    : m_kind(kind), m_insurer(fields.find("保険者番号")), m_insured(fields.find("被保険者番号")), m_third(-1),
      m_alternative(-1) {
    switch (kind) {
    case FileKind::Up1Kyo:
    case FileKind::Up2Kyo:
    case FileKind::Up3Kyo:
        m_third = fields.find("居宅サービス計画作成（変更）日");
        break;
    case FileKind::UpHosoku:
        m_third = fields.find("居宅サービス計画作成（変更）日");
        m_alternative = fields.find("対象年月");
        break;
    case FileKind::UpPlan:
    case FileKind::UpJsk:
    case FileKind::UpSikyu:
        m_third = fields.find("対象年月");
        break;
    case FileKind::UpKihon:
    case FileKind::UpKihonSub1:
    case FileKind::UpKihonSub2:
        m_third = fields.find("相談日");
        break;
    case FileKind::UpYobo:
    case FileKind::UpYoboSub:
        m_third = fields.find("計画作成(変更)日");
        break;
    default:
        break;
    }
}

void UnitKeyCollector::onRecord(const RecordView& r, FileContext& context) {
    int third = m_third;
    // A usage-bound 利用者補足 is keyed by its month, a plan-bound one by the plan date.
    if (m_kind == FileKind::UpHosoku && r.value(m_third) == "00000000")
        third = m_alternative;
    if (third < 0 || !r.ok(m_insurer) || !r.ok(m_insured) || !r.ok(third))
        return;
    const auto insurer = r.value(m_insurer);
    const auto insured = r.value(m_insured);
    const auto date = r.value(third);
    if (sameText(insured, m_lastInsured) && sameText(insurer, m_lastInsurer) && sameText(date, m_lastThird))
        return;
    m_lastInsurer.assign(insurer);
    m_lastInsured.assign(insured);
    m_lastThird.assign(date);
    context.report.unitKeys.emplace(m_lastInsurer + "|" + m_lastInsured + "|" + m_lastThird, r.line());
}

ActualsDeleteRules::ActualsDeleteRules(const FieldMap& fields)
    : m_office(fields.find("サービス事業者コード")), m_kind(fields.find("サービス種類コード")) {
}

void ActualsDeleteRules::onRecord(const RecordView& r, FileContext& context) {
    const StandardFileName* name = context.name();
    if (!name)
        return;
    if (r.ok(m_office) && r.value(m_office) != name->sender.str())
        context.add(Severity::Warning, "record.actuals-office-not-sender", r.line(), m_office,
                    {{"value", std::string(r.value(m_office))}, {"sender", name->sender.str()}});
    if (r.ok(m_kind) && !name->senderService.empty() && r.value(m_kind) != name->senderService)
        context.add(Severity::Warning, "record.delete-kind-not-sender", r.line(), m_kind,
                    {{"value", std::string(r.value(m_kind))}, {"sender", name->senderService}});
}

BasicInfoRules::BasicInfoRules(const FieldMap& fields)
    : m_method(fields.find("相談方法")), m_methodOther(fields.find("相談方法(その他の内容)")),
      m_situation(fields.find("利用者の現況")), m_situationNote(fields.find("利用者の現況(状況補足)")),
      m_image(fields.find("家族構成 画像ファイル名")) {
}

void BasicInfoRules::onRecord(const RecordView& r, FileContext& context) {
    if (r.value(m_method) == "03" && r.empty(m_methodOther))
        context.add(Severity::Warning, "record.detail-expected", r.line(), m_methodOther);
    if (r.value(m_situation) == "02" && r.empty(m_situationNote))
        context.add(Severity::Warning, "record.detail-expected", r.line(), m_situationNote);
    if (r.empty(m_image))
        return;
    const std::string image(r.value(m_image));
    FindingSink scratch;
    const auto parsed = parseFileName(image, scratch);
    const StandardFileName* own = context.name();
    if (!parsed.name || parsed.name->kind != FileKind::UpKihonImage ||
        (own && parsed.name->unitKey() != own->unitKey())) {
        context.add(Severity::Warning, "record.image-name", r.line(), m_image,
                    {{"value", displayValue(image, 120)}}); // whole name: its tail is what is usually wrong
        return;
    }
    context.report.imageRefs.emplace(image, r.line());
}

std::vector<std::unique_ptr<KindRules>> makeKindRules(FileKind kind, const FieldMap& fields) {
    std::vector<std::unique_ptr<KindRules>> rules;
    switch (kind) {
    case FileKind::UpPlan:
    case FileKind::UpJsk:
        rules.push_back(std::make_unique<SingleMonthRule>(fields));
        rules.push_back(std::make_unique<UsageSlipRules>(kind, fields));
        break;
    case FileKind::UpSikyu:
        rules.push_back(std::make_unique<SingleMonthRule>(fields));
        rules.push_back(std::make_unique<UsageAnnexRules>(fields));
        break;
    case FileKind::DltPlan:
        rules.push_back(std::make_unique<SingleMonthRule>(fields));
        break;
    case FileKind::DltJsk:
        rules.push_back(std::make_unique<SingleMonthRule>(fields));
        rules.push_back(std::make_unique<ActualsDeleteRules>(fields));
        break;
    case FileKind::UpHosoku:
        rules.push_back(std::make_unique<SupplementRules>(fields));
        break;
    case FileKind::Up2Kyo:
        rules.push_back(std::make_unique<CarePlan2Rules>(fields));
        break;
    case FileKind::Up3Kyo:
        rules.push_back(std::make_unique<CarePlan3Rules>(fields));
        break;
    case FileKind::UpKihon:
        rules.push_back(std::make_unique<BasicInfoRules>(fields));
        break;
    default:
        break;
    }
    rules.push_back(std::make_unique<UnitKeyCollector>(kind, fields));
    return rules;
}

} // namespace cplink::spec
