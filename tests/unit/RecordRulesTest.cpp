// The record.* rules: CSV versions, one month per file, and the rules of 第6表, 第7表, 利用者補足,
// 第2表, 第3表, DLTJSK and UPKIHON. Each test builds the smallest file that breaks one rule and, next to
// it, the nearest file that keeps it.
#include "RuleTestSupport.h"

#include <gtest/gtest.h>
#include <optional>

using namespace cplink;
using namespace cplink::ruletest;

namespace {

using Rules = std::vector<std::string>;

constexpr auto Plan = FileKind::UpPlan;
constexpr auto Actuals = FileKind::UpJsk;
constexpr auto Annex = FileKind::UpSikyu;
constexpr auto Supplement = FileKind::UpHosoku;

// Expects exactly one finding of `rule` and returns it.
spec::Finding only(const spec::FileReport& report, const std::string& rule) {
    const auto found = findingsOf(report, rule);
    EXPECT_EQ(found.size(), 1u) << rule;
    if (found.empty())
        return {};
    expectRendered(found.front());
    return found.front();
}

void expectAt(const spec::Finding& f, Severity severity, std::uint64_t line, std::optional<int> field,
              const std::string& fieldName = {}) {
    EXPECT_EQ(f.severity, severity) << f.rule;
    EXPECT_EQ(f.line, line) << f.rule;
    EXPECT_EQ(f.field, field) << f.rule;
    EXPECT_EQ(f.fieldName, fieldName) << f.rule;
}

Fields withVersion(FileKind kind, const std::string& version) {
    return with(kind, 1, version);
}

// A 第6表 record for another month: 対象年月 and サービス利用日 move together.
Fields slipOfMonth(FileKind kind, const std::string& month) {
    auto f = with(kind, 5, month);
    f[9] = month + "01";
    return f;
}

Fields rentalSlip(FileKind kind) {
    auto f = with(kind, 15, "171001");
    f[15] = "00170-000123";
    return f;
}

// A 第7表 subtotal row (種類CD + AAAA/EEEE/ZZZZ): 単位数 0, discounts Null.
Fields annexSubtotal(const std::string& code) {
    auto f = with(Annex, 9, code);
    f[12] = "0";
    return f;
}

Fields annexDetail(const std::string& code) {
    return with(Annex, 9, code);
}

} // namespace

// --- CSV version ------------------------------------------------------------------------------------

TEST(RecordRules, CurrentVersionIsClean) {
    for (auto kind : {FileKind::Up1Kyo, Plan, FileKind::DltPlan}) {
        const auto report = check(nameFor(kind), {testdata::validRecord(kind)});
        EXPECT_EQ(test::fileRules(report), noRules()) << spec::fileKindId(kind);
        EXPECT_EQ(report.csvVersion, "202407");
        EXPECT_EQ(report.layout, spec::LayoutId::V4);
    }
}

TEST(RecordRules, UnknownVersionIsAnError) {
    // 202410 is what some V4.1 exporters write; the standard's value is 202407.
    const auto report = check(nameFor(Plan), {withVersion(Plan, "202410")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.csv-version-unknown"});
    const auto f = only(report, "record.csv-version-unknown");
    expectAt(f, Severity::Error, 1, 1, "CSVバージョン");
    EXPECT_EQ(argOf(f, "value"), "202410");
}

TEST(RecordRules, Version40IsAWarning) {
    const auto report = check(nameFor(Plan), {withVersion(Plan, "202504")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.csv-version-v40"});
    expectAt(only(report, "record.csv-version-v40"), Severity::Warning, 1, 1, "CSVバージョン");
    EXPECT_EQ(report.layout, spec::LayoutId::V4);
}

TEST(RecordRules, LegacyVersionIsCheckedAsV3WithAWarning) {
    for (const std::string version : {"201910", "202003"}) {
        SCOPED_TRACE(version);
        const auto report = check(v3NameFor(FileKind::Up1Kyo, ""), {withVersion(FileKind::Up1Kyo, version)});
        ASSERT_EQ(test::fileRules(report), Rules{"record.csv-version-legacy"});
        expectAt(only(report, "record.csv-version-legacy"), Severity::Warning, 1, 1, "CSVバージョン");
        EXPECT_EQ(report.layout, spec::LayoutId::V3);
    }
}

TEST(RecordRules, MixedVersionsInOneFile) {
    const auto report = check(nameFor(FileKind::Up1Kyo), {testdata::validRecord(FileKind::Up1Kyo),
                                                          testdata::validRecord(FileKind::Up1Kyo),
                                                          withVersion(FileKind::Up1Kyo, "202208")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.csv-version-mixed"});
    const auto f = only(report, "record.csv-version-mixed");
    expectAt(f, Severity::Error, 3, 1, "CSVバージョン");
    EXPECT_EQ(argOf(f, "value"), "202208");
    EXPECT_EQ(argOf(f, "expected"), "202407");
}

TEST(RecordRules, VersionMustMatchTheFileNameForm) {
    // V3 version with a V4.1 name (service kinds present) ...
    const auto v3InV4 = check(nameFor(FileKind::Up1Kyo), {withVersion(FileKind::Up1Kyo, "202208")});
    ASSERT_EQ(test::fileRules(v3InV4), Rules{"record.version-name-mismatch"});
    const auto f = only(v3InV4, "record.version-name-mismatch");
    expectAt(f, Severity::Error, 1, 1, "CSVバージョン");
    EXPECT_EQ(argOf(f, "form"), "V4.1");
    // ... and the V4.1 version with a V3 name.
    const auto v4InV3 = check(v3NameFor(FileKind::Up1Kyo, ""), {testdata::validRecord(FileKind::Up1Kyo)});
    ASSERT_EQ(test::fileRules(v4InV3), Rules{"record.version-name-mismatch"});
    EXPECT_EQ(argOf(only(v4InV3, "record.version-name-mismatch"), "form"), "V3");
    // A V3 version with a V3 name is fine.
    EXPECT_EQ(
        test::fileRules(check(v3NameFor(FileKind::Up1Kyo, ""), {withVersion(FileKind::Up1Kyo, "202208")})),
        noRules());
}

TEST(RecordRules, VersionDecidesTheLayout) {
    // A V4 第6表 record (25 fields) under the V3 version is read with the V3 layout (22 fields).
    const auto report =
        check(v3NameFor(Plan, "202412"),
              {toV3(Plan, testdata::validRecord(Plan)), replaced(testdata::validRecord(Plan), 1, "202208")});
    ASSERT_EQ(test::fileRules(report), Rules{"csv.field-count"});
    const auto f = only(report, "csv.field-count");
    EXPECT_EQ(f.line, 2u);
    EXPECT_EQ(argOf(f, "count"), "25");
    EXPECT_EQ(argOf(f, "expected"), "22");
    EXPECT_EQ(argOf(f, "otherLayout"), "V4");
}

TEST(RecordRules, VersionNotYetApplicableToTheMonth) {
    // 202407 applies from service month 202504.
    const auto early = check(nameFor(FileKind::DltPlan, "202503"), {with(FileKind::DltPlan, 4, "202503")});
    ASSERT_EQ(test::fileRules(early), Rules{"record.csv-version-not-yet"});
    const auto f = only(early, "record.csv-version-not-yet");
    expectAt(f, Severity::Warning, 1, 1, "CSVバージョン");
    EXPECT_EQ(argOf(f, "month"), "202503");
    EXPECT_EQ(test::fileRules(
                  check(nameFor(FileKind::DltPlan, "202504"), {testdata::validRecord(FileKind::DltPlan)})),
              noRules());
    // The V4.0 value has the same application month.
    const auto v40 = check(nameFor(FileKind::DltPlan, "202412"),
                           {replaced(with(FileKind::DltPlan, 4, "202412"), 1, "202504")});
    EXPECT_EQ(test::fileRules(v40), (Rules{"record.csv-version-v40", "record.csv-version-not-yet"}));
}

TEST(RecordRules, VersionOutdatedForTheMonth) {
    // From service month 202504 the V4.1 version applies; V3 is still right for 202412.
    const auto late =
        check(v3NameFor(FileKind::DltPlan, "202504"), {withVersion(FileKind::DltPlan, "202208")});
    ASSERT_EQ(test::fileRules(late), Rules{"record.csv-version-outdated"});
    const auto f = only(late, "record.csv-version-outdated");
    expectAt(f, Severity::Warning, 1, 1, "CSVバージョン");
    EXPECT_EQ(argOf(f, "expected"), "202407");
    EXPECT_EQ(argOf(f, "month"), "202504");
    const auto inTime = check(v3NameFor(FileKind::DltPlan, "202412"),
                              {replaced(with(FileKind::DltPlan, 4, "202412"), 1, "202208")});
    EXPECT_EQ(test::fileRules(inTime), noRules());
    // A legacy version for a V3 month is both legacy and outdated.
    const auto legacy = check(v3NameFor(FileKind::DltPlan, "202412"),
                              {replaced(with(FileKind::DltPlan, 4, "202412"), 1, "201910")});
    EXPECT_EQ(test::fileRules(legacy), (Rules{"record.csv-version-legacy", "record.csv-version-outdated"}));
    EXPECT_EQ(argOf(only(legacy, "record.csv-version-outdated"), "expected"), "202208");
}

// --- one month per file ------------------------------------------------------------------------------

namespace {

struct MonthCase {
    FileKind kind;
    int monthNo; // 対象年月 or 削除対象年月
    std::string monthName;
};

const std::vector<MonthCase>& monthCases() {
    static const std::vector<MonthCase> cases{
        {Plan, 5, "対象年月"},
        {Actuals, 5, "対象年月"},
        {Annex, 5, "対象年月"},
        {FileKind::DltPlan, 4, "削除対象年月"},
        {FileKind::DltJsk, 4, "削除対象年月"},
    };
    return cases;
}

// A record of the kind for another month (第6表 moves its service date with it; 第7表 uses another
// service kind, or two rows of one kind would want a subtotal).
Fields ofMonth(const MonthCase& c, const std::string& month) {
    if (c.kind == Plan || c.kind == Actuals)
        return slipOfMonth(c.kind, month);
    if (c.kind == Annex)
        return replaced(with(c.kind, c.monthNo, month), 9, "131111");
    return with(c.kind, c.monthNo, month);
}

// The records of a clean file of the kind, for the default month.
std::vector<Fields> cleanRecords(FileKind kind) {
    if (kind == Annex)
        return {testdata::validRecord(kind), testdata::annexGrandTotal()};
    return {testdata::validRecord(kind)};
}

} // namespace

TEST(RecordRules, MonthMustBeTheFileMonth) {
    for (const auto& c : monthCases()) {
        SCOPED_TRACE(std::string(spec::fileKindId(c.kind)));
        auto records = cleanRecords(c.kind);
        EXPECT_EQ(test::fileRules(check(nameFor(c.kind), records)), noRules());
        records.push_back(ofMonth(c, "202505"));
        const auto report = check(nameFor(c.kind), records);
        ASSERT_EQ(test::fileRules(report), Rules{"record.month-not-file-month"});
        const auto f = only(report, "record.month-not-file-month");
        expectAt(f, Severity::Error, records.size(), c.monthNo, c.monthName);
        EXPECT_EQ(argOf(f, "value"), "202505");
        EXPECT_EQ(argOf(f, "expected"), "202504");
    }
}

TEST(RecordRules, MonthsMustNotMixWhenTheFileNameIsBroken) {
    // Without a usable file name (the sender has 9 digits) the first record's month is the reference.
    for (const auto& c : monthCases()) {
        SCOPED_TRACE(std::string(spec::fileKindId(c.kind)));
        std::string name = nameFor(c.kind);
        name.erase(name.find("_0300000") + 1, 1); // drop a digit of the sender office
        auto records = cleanRecords(c.kind);
        EXPECT_EQ(test::fileRules(check(name, records)), Rules{"filename.office-number"});
        records.push_back(ofMonth(c, "202505"));
        const auto report = check(name, records);
        ASSERT_EQ(test::fileRules(report), (Rules{"filename.office-number", "record.month-mixed"}));
        const auto f = only(report, "record.month-mixed");
        expectAt(f, Severity::Error, records.size(), c.monthNo, c.monthName);
        EXPECT_EQ(argOf(f, "value"), "202505");
        EXPECT_EQ(argOf(f, "expected"), "202504");
    }
}

// --- 第6表 ----------------------------------------------------------------------------------------------

TEST(RecordRules, ServiceDateOutsideTheMonth) {
    const auto report = check(nameFor(Plan), {with(Plan, 10, "20250501")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.date-outside-month"});
    const auto f = only(report, "record.date-outside-month");
    expectAt(f, Severity::Error, 1, 10, "サービス利用日");
    EXPECT_EQ(argOf(f, "month"), "202504");
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {with(Plan, 10, "20250430")})), noRules());
}

TEST(RecordRules, DailyFlagsBeyondTheMonth) {
    struct Case {
        std::string month;
        int lastDay; // a 1 in this digit is fine, one more is not
        bool v3;
    };
    // February 2025 is checked with V3, the version that applies to it; 2026 and 2028 with V4.1.
    for (const Case& c : {Case{"202502", 28, true}, Case{"202602", 28, false}, Case{"202802", 29, false},
                          Case{"202504", 30, false}, Case{"202505", 31, false}}) {
        SCOPED_TRACE(c.month);
        auto record = slipOfMonth(Plan, c.month);
        if (c.v3)
            record = replaced(replaced(toV3(Plan, record), 5, c.month), 10, c.month + "01");
        const auto name = c.v3 ? v3NameFor(Plan, c.month) : nameFor(Plan, c.month);
        const int flagsIndex = 10;
        std::string flags(31, '0');
        flags[static_cast<std::size_t>(c.lastDay - 1)] = '1';
        record[flagsIndex] = flags;
        EXPECT_EQ(test::fileRules(check(name, {record})), noRules());
        if (c.lastDay == 31)
            continue;
        flags[static_cast<std::size_t>(c.lastDay)] = '1';
        record[flagsIndex] = flags;
        const auto report = check(name, {record});
        ASSERT_EQ(test::fileRules(report), Rules{"record.daily-flag-beyond-month"});
        const auto f = only(report, "record.daily-flag-beyond-month");
        expectAt(f, Severity::Warning, 1, 11, "日割対象日");
        EXPECT_EQ(argOf(f, "days"), std::to_string(c.lastDay));
    }
}

TEST(RecordRules, NoTimeMarkerComesInPairs) {
    auto both = with(Plan, 12, "9999");
    both[12] = "9999";
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {both})), noRules());
    for (int no : {12, 13}) {
        SCOPED_TRACE(no);
        const auto report = check(nameFor(Plan), {with(Plan, no, "9999")});
        ASSERT_EQ(test::fileRules(report), Rules{"record.time-9999-pair"});
        const auto f = only(report, "record.time-9999-pair");
        expectAt(f, Severity::Warning, 1, 13, "サービス終了時刻");
        EXPECT_EQ(argOf(f, "start"), no == 12 ? "9999" : "1000");
        EXPECT_EQ(argOf(f, "end"), no == 13 ? "9999" : "1100");
    }
}

TEST(RecordRules, DetailNumberOnlyForEquipmentRental) {
    const auto report = check(nameFor(Plan), {with(Plan, 19, "1")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.detail-number-not-rental"});
    const auto f = only(report, "record.detail-number-not-rental");
    expectAt(f, Severity::Error, 1, 19, "明細判別コード");
    EXPECT_EQ(argOf(f, "value"), "111111");
    for (const std::string code : {"171001", "671001"}) {
        auto rental = rentalSlip(Plan);
        rental[14] = code;
        rental[18] = "2";
        EXPECT_EQ(test::fileRules(check(nameFor(Plan), {rental})), noRules()) << code;
    }
}

TEST(RecordRules, EquipmentRentalNeedsTaisOrNotificationCode) {
    for (auto kind : {Plan, Actuals}) {
        for (const std::string code : {"171001", "671001"}) {
            SCOPED_TRACE(std::string(spec::fileKindId(kind)) + " " + code);
            const auto missing = check(nameFor(kind), {with(kind, 15, code)});
            ASSERT_EQ(test::fileRules(missing), Rules{"record.equipment-code-missing"});
            const auto f = only(missing, "record.equipment-code-missing");
            expectAt(f, Severity::Error, 1, 16, "TAISコード");
            EXPECT_EQ(argOf(f, "value"), code);
            auto tais = with(kind, 15, code);
            tais[15] = "00170-000123";
            EXPECT_EQ(test::fileRules(check(nameFor(kind), {tais})), noRules());
            auto notified = with(kind, 15, code);
            notified[16] = "00170-000123";
            EXPECT_EQ(test::fileRules(check(nameFor(kind), {notified})), noRules());
        }
    }
    // V3 has neither field, so it cannot be asked for.
    auto v3 = toV3(Plan, with(Plan, 15, "171001"));
    EXPECT_EQ(test::fileRules(check(v3NameFor(Plan, "202412"), {v3})), noRules());
}

TEST(RecordRules, ServiceKindScope) {
    // 33 (特定施設入居者生活介護) is outside the standard's scope: such records must not be generated.
    const auto outside = check(nameFor(Plan), {with(Plan, 15, "331111")});
    ASSERT_EQ(test::fileRules(outside), Rules{"record.service-out-of-scope"});
    const auto f = only(outside, "record.service-out-of-scope");
    expectAt(f, Severity::Error, 1, 15, "サービスコード");
    EXPECT_EQ(argOf(f, "value"), "33");
    // A kind in no list at all may be a new one: a warning.
    const auto unknown = check(nameFor(Plan), {with(Plan, 15, "991111")});
    ASSERT_EQ(test::fileRules(unknown), Rules{"record.service-kind-unknown"});
    expectAt(only(unknown, "record.service-kind-unknown"), Severity::Warning, 1, 15, "サービスコード");
    for (const std::string code : {"2A1111", "A81111", "381111", "391111"})
        EXPECT_EQ(test::fileRules(check(nameFor(Plan), {with(Plan, 15, code)})), noRules()) << code;
    // 第7表 detail rows are held to the same scope.
    const auto annex = check(nameFor(Annex), {with(Annex, 9, "331111"), testdata::annexGrandTotal()});
    ASSERT_EQ(test::fileRules(annex), Rules{"record.service-out-of-scope"});
    expectAt(only(annex, "record.service-out-of-scope"), Severity::Error, 1, 9, "サービスコード");
}

TEST(RecordRules, PlanOfficeIsTheSender) {
    const auto report = check(nameFor(Plan), {with(Plan, 6, "0300000200")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.plan-office-not-sender"});
    const auto f = only(report, "record.plan-office-not-sender");
    expectAt(f, Severity::Warning, 1, 6, "プラン担当業者コード");
    EXPECT_EQ(argOf(f, "sender"), "0300000100");
}

TEST(RecordRules, UpdateOfficeIsTheSenderBothWays) {
    // 更新業者コード: the care manager's office on a plan, the service office on actuals.
    const auto plan = check(nameFor(Plan), {with(Plan, 24, "0300000200")});
    ASSERT_EQ(test::fileRules(plan), Rules{"record.update-office-not-sender"});
    const auto f = only(plan, "record.update-office-not-sender");
    expectAt(f, Severity::Warning, 1, 24, "更新業者コード");
    EXPECT_EQ(argOf(f, "sender"), "0300000100");
    const auto actuals = check(nameFor(Actuals), {with(Actuals, 24, "0300000100")});
    ASSERT_EQ(test::fileRules(actuals), Rules{"record.update-office-not-sender"});
    EXPECT_EQ(argOf(only(actuals, "record.update-office-not-sender"), "sender"), "0300000005");
    // Empty is allowed (the field is optional).
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {with(Plan, 24, "")})), noRules());
}

TEST(RecordRules, AnnexTotalCodesAreNoServiceOnTheSlip) {
    for (const std::string code : {"999999", "11AAAA", "11EEEE", "17ZZZZ"}) {
        SCOPED_TRACE(code);
        const auto report = check(nameFor(Plan), {with(Plan, 15, code)});
        ASSERT_EQ(test::fileRules(report), Rules{"record.annex-code-in-slip"});
        expectAt(only(report, "record.annex-code-in-slip"), Severity::Error, 1, 15, "サービスコード");
    }
    // A code that merely contains letters elsewhere is a service code like any other.
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {with(Plan, 15, "A21111")})), noRules());
}

TEST(RecordRules, ActualsOfficesFollowTheDirection) {
    EXPECT_EQ(test::fileRules(check(nameFor(Actuals), {testdata::validRecord(Actuals)})), noRules());
    const auto provider = check(nameFor(Actuals), {with(Actuals, 20, "0300000007")});
    ASSERT_EQ(test::fileRules(provider), Rules{"record.actuals-office-not-sender"});
    const auto f = only(provider, "record.actuals-office-not-sender");
    expectAt(f, Severity::Warning, 1, 20, "サービス事業者コード");
    EXPECT_EQ(argOf(f, "sender"), "0300000005");
    const auto plan = check(nameFor(Actuals), {with(Actuals, 6, "0300000200")});
    ASSERT_EQ(test::fileRules(plan), Rules{"record.plan-office-not-recipient"});
    const auto g = only(plan, "record.plan-office-not-recipient");
    expectAt(g, Severity::Warning, 1, 6, "プラン担当業者コード");
    EXPECT_EQ(argOf(g, "recipient"), "0300000100");
    // An UPPLAN's provider is any office of the slip.
    EXPECT_EQ(test::fileRules(check(nameFor(Plan), {with(Plan, 20, "0300000007")})), noRules());
}

TEST(RecordRules, V3SlipOfficesAreFoundByName) {
    // V3 numbers サービス事業者コード 17; the rule must still look at it, not at V4's No.20.
    auto record = replaced(toV3(Actuals, testdata::validRecord(Actuals)), 17, "0300000007");
    const auto report = check(v3NameFor(Actuals, "202412"), {record});
    ASSERT_EQ(test::fileRules(report), Rules{"record.actuals-office-not-sender"});
    expectAt(only(report, "record.actuals-office-not-sender"), Severity::Warning, 1, 17,
             "サービス事業者コード");
}

// --- 第7表 ----------------------------------------------------------------------------------------------

TEST(RecordRules, AnnexGrandTotal) {
    EXPECT_EQ(
        test::fileRules(check(nameFor(Annex), {testdata::validRecord(Annex), testdata::annexGrandTotal()})),
        noRules());

    const auto missing = check(nameFor(Annex), {testdata::validRecord(Annex)});
    ASSERT_EQ(test::fileRules(missing), Rules{"record.grand-total-missing"});
    const auto f = only(missing, "record.grand-total-missing");
    expectAt(f, Severity::Error, 1, std::nullopt);
    EXPECT_EQ(argOf(f, "insured"), "1234567890");

    const auto twice = check(nameFor(Annex), {testdata::validRecord(Annex), testdata::annexGrandTotal(),
                                              testdata::annexGrandTotal()});
    ASSERT_EQ(test::fileRules(twice), Rules{"record.grand-total-duplicate"});
    EXPECT_EQ(argOf(only(twice, "record.grand-total-duplicate"), "count"), "2");

    // Each user has their own grand total: the second user's is missing, reported at their first line.
    auto other = replaced(testdata::validRecord(Annex), 3, "1234567891");
    const auto secondUser =
        check(nameFor(Annex), {testdata::validRecord(Annex), testdata::annexGrandTotal(), other});
    ASSERT_EQ(test::fileRules(secondUser), Rules{"record.grand-total-missing"});
    const auto g = only(secondUser, "record.grand-total-missing");
    EXPECT_EQ(g.line, 3u);
    EXPECT_EQ(argOf(g, "insured"), "1234567891");
}

TEST(RecordRules, AnnexTotalOfficeCodes) {
    const auto total = check(nameFor(Annex), {testdata::validRecord(Annex),
                                              replaced(testdata::annexGrandTotal(), 7, "0300000005")});
    ASSERT_EQ(test::fileRules(total), Rules{"record.grand-total-office"});
    expectAt(only(total, "record.grand-total-office"), Severity::Error, 2, 7, "サービス事業所コード");

    const auto detail = check(nameFor(Annex), {with(Annex, 7, "9999999999"), testdata::annexGrandTotal()});
    ASSERT_EQ(test::fileRules(detail), Rules{"record.total-office-on-detail"});
    expectAt(only(detail, "record.total-office-on-detail"), Severity::Error, 1, 7, "サービス事業所コード");
}

TEST(RecordRules, AnnexTotalRowsHaveZeroUnitsAndNoDiscount) {
    const auto units = check(
        nameFor(Annex), {testdata::validRecord(Annex), replaced(testdata::annexGrandTotal(), 13, "250")});
    ASSERT_EQ(test::fileRules(units), Rules{"record.total-units-not-zero"});
    expectAt(only(units, "record.total-units-not-zero"), Severity::Error, 2, 13, "単位数");

    for (const auto& [no, name] :
         std::vector<std::pair<int, std::string>>{{14, "割引後率"}, {15, "割引後単位数"}}) {
        SCOPED_TRACE(name);
        const auto report = check(
            nameFor(Annex), {testdata::validRecord(Annex), replaced(testdata::annexGrandTotal(), no, "90")});
        ASSERT_EQ(test::fileRules(report), Rules{"record.total-discount-not-null"});
        expectAt(only(report, "record.total-discount-not-null"), Severity::Error, 2, no, name);
    }

    // The same holds for every kind of subtotal row.
    for (const std::string code : {"11AAAA", "11EEEE", "11ZZZZ"}) {
        SCOPED_TRACE(code);
        auto subtotal = replaced(annexSubtotal(code), 13, "2000");
        const auto report =
            check(nameFor(Annex), {testdata::validRecord(Annex), subtotal, testdata::annexGrandTotal()});
        ASSERT_EQ(test::fileRules(report), Rules{"record.total-units-not-zero"});
        EXPECT_EQ(only(report, "record.total-units-not-zero").line, 2u);
    }
}

TEST(RecordRules, AnnexSubtotalPerKind) {
    const auto grand = testdata::annexGrandTotal();
    // One detail row of a kind needs no subtotal; two need the XXAAAA one.
    const auto twoRows = check(nameFor(Annex), {annexDetail("111111"), annexDetail("111211"), grand});
    ASSERT_EQ(test::fileRules(twoRows), Rules{"record.subtotal-missing"});
    const auto f = only(twoRows, "record.subtotal-missing");
    expectAt(f, Severity::Error, 1, std::nullopt);
    EXPECT_EQ(argOf(f, "kind"), "11");
    EXPECT_EQ(argOf(f, "rows"), "2");
    EXPECT_EQ(test::fileRules(check(nameFor(Annex), {annexDetail("111111"), annexDetail("111211"),
                                                     annexSubtotal("11AAAA"), grand})),
              noRules());
    // The optional subtotals do not stand in for AAAA.
    const auto outsideOnly =
        check(nameFor(Annex), {annexDetail("111111"), annexDetail("111211"), annexSubtotal("11EEEE"), grand});
    EXPECT_EQ(test::fileRules(outsideOnly), Rules{"record.subtotal-missing"});
    // Rows of different kinds are counted apart.
    EXPECT_EQ(test::fileRules(check(nameFor(Annex), {annexDetail("111111"), annexDetail("131111"), grand})),
              noRules());
}

TEST(RecordRules, AnnexSubtotalWithoutDetail) {
    const auto report =
        check(nameFor(Annex), {annexDetail("111111"), annexSubtotal("13AAAA"), testdata::annexGrandTotal()});
    ASSERT_EQ(test::fileRules(report), Rules{"record.subtotal-without-detail"});
    const auto f = only(report, "record.subtotal-without-detail");
    expectAt(f, Severity::Warning, 2, std::nullopt);
    EXPECT_EQ(argOf(f, "kind"), "13");
}

TEST(RecordRules, AnnexUnitAmount) {
    // サービス単位金額 = (割引後)単位数 × 回数／日数: 250 × 8 = 2000 in the sample.
    const auto wrong = check(nameFor(Annex), {with(Annex, 17, "2001"), testdata::annexGrandTotal()});
    ASSERT_EQ(test::fileRules(wrong), Rules{"record.unit-amount"});
    const auto f = only(wrong, "record.unit-amount");
    expectAt(f, Severity::Warning, 1, 17, "サービス単位金額");
    EXPECT_EQ(argOf(f, "expected"), "2000");
    // With a discount the discounted units count.
    auto discounted = with(Annex, 14, "90");
    discounted[14] = "225";
    const auto stale = check(nameFor(Annex), {discounted, testdata::annexGrandTotal()});
    ASSERT_EQ(test::fileRules(stale), Rules{"record.unit-amount"});
    EXPECT_EQ(argOf(only(stale, "record.unit-amount"), "expected"), "1800");
    discounted[16] = "1800";
    EXPECT_EQ(test::fileRules(check(nameFor(Annex), {discounted, testdata::annexGrandTotal()})), noRules());
    // 減算 rows carry negative units.
    auto reduction = with(Annex, 13, "-25");
    reduction[16] = "-200";
    EXPECT_EQ(test::fileRules(check(nameFor(Annex), {reduction, testdata::annexGrandTotal()})), noRules());
}

// --- 利用者補足情報 ---------------------------------------------------------------------------------------

TEST(RecordRules, SupplementBoundToThePlan) {
    const auto name = nameFor(Supplement, "000000");
    EXPECT_EQ(test::fileRules(check(name, {testdata::validRecord(Supplement)})), noRules());

    const auto zeroDate = check(name, {with(Supplement, 4, "00000000")});
    ASSERT_EQ(test::fileRules(zeroDate), Rules{"record.supplement-plan-date"});
    expectAt(only(zeroDate, "record.supplement-plan-date"), Severity::Error, 1, 4,
             "居宅サービス計画作成（変更）日");

    const auto month = check(name, {with(Supplement, 63, "202504")});
    ASSERT_EQ(test::fileRules(month), Rules{"record.supplement-month"});
    const auto f = only(month, "record.supplement-month");
    expectAt(f, Severity::Error, 1, 63, "対象年月");
    EXPECT_EQ(argOf(f, "expected"), "000000");
}

TEST(RecordRules, SupplementBoundToTheUsageSlip) {
    const auto name = nameFor(Supplement, "202504");
    EXPECT_EQ(test::fileRules(check(name, {testdata::usageSupplement("202504")})), noRules());

    const auto planDate = check(name, {replaced(testdata::usageSupplement("202504"), 4, "20250320")});
    ASSERT_EQ(test::fileRules(planDate), Rules{"record.supplement-usage-date"});
    const auto f = only(planDate, "record.supplement-usage-date");
    expectAt(f, Severity::Error, 1, 4, "居宅サービス計画作成（変更）日");
    EXPECT_EQ(argOf(f, "value"), "20250320");

    for (const std::string month : {"202505", "000000"}) {
        SCOPED_TRACE(month);
        const auto report = check(name, {testdata::usageSupplement(month)});
        ASSERT_EQ(test::fileRules(report), Rules{"record.supplement-month"});
        const auto g = only(report, "record.supplement-month");
        expectAt(g, Severity::Error, 1, 63, "対象年月");
        EXPECT_EQ(argOf(g, "expected"), "202504");
    }
}

TEST(RecordRules, SupplementFormFollowsNo63WithoutAFileName) {
    // With a broken file name the record itself says which form it is: No.63 = 000000 is plan-bound.
    const std::string broken = "UPHOSOKU_000000_030000010_43_0300000005_11_20250320093000.CSV";
    const auto planBound = check(broken, {with(Supplement, 4, "00000000")});
    EXPECT_EQ(test::fileRules(planBound), (Rules{"filename.office-number", "record.supplement-plan-date"}));
    const auto usageBound = check(broken, {replaced(testdata::usageSupplement("202504"), 4, "20250320")});
    EXPECT_EQ(test::fileRules(usageBound), (Rules{"filename.office-number", "record.supplement-usage-date"}));
}

TEST(RecordRules, SupplementLimitSlotsHaveNoGaps) {
    // The sample fills no slot; No.20/24/28… are the kinds of slots 1/2/3….
    auto first = with(Supplement, 20, "11");
    auto firstTwo = replaced(first, 24, "13");
    EXPECT_EQ(test::fileRules(check(nameFor(Supplement), {first, firstTwo})), noRules());

    const auto gap = check(nameFor(Supplement), {with(Supplement, 24, "13")});
    ASSERT_EQ(test::fileRules(gap), Rules{"record.supplement-slot-gap"});
    const auto f = only(gap, "record.supplement-slot-gap");
    expectAt(f, Severity::Warning, 1, 24, "２サービス種類コード");
    EXPECT_EQ(argOf(f, "slot"), "2");

    const auto late = check(nameFor(Supplement), {replaced(first, 52, "2A")});
    ASSERT_EQ(test::fileRules(late), Rules{"record.supplement-slot-gap"});
    expectAt(only(late, "record.supplement-slot-gap"), Severity::Warning, 1, 52, "９サービス種類コード");
}

// --- 第2表, 第3表 -----------------------------------------------------------------------------------------

namespace {

Fields plan2(const std::string& issue, const std::string& goal, const std::string& content) {
    auto f = with(FileKind::Up2Kyo, 6, issue);
    f[7] = goal;
    f[12] = content;
    return f;
}

} // namespace

TEST(RecordRules, Plan2RowsInPrintedOrder) {
    const auto name = nameFor(FileKind::Up2Kyo);
    EXPECT_EQ(test::fileRules(check(name, {plan2("1", "1", "1"), plan2("1", "1", "2"), plan2("1", "2", "1"),
                                           plan2("2", "1", "1")})),
              noRules());
    // Two rows may share all three NOs (several lines of one 援助内容).
    EXPECT_EQ(test::fileRules(check(name, {plan2("1", "1", "1"), plan2("1", "1", "1")})), noRules());
    // A blank NO repeats the one above, as on the printed form.
    EXPECT_EQ(test::fileRules(check(name, {plan2("1", "1", "1"), plan2("", "", "2"), plan2("", "2", "1")})),
              noRules());

    const auto backwards = check(name, {plan2("2", "1", "1"), plan2("1", "1", "1")});
    ASSERT_EQ(test::fileRules(backwards), Rules{"record.plan2-order"});
    const auto f = only(backwards, "record.plan2-order");
    expectAt(f, Severity::Warning, 2, 6, "課題ＮＯ");
    EXPECT_EQ(argOf(f, "value"), "1-1-1");
    EXPECT_EQ(argOf(f, "previous"), "2-1-1");

    const auto inherited = check(name, {plan2("1", "1", "2"), plan2("", "", "1")});
    ASSERT_EQ(test::fileRules(inherited), Rules{"record.plan2-order"});
    EXPECT_EQ(argOf(only(inherited, "record.plan2-order"), "value"), "1-1-1");

    // Each user (and plan date) starts again.
    auto otherUser = replaced(plan2("1", "1", "1"), 3, "1234567891");
    EXPECT_EQ(test::fileRules(check(name, {plan2("2", "1", "1"), otherUser})), noRules());
}

namespace {

// 第3表 row with the weekly (No.6-9), daily-activity (No.10-12) and other (No.13) parts as given.
Fields plan3(std::vector<std::string> weekly, std::vector<std::string> daily, std::string other) {
    auto f = testdata::validRecord(FileKind::Up3Kyo);
    weekly.resize(4);
    daily.resize(3);
    for (std::size_t i = 0; i < 4; ++i)
        f[5 + i] = weekly[i];
    for (std::size_t i = 0; i < 3; ++i)
        f[9 + i] = daily[i];
    f[12] = std::move(other);
    return f;
}

} // namespace

TEST(RecordRules, Plan3RowTypes) {
    const auto name = nameFor(FileKind::Up3Kyo);
    const auto weekly = plan3({testdata::quoted("訪問介護"), "1", "1000", "1100"}, {}, "");
    const auto daily = plan3({}, {testdata::quoted("起床"), "0600", "0600"}, "");
    const auto other = plan3({}, {}, testdata::quoted("通院"));
    EXPECT_EQ(test::fileRules(check(name, {weekly, daily, other})), noRules());
    // Empty quoted free text counts as empty.
    EXPECT_EQ(
        test::fileRules(check(name, {plan3({testdata::quoted(""), "", "", ""},
                                           {testdata::quoted("起床"), "0600", ""}, testdata::quoted(""))})),
        noRules());

    const auto two = check(name, {weekly, plan3({testdata::quoted("訪問介護"), "1", "1000", "1100"},
                                                {testdata::quoted("起床")}, "")});
    ASSERT_EQ(test::fileRules(two), Rules{"record.plan3-row-type"});
    const auto f = only(two, "record.plan3-row-type");
    expectAt(f, Severity::Warning, 2, std::nullopt);
    EXPECT_EQ(argOf(f, "count"), "2");

    const auto none = check(name, {plan3({}, {}, "")});
    ASSERT_EQ(test::fileRules(none), Rules{"record.plan3-row-type"});
    EXPECT_EQ(argOf(only(none, "record.plan3-row-type"), "count"), "0");

    const auto all = check(name, {plan3({testdata::quoted("訪問介護"), "1"}, {testdata::quoted("起床")},
                                        testdata::quoted("通院"))});
    EXPECT_EQ(argOf(only(all, "record.plan3-row-type"), "count"), "3");
}

TEST(RecordRules, Plan3WeeklyRowNeedsAWeekday) {
    const auto report =
        check(nameFor(FileKind::Up3Kyo), {plan3({testdata::quoted("訪問介護"), "", "1000", "1100"}, {}, "")});
    ASSERT_EQ(test::fileRules(report), Rules{"record.plan3-weekday-missing"});
    expectAt(only(report, "record.plan3-weekday-missing"), Severity::Warning, 1, 7, "曜日");
}

// --- DLTJSK, UPKIHON -------------------------------------------------------------------------------------

TEST(RecordRules, ActualsDeleteConcernsTheSendersOwnKind) {
    const auto kind = FileKind::DltJsk;
    EXPECT_EQ(test::fileRules(check(nameFor(kind), {testdata::validRecord(kind)})), noRules());

    const auto office = check(nameFor(kind), {with(kind, 5, "0300000007")});
    ASSERT_EQ(test::fileRules(office), Rules{"record.actuals-office-not-sender"});
    expectAt(only(office, "record.actuals-office-not-sender"), Severity::Warning, 1, 5,
             "サービス事業者コード");

    const auto serviceKind = check(nameFor(kind), {with(kind, 6, "17")});
    ASSERT_EQ(test::fileRules(serviceKind), Rules{"record.delete-kind-not-sender"});
    const auto f = only(serviceKind, "record.delete-kind-not-sender");
    expectAt(f, Severity::Warning, 1, 6, "サービス種類コード");
    EXPECT_EQ(argOf(f, "sender"), "11");

    // A V3 name carries no service kind to compare with.
    const auto v3 =
        check(v3NameFor(kind, "202412"), {replaced(replaced(with(kind, 6, "17"), 1, "202208"), 4, "202412")});
    EXPECT_EQ(test::fileRules(v3), noRules());
}

TEST(RecordRules, BasicInfoDetailExpected) {
    const auto kind = FileKind::UpKihon;
    const auto method = check(nameFor(kind), {with(kind, 8, "03")});
    ASSERT_EQ(test::fileRules(method), Rules{"record.detail-expected"});
    expectAt(only(method, "record.detail-expected"), Severity::Warning, 1, 9, "相談方法(その他の内容)");
    EXPECT_EQ(
        test::fileRules(check(nameFor(kind), {replaced(with(kind, 8, "03"), 9, testdata::quoted("訪問"))})),
        noRules());

    const auto situation = check(nameFor(kind), {with(kind, 12, "02")});
    ASSERT_EQ(test::fileRules(situation), Rules{"record.detail-expected"});
    expectAt(only(situation, "record.detail-expected"), Severity::Warning, 1, 13, "利用者の現況(状況補足)");
    EXPECT_EQ(test::fileRules(check(
                  nameFor(kind), {replaced(with(kind, 12, "02"), 13, testdata::quoted("○○病院に入院中"))})),
              noRules());
}

TEST(RecordRules, BasicInfoImageName) {
    const auto kind = FileKind::UpKihon;
    const std::string own = "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.jpg";
    const auto good = check(nameFor(kind), {with(kind, 62, testdata::quoted(own))});
    EXPECT_EQ(test::fileRules(good), noRules());
    ASSERT_EQ(good.imageRefs.size(), 1u);
    EXPECT_EQ(good.imageRefs.begin()->first, own);
    EXPECT_EQ(good.imageRefs.begin()->second, 1u);
    // No.62 is a file name, not フリーテキスト: the quoting rule of free text does not apply to it.
    const auto unquoted = check(nameFor(kind), {with(kind, 62, own)});
    EXPECT_EQ(test::fileRules(unquoted), noRules());
    EXPECT_EQ(unquoted.imageRefs.size(), 1u);

    for (const std::string bad :
         {"family.jpg", "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250321093000_0001.jpg",
          "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_1.jpg",
          "UPKIHON_0300000100_43_0300000005_11_20250320093000.CSV"}) {
        SCOPED_TRACE(bad);
        const auto report = check(nameFor(kind), {with(kind, 62, testdata::quoted(bad))});
        ASSERT_EQ(test::fileRules(report), Rules{"record.image-name"});
        const auto f = only(report, "record.image-name");
        expectAt(f, Severity::Warning, 1, 62, "家族構成 画像ファイル名");
        // The whole name is shown: its tail (sequence, branch) is the part that is usually wrong.
        EXPECT_EQ(argOf(f, "value"), bad);
        EXPECT_TRUE(report.imageRefs.empty());
    }
}
