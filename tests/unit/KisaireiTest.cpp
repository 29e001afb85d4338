// The examples the standard prints itself (データ配置例 and 記載例 in 別紙「CSVファイルレイアウト定義書」
// V4.1) must be accepted. They are transcribed from the layout text column by column; where the PDF
// text shifts a column, the value is placed where the printed form beside the table shows it.
//
// The printed examples contain errata (docs: SPEC.md §12). Where an example contradicts an explicit rule
// of the standard, the documented correction is applied and marked "erratum" next to the value; the test
// PrintedErrataAreCaught shows the validator flags the uncorrected values.
#include "RuleTestSupport.h"
#include "spec/FileName.h"

#include <gtest/gtest.h>

using namespace cplink;
using namespace cplink::ruletest;

namespace {

// Every example file name of the layout text shares these parties and this sequence.
constexpr std::string_view kParties = "_0300000100_43_0300000005_11_20191025200201";

std::string exampleName(FileKind kind) {
    return std::string(spec::fileKindId(kind)) + std::string(kParties) + ".CSV";
}

// The examples print 201910 (第2表, 第3表) or 202404 (介護予防): the first is V1 and needs a V3 name, the
// second is no version at all. A V4.1 file carries 202407 (erratum, corrected).
constexpr const char* kVersion = "202407";

// "" is Null; free text is quoted.
Fields row(std::initializer_list<std::string> values) {
    return Fields(values);
}

std::string t(std::string_view text) {
    return text.empty() ? std::string() : testdata::quoted(text);
}

// Rules of the findings, with their line and field, for readable failure output.
std::vector<std::string> describe(const spec::FileReport& report) {
    std::vector<std::string> out;
    for (const auto& f : report.findings.findings())
        out.push_back(f.rule + " line " + std::to_string(f.line.value_or(0)) + " No." +
                      std::to_string(f.field.value_or(0)));
    return out;
}

// The only finding the examples may cause: the 9-digit 被保険者番号 123456789, which the standard's own
// examples use although the field is 10 digits. It is accepted with a fixed-length warning.
void expectOnlyShortInsuredNumbers(const spec::FileReport& report, std::size_t rows) {
    EXPECT_EQ(report.findings.errorCount(), 0u) << ::testing::PrintToString(describe(report));
    ASSERT_EQ(report.findings.findings().size(), rows) << ::testing::PrintToString(describe(report));
    std::uint64_t line = 0;
    for (const auto& f : report.findings.findings()) {
        EXPECT_EQ(f.rule, "field.fixed-length");
        EXPECT_EQ(f.severity, Severity::Warning);
        EXPECT_EQ(f.field, 3);
        EXPECT_EQ(f.line, ++line);
    }
}

// 居宅サービス計画2表 (データ配置例): 5 rows. Rows 1-3 belong to 課題１/長期１; the form prints 課題,
// 長期目標 and 短期目標 only where they change, and the CSV leaves them blank likewise. The NO columns
// read 課題ＮＯ 1,1,1,1,2 / 援助目標ＮＯ 1,1,1,2,1 / 援助内容ＮＯ 1,2,3,1,1: row 4 is 課題１'s second goal
// (長期２) and row 5 starts 課題２, which is the only reading in which sorting by the three NOs gives the
// printed order, as the standard requires.
// The example tables print the header columns (No.1-5) once; every row repeats them in the file.
std::vector<Fields> withHead(const Fields& head, const std::vector<Fields>& rest) {
    std::vector<Fields> records;
    for (const auto& r : rest) {
        Fields f = head;
        f.insert(f.end(), r.begin(), r.end());
        records.push_back(f);
    }
    return records;
}

std::vector<Fields> plan2Example() {
    // No.1-5: CSVバージョン (erratum: 201910), 保険者番号, 被保険者番号 (9 digits as printed),
    // 居宅計画書作成年月日, 居宅サービス計画作成（変更）日.
    const Fields head{kVersion, "123456", "123456789", "20191010", "20191010"};
    // No.6-22: 課題ＮＯ, 課題, 援助目標ＮＯ, 長期目標, 短期目標, 長期期間, 短期期間, 援助内容ＮＯ,
    // サービス内容, 保険対象区分, サービス種別, サービス事業者コード, サービス事業所名, 頻度, 実施期間,
    // 更新業者コード, 識別子. 実施期間 repeats 頻度 in the printed table (the form image beside it shows
    // cccc…llll); both are text.
    const std::vector<Fields> rest{
        row({"1", t("課題１"), "1", t("長期１"), t("短期１"), t("aaaa"), t("bbbb"), "1", t("サービス１"), "Y",
             t("訪問介護"), "1234567890", t("ＸＸＸ事業所"), t("隔日"), t("隔日"), "", ""}),
        row({"1", "", "1", "", "", "", "", "2", t("サービス２"), "", t("家政婦"), "", t("YYY家政婦協会"),
             t("毎日"), t("毎日"), "", ""}),
        row({"1", "", "1", "", t("短期２"), "", t("eeee"), "3", t("サービス３"), "Y", t("福祉用具"),
             "1234567891", t("ZZZZ事業所"), "", "", "", ""}),
        row({"1", "", "2", t("長期２"), t("短期３"), t("gggg"), t("hhhh"), "1", t("サービス４"), "",
             t("医療"), "", t("ｘｘｘ病院"), t("1ヶ月に１回"), t("1ヶ月に１回"), "", ""}),
        row({"2", t("課題２"), "1", t("長期３"), t("短期４"), t("jjjj"), t("kkkk"), "1", t("サービス５"), "Y",
             t("訪問看護"), "1234567892", t("ｙｙｙ看護ステーション"), t("隔週"), t("隔週"), "", ""}),
    };
    return withHead(head, rest);
}

// 居宅サービス計画3表 (データ配置例): 6 rows, two of each row type. The standard notes that the example
// shows the printed form and real data holds codes: 月 → 1, 木 → 4, 12:00 → 1200 (HHMM).
std::vector<Fields> plan3Example() {
    const Fields head{kVersion, "123456", "123456789", "20191010", "20191010"};
    // No.6-13: 介護サービス内容, 曜日, 開始時間, 終了時間, 主な日常生活上の活動, 開始時間, 終了時間,
    // 週単位以外のサービス.
    const std::vector<Fields> rest{
        row({t("訪問介護"), "1", "1200", "1600", "", "", "", ""}), // printed 月 12:00 16:00
        row({t("通所介護"), "4", "1000", "1200", "", "", "", ""}), // printed 木 10:00 12:00
        row({"", "", "", "", t("起床"), "0600", "0600", ""}),      // printed 6:00 6:00
        row({"", "", "", "", t("就寝"), "2100", "2100", ""}),      // printed 21:00 21:00
        row({"", "", "", "", "", "", "", t("通院")}),
        row({"", "", "", "", "", "", "", t("福祉用具貸与")}),
    };
    return withHead(head, rest);
}

// The two users of the 介護予防 examples. 相談日 / 計画作成(変更)日 print as 202401 and 202404, six digits
// in a YYYYMMDD field (erratum, SPEC.md §12): corrected to the first of the month.
struct ExampleUser {
    std::string insurer, insured, date;
};
const ExampleUser kUserA{"123456", "1234567890", "20240101"}; // printed 202401
const ExampleUser kUserB{"654321", "9876543210", "20240401"}; // printed 202404

Fields keyed(const ExampleUser& user, std::initializer_list<std::string> rest) {
    Fields f{kVersion, user.insurer, user.insured, user.date}; // printed CSVバージョン 202404 (erratum)
    f.insert(f.end(), rest.begin(), rest.end());
    return f;
}

std::string imageName(int branch) {
    return "UPKIHON_IMAGE" + std::string(kParties) + "_000" + std::to_string(branch) + ".JPG";
}

// 利用者基本情報 の例: the example prints No.1-4 and the image name only ("……" for the rest), so the other
// fields come from the sample record. The example labels the image name No.57; it is No.62 (erratum).
std::vector<Fields> basicInfoExample() {
    std::vector<Fields> records;
    for (const auto& [user, branch] : {std::pair{kUserA, 1}, std::pair{kUserB, 2}}) {
        Fields f = testdata::validRecord(FileKind::UpKihon);
        f[0] = kVersion;
        f[1] = user.insurer;
        f[2] = user.insured;
        f[3] = user.date;
        f[61] = testdata::quoted(imageName(branch));
        records.push_back(f);
    }
    return records;
}

// 別表1 １日の生活・すごし方 の例: three rows for the first user, two for the second.
std::vector<Fields> dailyLifeExample() {
    return {
        // No.5-7: 時間, 本人の生活状況, 介護者・家族の生活状況.
        keyed(kUserA, {t("6:00"), t("起床"), ""}),
        keyed(kUserA, {t("7:30"), t("朝食"), ""}),
        keyed(kUserA, {t("9:00"), t("掃除"), t("妻も実施")}),
        keyed(kUserB, {t("6:00"), t("起床"), ""}),
        keyed(kUserB, {t("7:00"), t("朝食"), ""}),
    };
}

// 別表2 現病歴・既往歴 の例.
std::vector<Fields> historyExample() {
    return {
        // No.5-11: 年月日, 病名, 医療機関・医師名, 主治医・意見作成者フラグ, 医療機関・医師電話番号, 経過,
        // 治療中の内容.
        keyed(kUserA, {t("H12年10月"), t("AAA"), t("XXXX"), "1", "03-0000-0000", "01", t("aaa")}),
        keyed(kUserA, {t("R2年4月"), t("BBB"), t("XXXX"), "1", "03-0000-0000", "01", t("bbb")}),
        // The flag prints as a full-width ２ here; the code table's value is 2 (erratum, corrected).
        keyed(kUserB, {t("R2年4月"), t("CCC"), t("YYYY"), "2", "03-1111-1111", "01", t("ccc")}),
        keyed(kUserB, {t("2023/6"), t("DDD"), t("ZZZZ"), "1", "03-2222-2222", "01", t("ddd")}),
        keyed(kUserB, {t("1990/10"), t("EEE"), t("ZZZZ"), "1", "03-2222-2222", "01", t("eee")}),
    };
}

// 介護予防サービス・支援計画書 の例: No.1-4 printed, the rest from the sample record.
std::vector<Fields> preventionPlanExample() {
    std::vector<Fields> records;
    for (const auto& user : {kUserA, kUserB}) {
        Fields f = testdata::validRecord(FileKind::UpYobo);
        f[0] = kVersion;
        f[1] = user.insurer;
        f[2] = user.insured;
        f[3] = user.date;
        records.push_back(f);
    }
    return records;
}

// 介護予防サービス・支援計画書（別表）支援計画 の例 (its header names the sixth column "5行目" again).
// 記載例: one 課題 with several 支援計画 keeps 課題ＮＯ and numbers 支援計画ＮＯ, and fills the other 課題
// fields on its first row only; one 支援計画 with several services keeps 支援計画ＮＯ, numbers
// 利用サービスＮＯ and fills the other 支援計画 fields on its first row only.
std::vector<Fields> supportPlanExample() {
    return {
        // No.5-17: 課題ＮＯ, 総合的課題, 課題に対する目標と具体策の提案, 具体策についての意向本人・家族,
        // 目標,
        // 支援計画ＮＯ, 目標についての支援のポイント, 本人等のセルフケア…, 介護保険サービス又は地域支援事業,
        // 利用サービスＮＯ, サービス種別, 事業所(利用先), 期間.
        keyed(kUserA, {"1", t("○○が出来なくなる可能性がある。"), t("○○を提案"), t("○○を希望"),
                       t("○○になること。"), "1", t("○○の実施"), t("○○の実施"), t("○○の実施"), "1",
                       t("介護予防通所介護"), t("〇〇センター"), t("6カ月間")}),
        keyed(kUserA, {"1", "", "", "", "", "2", t("●●の実施"), t("●●の実施"), t("●●の実施"), "1",
                       t("介護予防通所介護"), t("〇〇センター"), t("6カ月間")}),
        keyed(kUserA, {"1", "", "", "", "", "2", "", "", "", "2", t("宅老所利用"), t("社会福祉協議会"),
                       t("6カ月間")}),
        // The PDF text wraps this service name after 介護予防通所リハビ.
        keyed(kUserA, {"2", t("△△△による体調を崩す傾向がある。"), t("△△を提案"), t("△△を希望"),
                       t("△△になること。"), "1", t("△△の実施"), t("△△の実施"), t("△△の実施"), "1",
                       t("介護予防通所リハビリ"), t("××事業所"), t("3カ月間")}),
        keyed(kUserB, {"1", t("○○が出来なくなる可能性がある。"), t("○○を提案"), t("○○を希望"),
                       t("○○になること。"), "1", t("○○の実施"), t("○○の実施"), t("○○の実施"), "1",
                       t("介護予防通所介護"), t("〇〇センター"), t("6カ月間")}),
        keyed(kUserB, {"1", "", "", "", "", "2", t("●●の実施"), t("●●の実施"), t("●●の実施"), "1",
                       t("介護予防通所介護"), t("〇〇センター"), t("6カ月間")}),
    };
}

testdata::SampleFile csvFile(FileKind kind, const std::vector<Fields>& records) {
    return {exampleName(kind), testdata::sjis(testdata::toCsv(records))};
}

testdata::SampleFile jpegFile(int branch) {
    return {imageName(branch), std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11)};
}

} // namespace

TEST(Kisairei, Plan2DataPlacementExample) {
    const auto records = plan2Example();
    ASSERT_EQ(records.size(), 5u);
    ASSERT_EQ(records[0].size(), 22u);
    expectOnlyShortInsuredNumbers(check(exampleName(FileKind::Up2Kyo), records), 5);
}

TEST(Kisairei, Plan3DataPlacementExample) {
    const auto records = plan3Example();
    ASSERT_EQ(records.size(), 6u);
    ASSERT_EQ(records[0].size(), 13u);
    expectOnlyShortInsuredNumbers(check(exampleName(FileKind::Up3Kyo), records), 6);
}

TEST(Kisairei, PreventionExamplesAreEachClean) {
    const std::vector<std::pair<FileKind, std::vector<Fields>>> files{
        {FileKind::UpKihon, basicInfoExample()},     {FileKind::UpKihonSub1, dailyLifeExample()},
        {FileKind::UpKihonSub2, historyExample()},   {FileKind::UpYobo, preventionPlanExample()},
        {FileKind::UpYoboSub, supportPlanExample()},
    };
    for (const auto& [kind, records] : files) {
        SCOPED_TRACE(std::string(spec::fileKindId(kind)));
        const auto report = check(exampleName(kind), records);
        EXPECT_EQ(test::fileRules(report), noRules()) << ::testing::PrintToString(describe(report));
        EXPECT_EQ(report.records, records.size());
    }
}

TEST(Kisairei, PreventionExamplesFormOneSendUnit) {
    // All the 介護予防 examples share parties and sequence: together they are the standard's
    // 計画書＋利用者基本情報 unit, the annexes and both family images included, and every key of an
    // annex row names a record of its parent file.
    const auto batch = test::validateFiles({
        csvFile(FileKind::UpKihon, basicInfoExample()),
        csvFile(FileKind::UpKihonSub1, dailyLifeExample()),
        csvFile(FileKind::UpKihonSub2, historyExample()),
        csvFile(FileKind::UpYobo, preventionPlanExample()),
        csvFile(FileKind::UpYoboSub, supportPlanExample()),
        jpegFile(1),
        jpegFile(2),
    });
    ASSERT_EQ(batch.files.size(), 7u);
    for (const auto& file : batch.files)
        EXPECT_EQ(test::rules(file), noRules()) << file.fileName << ::testing::PrintToString(describe(file));
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "preventionPlanWithBasicInfo");
    EXPECT_EQ(batch.units[0].files.size(), 7u);
}

TEST(Kisairei, ExampleFileNamesParse) {
    // The file-name examples of the layout text (V4.1) and of the V3 第6表 page.
    const std::vector<std::pair<std::string, FileKind>> names{
        {"UPHOSOKU_000000_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpHosoku},
        {"UPHOSOKU_201909_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpHosoku},
        {"UP1KYO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::Up1Kyo},
        {"DLT1KYO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::Dlt1Kyo},
        {"UP2KYO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::Up2Kyo},
        {"UP3KYO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::Up3Kyo},
        {"UPPLAN_201912_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpPlan},
        // The standard's 実績 examples swap the service kinds (SPEC.md §12); the name is still well-formed.
        {"UPJSK_201912_0300000005_43_0300000100_11_20191025200201.CSV", FileKind::UpJsk},
        {"DLTPLAN_201912_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::DltPlan},
        {"DLTJSK_201912_0300000005_43_0300000100_11_20191025200201.CSV", FileKind::DltJsk},
        {"UPSIKYU_201912_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpSikyu},
        {"UPKIHON_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpKihon},
        {"DLTKIHON_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::DltKihon},
        {"UPKIHON_SUB1_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpKihonSub1},
        {"UPKIHON_SUB2_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpKihonSub2},
        {"UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0001.JPG", FileKind::UpKihonImage},
        {"UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0002.JPG", FileKind::UpKihonImage},
        {"UPYOBO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpYobo},
        {"DLTYOBO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::DltYobo},
        {"UPYOBO_SUB_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpYoboSub},
        {"UPPLAN_201912_0300000100_0300000005_20191025200201.CSV", FileKind::UpPlan},
        {"UPJSK_201912_0300000005_0300000100_20191025200201.CSV", FileKind::UpJsk},
    };
    for (const auto& [name, kind] : names) {
        spec::FindingSink sink;
        const auto parsed = spec::parseFileName(name, sink);
        EXPECT_TRUE(sink.findings().empty()) << name;
        ASSERT_TRUE(parsed.name.has_value()) << name;
        EXPECT_EQ(parsed.name->kind, kind) << name;
        EXPECT_EQ(parsed.name->sequence, "20191025200201") << name;
    }
}

TEST(Kisairei, PrintedErrataAreCaught) {
    // The uncorrected values break explicit rules, which is why the examples above carry corrections.
    auto plan3 = plan3Example();
    plan3[0][0] = "201910"; // V1's version in a V4.1-named file (and V1 predates 第3表)
    plan3[0][6] = "月";     // the weekday as printed
    plan3[0][7] = "12:00";  // the time as printed
    const auto report = check(exampleName(FileKind::Up3Kyo), plan3);
    EXPECT_TRUE(test::hasRule(report, "record.csv-version-legacy"));
    EXPECT_TRUE(test::hasRule(report, "record.version-name-mismatch"));
    EXPECT_TRUE(test::hasRule(report, "record.csv-version-mixed")); // rows 2-6 keep 202407
    EXPECT_TRUE(test::hasRule(report, "field.full-width"));
    EXPECT_TRUE(test::hasRule(report, "field.too-long"));

    auto daily = dailyLifeExample();
    for (auto& r : daily) {
        r[0] = "202404";
        r[3] = r[3].substr(0, 6);
    }
    const auto sub1 = check(exampleName(FileKind::UpKihonSub1), daily);
    EXPECT_TRUE(test::hasRule(sub1, "record.csv-version-unknown"));
    const auto* date = test::findRule(sub1, "field.format");
    ASSERT_NE(date, nullptr);
    EXPECT_EQ(date->fieldName, "相談日");

    auto history = historyExample();
    history[2][7] = "２";
    const auto sub2 = check(exampleName(FileKind::UpKihonSub2), history);
    ASSERT_EQ(test::fileRules(sub2), std::vector<std::string>{"field.full-width"});
    EXPECT_EQ(sub2.findings.findings()[0].fieldName, "主治医・意見作成者フラグ");

    // 本文 2.4 prints a V3 name with a 9-digit office number.
    spec::FindingSink sink;
    spec::parseFileName("UP1KYO_123456789_2468135790_20191110102233.CSV", sink);
    ASSERT_EQ(sink.findings().size(), 1u);
    EXPECT_EQ(sink.findings()[0].rule, "filename.office-number");
}
