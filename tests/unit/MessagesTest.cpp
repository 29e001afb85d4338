// Every rule the validator can emit has a message and a hint in Japanese and English, and the catalogue
// holds nothing else. The rule ids cannot be collected at run time, so kEmittedRules lists every rule-id
// literal of src/spec/*.cpp (outside Messages.cpp); regenerate it with
//   grep -ohE '"(csv|encoding|field|filename|record|unit)\.[a-z0-9-]+"' $(ls src/spec/*.cpp | grep -v Mess) |
//   sort -u
#include "spec/Messages.h"

#include "RuleTestSupport.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>

using namespace cplink;
using spec::Language;

namespace {

const std::vector<std::string> kEmittedRules{
    "csv.bare-cr",
    "csv.blank-line",
    "csv.empty-file",
    "csv.field-count",
    "csv.header-row",
    "csv.line-ending-lf",
    "csv.line-ending-mixed",
    "csv.record-too-long",
    "csv.stray-quote",
    "csv.text-after-quote",
    "csv.unterminated-quote",
    "encoding.binary",
    "encoding.control-char",
    "encoding.gaiji",
    "encoding.invalid-byte",
    "encoding.invalid-sequence",
    "encoding.not-jpeg",
    "encoding.truncated",
    "encoding.utf16",
    "encoding.utf8",
    "encoding.utf8-bom",
    "field.code",
    "field.date",
    "field.fixed-length",
    "field.format",
    "field.full-width",
    "field.needed",
    "field.phone",
    "field.range",
    "field.required",
    "field.time",
    "field.too-long",
    "field.unquoted-text",
    "field.unused-not-empty",
    "field.year-month",
    "filename.extension",
    "filename.extension-case",
    "filename.image-branch",
    "filename.month",
    "filename.office-number",
    "filename.same-office",
    "filename.sequence",
    "filename.service-kind",
    "filename.service-kind-unknown",
    "filename.syntax",
    "filename.unknown-kind",
    "filename.v3-form-for-v4-kind",
    "record.actuals-office-not-sender",
    "record.annex-code-in-slip",
    "record.csv-version-legacy",
    "record.csv-version-mixed",
    "record.csv-version-not-yet",
    "record.csv-version-outdated",
    "record.csv-version-unknown",
    "record.csv-version-v40",
    "record.daily-flag-beyond-month",
    "record.date-outside-month",
    "record.delete-kind-not-sender",
    "record.detail-expected",
    "record.detail-number-not-rental",
    "record.equipment-code-missing",
    "record.grand-total-duplicate",
    "record.grand-total-missing",
    "record.grand-total-office",
    "record.image-name",
    "record.month-mixed",
    "record.month-not-file-month",
    "record.plan-office-not-recipient",
    "record.plan-office-not-sender",
    "record.plan2-order",
    "record.plan3-row-type",
    "record.plan3-weekday-missing",
    "record.service-kind-unknown",
    "record.service-out-of-scope",
    "record.subtotal-missing",
    "record.subtotal-without-detail",
    "record.supplement-month",
    "record.supplement-plan-date",
    "record.supplement-slot-gap",
    "record.supplement-usage-date",
    "record.time-9999-pair",
    "record.total-discount-not-null",
    "record.total-office-on-detail",
    "record.total-units-not-zero",
    "record.unit-amount",
    "record.update-office-not-sender",
    "record.version-name-mismatch",
    "unit.combination",
    "unit.companion-missing",
    "unit.duplicate-kind",
    "unit.image-missing",
    "unit.image-unreferenced",
    "unit.key-not-in-parent",
    "unit.mixed-name-forms",
    "unit.month-mismatch",
    "unit.supplement-form",
    "unit.supplement-missing-for-user",
    "unit.version-mixed",
};

spec::Finding finding(const std::string& rule, spec::MessageArgs args = {}) {
    spec::Finding f;
    f.rule = rule;
    f.args = std::move(args);
    return f;
}

bool hasNonAscii(const std::string& text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

} // namespace

TEST(Messages, ListHasNoDuplicates) {
    const std::set<std::string> unique(kEmittedRules.begin(), kEmittedRules.end());
    EXPECT_EQ(unique.size(), kEmittedRules.size());
}

TEST(Messages, EveryEmittedRuleHasACatalogueEntry) {
    for (const auto& rule : kEmittedRules)
        EXPECT_TRUE(spec::hasMessage(rule)) << rule;
}

TEST(Messages, CatalogueHoldsOnlyEmittedRules) {
    const std::set<std::string> emitted(kEmittedRules.begin(), kEmittedRules.end());
    for (const auto& rule : spec::catalogueRules())
        EXPECT_TRUE(emitted.count(rule))
            << rule << " is in the catalogue but in no source file (or the list)";
    EXPECT_EQ(spec::catalogueRules().size(), kEmittedRules.size());
}

TEST(Messages, EveryRuleRendersInBothLanguages) {
    for (const auto& rule : kEmittedRules) {
        SCOPED_TRACE(rule);
        const auto ja = spec::renderMessage(finding(rule), Language::Ja);
        const auto en = spec::renderMessage(finding(rule), Language::En);
        for (const auto* text : {&ja.message, &ja.hint, &en.message, &en.hint}) {
            EXPECT_FALSE(text->empty());
            EXPECT_EQ(text->find('{'), std::string::npos) << *text;
            EXPECT_EQ(text->find('}'), std::string::npos) << *text;
        }
        // An unknown rule renders as its id: a real entry never does.
        EXPECT_NE(ja.message, rule);
        EXPECT_NE(en.message, rule);
        // Each language is itself: Japanese text in the one, none in the other.
        EXPECT_TRUE(hasNonAscii(ja.message)) << ja.message;
        EXPECT_FALSE(hasNonAscii(en.message)) << en.message;
        EXPECT_FALSE(hasNonAscii(en.hint)) << en.hint;
        EXPECT_NE(ja.message, en.message);
    }
}

TEST(Messages, UnknownRuleHasNoEntry) {
    EXPECT_FALSE(spec::hasMessage("record.no-such-rule"));
    const auto m = spec::renderMessage(finding("record.no-such-rule"), Language::Ja);
    EXPECT_EQ(m.message, "record.no-such-rule");
    EXPECT_EQ(m.hint, "");
}

TEST(Messages, ArgumentsAreFilledIn) {
    const auto f = finding("field.too-long", {{"value", "1234567"}, {"max", "6"}, {"length", "7"}});
    const auto ja = spec::renderMessage(f, Language::Ja);
    EXPECT_EQ(ja.message, "値「1234567」が 7 バイトで、項目長 6 を超えています。");
    const auto en = spec::renderMessage(f, Language::En);
    EXPECT_EQ(en.message, "\"1234567\" is 7 bytes; the field allows 6.");
}

TEST(Messages, EmptyArgumentShowsAsDash) {
    const auto m = spec::renderMessage(
        finding("record.supplement-month", {{"value", ""}, {"expected", "000000"}}), Language::En);
    EXPECT_EQ(m.message, "Target month - should be 000000.");
}

TEST(Messages, RoleIsTranslated) {
    const auto sender = finding("filename.office-number", {{"role", "sender"}, {"value", "123"}});
    const auto recipient = finding("filename.office-number", {{"role", "recipient"}, {"value", "123"}});
    EXPECT_NE(spec::renderMessage(sender, Language::Ja).message.find("送信元事業所番号"), std::string::npos);
    EXPECT_NE(spec::renderMessage(recipient, Language::Ja).message.find("送信先事業所番号"),
              std::string::npos);
    EXPECT_NE(spec::renderMessage(sender, Language::En).message.find("sender office"), std::string::npos);
    EXPECT_NE(spec::renderMessage(recipient, Language::En).message.find("recipient office"),
              std::string::npos);
}

TEST(Messages, FieldCountHintNamesTheOtherLayout) {
    const auto plain = finding("csv.field-count", {{"count", "25"}, {"expected", "22"}});
    auto other = plain;
    other.args.emplace_back("otherLayout", "V4");
    EXPECT_EQ(spec::renderMessage(plain, Language::Ja).hint.find("V4"), std::string::npos);
    EXPECT_NE(spec::renderMessage(other, Language::Ja).hint.find("V4 のレイアウト"), std::string::npos);
    EXPECT_NE(spec::renderMessage(other, Language::En).hint.find("the V4 layout"), std::string::npos);
}

TEST(Messages, RulesSeenInARealRunAreListed) {
    // Files broken in many ways at once: whatever the validator reports must be in the list above.
    using namespace cplink::ruletest;
    std::vector<spec::FileReport> reports;
    auto slip = with(FileKind::UpPlan, 4, "20250230");
    slip[1] = "12345";
    slip[6] = "佐藤";
    slip[10] = "1111111111111111111111111111111";
    slip[11] = "9999";
    slip[14] = "331111";
    slip[18] = "123";
    slip[24] = "1";
    reports.push_back(check(nameFor(FileKind::UpPlan), {testdata::validRecord(FileKind::UpPlan), slip,
                                                        with(FileKind::UpPlan, 1, "202208")}));
    reports.push_back(check("UPSIKYU_202504_0300000100_43_0300000100_11_20250320093000.csv",
                            {with(FileKind::UpSikyu, 23, "11.4"), with(FileKind::UpSikyu, 9, "111211")}));
    reports.push_back(test::validateRaw("notes.txt", "a,b\n\x82"));
    std::set<std::string> seen;
    for (const auto& report : reports) {
        for (const auto& f : report.findings.findings()) {
            seen.insert(f.rule);
            expectRendered(f);
        }
    }
    const std::set<std::string> listed(kEmittedRules.begin(), kEmittedRules.end());
    for (const auto& rule : seen)
        EXPECT_TRUE(listed.count(rule)) << rule;
    EXPECT_GE(seen.size(), 12u) << ::testing::PrintToString(seen);
}
