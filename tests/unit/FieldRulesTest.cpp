// The field.* rules of FieldChecker: for every field type of the standard, values just inside and just
// outside what the type accepts. Each case changes one field of a valid record and puts it on line 2 of
// a file whose line 1 is clean, so a finding must name line 2, the 項目No. and the standard's field name.
#include "RuleTestSupport.h"

#include <gtest/gtest.h>

using namespace cplink;
using namespace cplink::ruletest;

namespace {

struct FieldCase {
    const char* label;
    FileKind kind;
    int no;
    std::string value;
    std::string rule; // empty: the file must be clean
    Severity severity = Severity::Error;
    std::string fieldName = {};
};

// 第7表 needs its grand total row; any other kind starts with its own clean sample record.
Fields cleanFirstLine(FileKind kind) {
    return kind == FileKind::UpSikyu ? testdata::annexGrandTotal() : testdata::validRecord(kind);
}

spec::FileReport validateChanged(FileKind kind, int no, const std::string& value) {
    return check(nameFor(kind), {cleanFirstLine(kind), with(kind, no, value)});
}

void expectFinding(const spec::FileReport& report, const FieldCase& c, std::uint64_t line) {
    if (c.rule.empty()) {
        EXPECT_EQ(test::fileRules(report), noRules());
        return;
    }
    ASSERT_EQ(test::fileRules(report), std::vector<std::string>{c.rule});
    const spec::Finding& f = report.findings.findings().front();
    EXPECT_EQ(f.severity, c.severity);
    EXPECT_EQ(f.line, line);
    EXPECT_EQ(f.field, c.no);
    EXPECT_EQ(f.fieldName, c.fieldName);
    expectRendered(f);
}

void expectCases(const std::vector<FieldCase>& cases) {
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.label) + ": " + std::string(spec::fileKindId(c.kind)) + " No." +
                     std::to_string(c.no) + " = [" + c.value + "]");
        expectFinding(validateChanged(c.kind, c.no, c.value), c, 2);
    }
}

constexpr auto E = Severity::Error;
constexpr auto W = Severity::Warning;
constexpr auto Plan = FileKind::UpPlan;
constexpr auto Supplement = FileKind::UpHosoku;

} // namespace

TEST(FieldRules, YearMonth) {
    expectCases({
        {"ym6 month 13", Plan, 5, "202513", "field.year-month", E, "対象年月"},
        {"ym6 month 00", Plan, 5, "202500", "field.year-month", E, "対象年月"},
        {"ym6 before 1900", Plan, 5, "189912", "field.year-month", E, "対象年月"},
        {"000000 only means 'plan-bound' in UPHOSOKU No.63", Plan, 5, "000000", "field.year-month", E,
         "対象年月"},
        {"ym6 five digits", Plan, 5, "20254", "field.format", E, "対象年月"},
        {"ym6 with a separator", Plan, 5, "2025/4", "field.format", E, "対象年月"},
        {"ym6 seven digits", Plan, 5, "2025041", "field.too-long", E, "対象年月"},
        {"ym6 full width", Plan, 5, "２０２５０４", "field.full-width", E, "対象年月"},
        {"ym6OrZero plan-bound 000000", Supplement, 63, "000000", ""},
        {"ym6OrZero month 13", Supplement, 63, "202513", "field.year-month", E, "対象年月"},
        {"ym6OrZero five zeros", Supplement, 63, "00000", "field.format", E, "対象年月"},
    });
}

TEST(FieldRules, YearMonthAtTheEndOfTheRange) {
    // A month field must match the file month, so the range is probed through both.
    EXPECT_EQ(
        test::fileRules(check(nameFor(FileKind::DltPlan, "209912"), {with(FileKind::DltPlan, 4, "209912")})),
        noRules());
    const auto report = check(nameFor(FileKind::DltPlan, "202504"), {with(FileKind::DltPlan, 4, "210001")});
    ASSERT_EQ(test::fileRules(report), std::vector<std::string>{"field.year-month"});
    EXPECT_EQ(report.findings.findings()[0].fieldName, "削除対象年月");
}

TEST(FieldRules, Dates) {
    expectCases({
        {"leap day of a leap year", Plan, 4, "20240229", ""},
        {"leap day of 2000 (divisible by 400)", Plan, 4, "20000229", ""},
        {"last day of April", Plan, 4, "20250430", ""},
        {"leap day of a common year", Plan, 4, "20250229", "field.date", E, "作成年月日"},
        {"1900 is not a leap year", Plan, 4, "19000229", "field.date", E, "作成年月日"},
        {"31 April", Plan, 4, "20250431", "field.date", E, "作成年月日"},
        {"day 00", Plan, 4, "20250400", "field.date", E, "作成年月日"},
        {"month 13", Plan, 4, "20251301", "field.date", E, "作成年月日"},
        {"zero date outside UPHOSOKU No.4", Plan, 4, "00000000", "field.date", E, "作成年月日"},
        {"seven digits", Plan, 4, "2025041", "field.format", E, "作成年月日"},
        {"with separators", Plan, 4, "2025-4-1", "field.format", E, "作成年月日"},
        {"nine digits", Plan, 4, "202504011", "field.too-long", E, "作成年月日"},
        {"date8OrZero with a real date", Supplement, 4, "20240229", ""},
        {"date8OrZero with an impossible date", Supplement, 4, "20250230", "field.date", E,
         "居宅サービス計画作成（変更）日"},
    });
}

TEST(FieldRules, ZeroDateIsAllowedOnlyInTheSupplement) {
    // UPHOSOKU No.4 is 00000000 when it travels with the usage slip (its record rules are in
    // RecordRulesTest); elsewhere 00000000 is no date.
    const auto usage = check(nameFor(Supplement, "202504"), {testdata::usageSupplement("202504")});
    EXPECT_EQ(test::fileRules(usage), noRules());
    const auto plan = check(nameFor(Plan), {with(Plan, 10, "00000000")});
    ASSERT_EQ(test::fileRules(plan), std::vector<std::string>{"field.date"});
    EXPECT_EQ(plan.findings.findings()[0].field, 10);
}

TEST(FieldRules, Times) {
    const auto Weekly = FileKind::Up3Kyo;
    expectCases({
        {"midnight", Weekly, 8, "0000", ""},
        {"last minute", Weekly, 8, "2359", ""},
        {"2400 as the end of the day", Weekly, 8, "2400", ""},
        {"minute 60", Weekly, 8, "2360", "field.time", E, "開始時間"},
        {"hour 25", Weekly, 8, "2500", "field.time", E, "開始時間"},
        {"9999 is only for 第6表", Weekly, 8, "9999", "field.time", E, "開始時間"},
        {"three digits", Weekly, 8, "930", "field.format", E, "開始時間"},
        {"the printed form 12:00", Weekly, 8, "12:00", "field.too-long", E, "開始時間"},
        {"full width", Weekly, 8, "１２００", "field.full-width", E, "開始時間"},
        {"第6表 midnight", Plan, 12, "0000", ""},
        {"第6表 last minute", Plan, 12, "2359", ""},
        {"第6表 2400", Plan, 13, "2400", ""},
        {"第6表 minute 60", Plan, 12, "2360", "field.time", E, "サービス開始時刻"},
        {"第6表 9998 is not the no-time marker", Plan, 13, "9998", "field.time", E, "サービス終了時刻"},
    });
}

TEST(FieldRules, NoTimeMarkerOnBothSlipTimes) {
    auto record = with(Plan, 12, "9999");
    record[12] = "9999";
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {record})), noRules());
}

TEST(FieldRules, Numbers) {
    expectCases({
        {"numeric at its length", Plan, 14, "99", ""},
        {"numeric with a leading zero", Plan, 14, "01", ""},
        {"numeric with a letter", Plan, 14, "1a", "field.format", E, "サービス回数"},
        {"numeric has no sign", Plan, 14, "-1", "field.format", E, "サービス回数"},
        {"numeric with a space", Plan, 14, " 1", "field.format", E, "サービス回数"},
        {"numeric too long", Plan, 14, "100", "field.too-long", E, "サービス回数"},
        {"numeric full width", Plan, 14, "１", "field.full-width", E, "サービス回数"},
        {"integer negative (減算)", Plan, 8, "-250", ""},
        {"integer negative at its length", Plan, 8, "-12345", ""},
        {"integer zero", Plan, 8, "0", ""},
        {"integer at its length", Plan, 8, "999999", ""},
        {"integer minus inside", Plan, 8, "25-0", "field.format", E, "単位数"},
        {"integer minus alone", Plan, 8, "-", "field.format", E, "単位数"},
        {"integer plus sign", Plan, 8, "+250", "field.format", E, "単位数"},
        {"integer with a fraction", Plan, 8, "2.5", "field.format", E, "単位数"},
        {"integer too long", Plan, 8, "1234567", "field.too-long", E, "単位数"},
        {"integer with a full-width minus", Plan, 8, "－２５０", "field.full-width", E, "単位数"},
    });
}

TEST(FieldRules, InsurerAndInsuredNumbers) {
    expectCases({
        {"insurer 6 digits", Plan, 2, "123456", ""},
        {"insurer 5 digits is only suspicious", Plan, 2, "12345", "field.fixed-length", W, "保険者番号"},
        {"insurer 7 digits", Plan, 2, "1234567", "field.too-long", E, "保険者番号"},
        {"insurer with a letter", Plan, 2, "12345a", "field.format", E, "保険者番号"},
        {"insurer full width", Plan, 2, "１２３４５６", "field.full-width", E, "保険者番号"},
        {"insured 10 digits", Plan, 3, "1234567890", ""},
        {"insured 生保単独 H + 9 digits", Plan, 3, "H123456789", ""},
        {"insured 9 digits is only suspicious", Plan, 3, "123456789", "field.fixed-length", W,
         "被保険者番号"},
        {"insured 11 digits", Plan, 3, "12345678901", "field.too-long", E, "被保険者番号"},
        {"insured with letters", Plan, 3, "12345ABCDE", "field.format", E, "被保険者番号"},
        {"insured lower-case h", Plan, 3, "h123456789", "field.format", E, "被保険者番号"},
        {"insured H + 8 digits", Plan, 3, "H12345678", "field.format", E, "被保険者番号"},
        {"insured HH", Plan, 3, "HH23456789", "field.format", E, "被保険者番号"},
    });
}

TEST(FieldRules, OfficeNumbersAndServiceCodes) {
    expectCases({
        {"office 10 digits", Plan, 20, "0300000007", ""},
        {"office 9 digits", Plan, 20, "030000005", "field.format", E, "サービス事業者コード"},
        {"office 11 digits", Plan, 20, "03000000050", "field.too-long", E, "サービス事業者コード"},
        {"office with letters", Plan, 20, "03000000AB", "field.format", E, "サービス事業者コード"},
        {"office full width", Plan, 20, "０３０００００００５", "field.full-width", E,
         "サービス事業者コード"},
        // 第2表 No.17 prints フリーテキスト as its 書式: a malformed office number is only a warning there.
        {"第2表 office as text", FileKind::Up2Kyo, 17, "YYY", "field.format", W, "サービス事業者コード"},
        {"第2表 office full width", FileKind::Up2Kyo, 17, "１２３４５６７８９０", "field.full-width", W,
         "サービス事業者コード"},
        {"service code", Plan, 15, "111211", ""},
        {"service code of 総合事業", Plan, 15, "A11111", ""},
        {"service code 5 characters", Plan, 15, "11111", "field.format", E, "サービスコード"},
        {"service code lower case", Plan, 15, "11111a", "field.format", E, "サービスコード"},
        {"service code 7 characters", Plan, 15, "1111111", "field.too-long", E, "サービスコード"},
        {"service code full width", Plan, 15, "１１１１１１", "field.full-width", E, "サービスコード"},
        {"service kind alphanumeric", Supplement, 20, "2A", ""},
        {"service kind one character", Supplement, 20, "1", "field.format", E, "１サービス種類コード"},
        {"service kind lower case", Supplement, 20, "a1", "field.format", E, "１サービス種類コード"},
        {"service kind three characters", Supplement, 20, "111", "field.too-long", E, "１サービス種類コード"},
    });
}

TEST(FieldRules, EquipmentCodesFlagsZipAndPhone) {
    expectCases({
        {"TAIS code", Plan, 16, "00170-000123", ""},
        {"TAIS without the hyphen", Plan, 16, "00170000123", "field.format", E, "TAISコード"},
        {"TAIS with an underscore", Plan, 16, "00170_000123", "field.format", E, "TAISコード"},
        {"TAIS split 4-7", Plan, 16, "0017-0000123", "field.format", E, "TAISコード"},
        {"TAIS too long", Plan, 16, "00170-0001234", "field.too-long", E, "TAISコード"},
        // The standard prints its example as 00001－000010; copied from there it carries a full-width dash.
        {"TAIS in full width", Plan, 16, "００１７０－０００１２３", "field.full-width", E, "TAISコード"},
        {"TAIS with a full-width dash only", Plan, 17, "00170－000123", "field.full-width", E,
         "福祉用具届出コード"},
        {"daily flags 1-5", Plan, 11, "1111100000000000000000000000000", ""},
        {"daily flags 30 digits", Plan, 11, "111110000000000000000000000000", "field.format", E,
         "日割対象日"},
        {"daily flags 32 digits", Plan, 11, "11111000000000000000000000000000", "field.too-long", E,
         "日割対象日"},
        {"daily flags with a 2", Plan, 11, "2111100000000000000000000000000", "field.format", E,
         "日割対象日"},
        {"zip", Supplement, 9, "100-0013", ""},
        {"zip without hyphen", Supplement, 9, "1000013", "field.format", E, "利用者郵便番号"},
        {"zip with underscore", Supplement, 9, "100_0013", "field.format", E, "利用者郵便番号"},
        {"zip too long", Supplement, 9, "100-00134", "field.too-long", E, "利用者郵便番号"},
        {"phone with parentheses", Supplement, 12, "(03)1234-5678", ""},
        {"phone international at 15", Supplement, 12, "+81 3 1234 5678", ""},
        {"phone with an extension mark", Supplement, 12, "03-1234-5678#1", "field.phone", W,
         "利用者電話番号"},
        {"phone with letters", Supplement, 12, "0312345678 ext", "field.phone", W, "利用者電話番号"},
        {"phone at its length", Supplement, 12, "03-1234-5678-99", ""},
        {"phone 16 characters", Supplement, 12, "03-1234-5678-999", "field.too-long", E, "利用者電話番号"},
        // Phone numbers have no format in the standard, so a full-width one is only a warning.
        {"phone full width", Supplement, 12, "０３－１２３４－５６７８", "field.full-width", W,
         "利用者電話番号"},
    });
}

TEST(FieldRules, CodeTables) {
    expectCases({
        {"性別 2", Supplement, 7, "2", ""},
        {"性別 3", Supplement, 7, "3", "field.code", E, "利用者性別"},
        {"性別 two characters", Supplement, 7, "11", "field.too-long", E, "利用者性別"},
        // 要介護状態区分: 06 事業対象者 in 利用者補足 and 第1表, 01 非該当 in UPKIHON instead.
        {"UPHOSOKU 事業対象者", Supplement, 18, "06", ""},
        {"UPHOSOKU 非該当", Supplement, 18, "01", "field.code", E, "要介護状態区分"},
        {"UPKIHON 非該当", FileKind::UpKihon, 23, "01", ""},
        {"UPKIHON 事業対象者", FileKind::UpKihon, 23, "06", "field.code", E, "要介護状態区分"},
        {"保険対象区分 N", FileKind::Up2Kyo, 15, "N", ""},
        {"保険対象区分 lower case", FileKind::Up2Kyo, 15, "y", "field.code", E, "保険対象区分"},
        {"曜日 7", FileKind::Up3Kyo, 7, "7", ""},
        {"曜日 8", FileKind::Up3Kyo, 7, "8", "field.code", E, "曜日"},
        {"曜日 0", FileKind::Up3Kyo, 7, "0", "field.code", E, "曜日"},
    });
}

TEST(FieldRules, CodeFindingListsTheAllowedCodes) {
    const auto report = validateChanged(Supplement, 7, "3");
    const auto* f = test::findRule(report, "field.code");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(argOf(*f, "value"), "3");
    EXPECT_EQ(argOf(*f, "allowed"), "1:男性 2:女性");
}

TEST(FieldRules, Decimal) {
    const auto Annex = FileKind::UpSikyu;
    expectCases({
        {"99.99", Annex, 23, "11.40", ""},
        {"one whole digit", Annex, 23, "9.99", ""},
        {"one fraction digit", Annex, 23, "11.4", "field.format", E, "単位数単価"},
        {"three whole digits", Annex, 23, "111.40", "field.format", E, "単位数単価"},
        {"three fraction digits", Annex, 23, "11.400", "field.format", E, "単位数単価"},
        {"no point", Annex, 23, "1140", "field.format", E, "単位数単価"},
        {"decimal comma", Annex, 23, testdata::quoted("11,40"), "field.format", E, "単位数単価"},
        {"no whole part", Annex, 23, ".40", "field.format", E, "単位数単価"},
        {"seven characters", Annex, 23, "111.400", "field.too-long", E, "単位数単価"},
    });
}

TEST(FieldRules, UnusedAndFreeText) {
    expectCases({
        {"識別子 holds a value", Plan, 25, "1", "field.unused-not-empty", W, "識別子"},
        {"UPHOSOKU 識別子 holds a value", Supplement, 62, "X", "field.unused-not-empty", W, "識別子"},
        {"識別子 as an empty quoted value", Plan, 25, testdata::quoted(""), ""},
        {"free text not quoted", Plan, 21, "ひまわり訪問介護", "field.unquoted-text", E, "サービス事業所名"},
        {"free text with comma, line break and quote", Plan, 21,
         testdata::quoted("ひまわり,訪問\r\n\"\"介護\"\""), ""},
        {"Null free text", Plan, 21, "", ""},
    });
}

TEST(FieldRules, Required) {
    const auto Annex = FileKind::UpSikyu;
    expectCases({
        // Explicit ○ in the standard: an error.
        {"サービスコード", Plan, 15, "", "field.required", E, "サービスコード"},
        {"サービス利用日", Plan, 10, "", "field.required", E, "サービス利用日"},
        {"UPHOSOKU 対象年月", Supplement, 63, "", "field.required", E, "対象年月"},
        {"第1表 free text", FileKind::Up1Kyo, 8, testdata::quoted(""), "field.required", E,
         "居宅サービス計画作成者氏名"},
        {"DLTJSK サービス種類コード", FileKind::DltJsk, 6, "", "field.required", E, "サービス種類コード"},
        {"UPKIHON 利用者氏名ﾌﾘｶﾞﾅ", FileKind::UpKihon, 14, testdata::quoted(""), "field.required", E,
         "利用者氏名ﾌﾘｶﾞﾅ"},
        // ○ reconstructed from glyph counts (UPHOSOKU No.5-8, 第6表 No.6-7, 第7表 No.33): a warning.
        {"UPHOSOKU No.5", Supplement, 5, testdata::quoted(""), "field.required", W, "利用者氏名フリガナ"},
        {"UPHOSOKU No.6", Supplement, 6, testdata::quoted(""), "field.required", W, "利用者氏名"},
        {"UPHOSOKU No.7", Supplement, 7, "", "field.required", W, "利用者性別"},
        {"UPHOSOKU No.8", Supplement, 8, "", "field.required", W, "利用者生年月日"},
        {"第6表 No.6", Plan, 6, "", "field.required", W, "プラン担当業者コード"},
        {"第6表 No.7", Plan, 7, testdata::quoted(""), "field.required", W, "プラン担当者名"},
        {"第6表 実績 No.6", FileKind::UpJsk, 6, "", "field.required", W, "プラン担当業者コード"},
        {"第7表 No.33", Annex, 33, "", "field.required", W, "３０日超区分"},
        // 必要 without 必須 (介護予防 files): a warning.
        {"UPKIHON 委託の有無", FileKind::UpKihon, 6, "", "field.needed", W, "委託の有無"},
        {"UPYOBO 委託の有無", FileKind::UpYobo, 6, "", "field.needed", W, "委託の有無"},
    });
}

TEST(FieldRules, TypeSeverityFollowsTheField) {
    // UPYOBO_SUB prints フリーテキスト as the 書式 of its 2-digit NO fields, so a non-number only warns.
    expectCases({
        {"課題ＮＯ as text", FileKind::UpYoboSub, 5, "A", "field.format", W, "課題ＮＯ"},
        {"課題ＮＯ full width", FileKind::UpYoboSub, 5, "１", "field.full-width", W, "課題ＮＯ"},
        {"課題ＮＯ", FileKind::UpYoboSub, 5, "12", ""},
    });
}

TEST(FieldRules, RangeOfPlan2Numbers) {
    expectCases({
        {"課題ＮＯ 1", FileKind::Up2Kyo, 6, "1", ""},
        {"課題ＮＯ 99", FileKind::Up2Kyo, 6, "99", ""},
        {"課題ＮＯ 0", FileKind::Up2Kyo, 6, "0", "field.range", E, "課題ＮＯ"},
        {"援助目標ＮＯ 00", FileKind::Up2Kyo, 8, "00", "field.range", E, "援助目標ＮＯ"},
        {"援助内容ＮＯ 0", FileKind::Up2Kyo, 13, "0", "field.range", E, "援助内容ＮＯ"},
        // 1-99 in a 2-byte field: 100 is caught by the length before the range.
        {"課題ＮＯ 100", FileKind::Up2Kyo, 6, "100", "field.too-long", E, "課題ＮＯ"},
    });
    const auto report = validateChanged(FileKind::Up2Kyo, 6, "0");
    const auto* f = test::findRule(report, "field.range");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(argOf(*f, "min"), "1");
    EXPECT_EQ(argOf(*f, "max"), "99");
}

TEST(FieldRules, DetailNumberLengthIsOnlyAWarning) {
    // 明細判別コード's length is not in the standard's text (2 is assumed), so a longer one only warns and
    // the value is still used; it needs an equipment-rental row to be allowed at all.
    auto rental = with(Plan, 15, "171001");
    rental[15] = "00170-000123";
    auto longNumber = rental;
    longNumber[18] = "123";
    auto shortNumber = rental;
    shortNumber[18] = "12";
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {rental, shortNumber})), noRules());
    const auto report = check(nameFor(Plan), {rental, longNumber});
    ASSERT_EQ(test::fileRules(report), std::vector<std::string>{"field.too-long"});
    const auto& f = report.findings.findings()[0];
    EXPECT_EQ(f.severity, W);
    EXPECT_EQ(f.line, 2u);
    EXPECT_EQ(f.field, 19);
    EXPECT_EQ(f.fieldName, "明細判別コード");
    EXPECT_EQ(argOf(f, "max"), "2");
    EXPECT_EQ(argOf(f, "length"), "3");
    // Being long does not excuse it from being a number.
    auto letters = rental;
    letters[18] = "1a2";
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {rental, letters})),
              (std::vector<std::string>{"field.too-long", "field.format"}));
}

TEST(FieldRules, LineIsWhereTheRecordStarts) {
    // Free text keeps its line breaks, so a record can span lines; findings name its first line.
    const auto multiLine = with(Plan, 21, testdata::quoted("ひまわり\r\n訪問介護\r\n（本店）"));
    const auto report = check(nameFor(Plan), {multiLine, with(Plan, 14, "1a")});
    ASSERT_EQ(test::fileRules(report), std::vector<std::string>{"field.format"});
    EXPECT_EQ(report.findings.findings()[0].line, 4u);
    EXPECT_EQ(report.records, 2u);
}

TEST(FieldRules, ShortFormatFindingsCarryTheValue) {
    const auto report = validateChanged(Plan, 16, "００１７０－０００１２３");
    const auto* f = test::findRule(report, "field.full-width");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(argOf(*f, "value"), "００１７０－０００１２３"); // shown back in UTF-8
}

// --- V3 layouts --------------------------------------------------------------------------------------
// V3 (202208) 第6表 has 22 fields and 第7表 34: the V4 equipment fields are missing, so every later
// field has a smaller number. Findings must use the number of the layout the file is in.

namespace {

spec::FileReport validateV3(FileKind kind, int no, const std::string& value) {
    auto changed = replaced(toV3(kind, testdata::validRecord(kind)), no, value);
    const auto first = kind == FileKind::UpSikyu ? toV3(kind, testdata::annexGrandTotal())
                                                 : toV3(kind, testdata::validRecord(kind));
    return check(v3NameFor(kind, "202412"), {first, changed});
}

} // namespace

TEST(FieldRules, V3SamplesAreClean) {
    const auto slip = check(v3NameFor(Plan, "202412"), {toV3(Plan, testdata::validRecord(Plan))});
    EXPECT_EQ(test::fileRules(slip), noRules());
    EXPECT_EQ(slip.layout, spec::LayoutId::V3);
    const auto annex = check(v3NameFor(FileKind::UpSikyu, "202412"),
                             {toV3(FileKind::UpSikyu, testdata::validRecord(FileKind::UpSikyu)),
                              toV3(FileKind::UpSikyu, testdata::annexGrandTotal())});
    EXPECT_EQ(test::fileRules(annex), noRules());
    EXPECT_EQ(annex.layout, spec::LayoutId::V3);
}

TEST(FieldRules, V3NumbersTheSlipFieldsDifferently) {
    struct Case {
        FileKind kind;
        int v3, v4;
        std::string value, rule, name;
    };
    const std::vector<Case> cases{
        {Plan, 17, 20, "", "field.required", "サービス事業者コード"},
        {FileKind::UpJsk, 17, 20, "030000005", "field.format", "サービス事業者コード"},
        {Plan, 16, 19, "123", "field.too-long", "明細判別コード"},
        {Plan, 22, 25, "1", "field.unused-not-empty", "識別子"},
        {FileKind::UpSikyu, 20, 23, "11.4", "field.format", "単位数単価"},
        {FileKind::UpSikyu, 13, 16, "", "field.required", "回数／日数"},
        {FileKind::UpSikyu, 7, 7, "", "field.required", "サービス事業所コード"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(spec::fileKindId(c.kind)) + " " + c.name);
        const auto v3 = validateV3(c.kind, c.v3, c.value);
        const auto v4 = validateChanged(c.kind, c.v4, c.value);
        const auto* f3 = test::findRule(v3, c.rule);
        const auto* f4 = test::findRule(v4, c.rule);
        ASSERT_NE(f3, nullptr);
        ASSERT_NE(f4, nullptr);
        EXPECT_EQ(f3->field, c.v3);
        EXPECT_EQ(f4->field, c.v4);
        EXPECT_EQ(f3->fieldName, c.name);
        EXPECT_EQ(f4->fieldName, c.name);
        EXPECT_EQ(f3->line, 2u);
    }
}

TEST(FieldRules, V3CountIsTwoDigits) {
    // 回数／日数 is 2 digits in V3 and 3 in V4.
    const auto v3 = validateV3(FileKind::UpSikyu, 13, "100");
    ASSERT_EQ(test::fileRules(v3), std::vector<std::string>{"field.too-long"});
    EXPECT_EQ(v3.findings.findings()[0].field, 13);
    EXPECT_EQ(test::fileRules(validateChanged(FileKind::UpSikyu, 16, "100")),
              std::vector<std::string>{"record.unit-amount"});
}

TEST(FieldRules, V3PlanOfficeIsAnExplicitRequirement) {
    // The V3 第6表 prints ○ for プラン担当業者コード; only the V4 table's ○ had to be reconstructed.
    const auto v3 = validateV3(Plan, 6, "");
    const auto* f = test::findRule(v3, "field.required");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, E);
    EXPECT_EQ(f->field, 6);
}

TEST(FieldRules, V3ThirtyDayFlagHasTheSameUncertainRequirementAsV4) {
    // The V3 第7表 layout is derived from the V4 one, whose ○ for ３０日超区分 is uncertain: both warn.
    const auto v3 = validateV3(FileKind::UpSikyu, 30, "");
    const auto* f = test::findRule(v3, "field.required");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, W);
    EXPECT_EQ(f->field, 30);
    EXPECT_EQ(f->fieldName, "３０日超区分");
}
