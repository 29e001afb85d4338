#pragma once

#include "RecordContext.h"

#include <memory>
#include <string>
#include <vector>

namespace cplink::spec {

// 第6表, 第7表 and their deletes hold one service month, the one in the file name.
class SingleMonthRule final : public KindRules {
public:
    explicit SingleMonthRule(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    int m_month;
    std::string m_first;
};

// Collects the keys that tie the files of a send unit together (本文 2.3: 保険者番号, 被保険者番号 and the
// plan date, service month or 相談日 depending on the file), for the cross-file checks.
class UnitKeyCollector final : public KindRules {
public:
    UnitKeyCollector(FileKind kind, const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    FileKind m_kind;
    int m_insurer, m_insured, m_third, m_alternative;
    // Records come grouped by user: the map is only touched when the key changes.
    std::string m_lastInsurer, m_lastInsured, m_lastThird;
};

// 実績情報_削除 (DLTJSK) deletes the sender's own actuals of one service kind.
class ActualsDeleteRules final : public KindRules {
public:
    explicit ActualsDeleteRules(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    int m_office, m_kind;
};

// 利用者基本情報 (UPKIHON): "その他" and "入院又は入所中" want their detail field, and the family
// image named in No.62 must follow the UPKIHON_IMAGE naming of the same send unit.
class BasicInfoRules final : public KindRules {
public:
    explicit BasicInfoRules(const FieldMap& fields);
    void onRecord(const RecordView& record, FileContext& context) override;

private:
    int m_method, m_methodOther, m_situation, m_situationNote, m_image;
};

// Builds the rules that apply to one kind, for the layout in use.
std::vector<std::unique_ptr<KindRules>> makeKindRules(FileKind kind, const FieldMap& fields);

} // namespace cplink::spec
