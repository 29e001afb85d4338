// Send units (標準仕様 §5, §6): files that share parties and the 14-digit sequence travel and are
// imported together, only the listed combinations exist, and the child files of a unit must refer to
// records of its parent file. Every test validates real files from disk (or real bytes), as the CLI does.
#include "SampleData.h"
#include "TestSupport.h"
#include "spec/Schema.h"
#include "spec/Validator.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <stdexcept>

using namespace cplink;
using spec::FileKind;
using testdata::Fields;
using testdata::SampleFile;

namespace {

constexpr std::string_view kSeq = "20250320093000";
constexpr std::string_view kMonth = "202504";
constexpr const char* kOtherUser = "2345678901";

Fields with(Fields f, std::initializer_list<std::pair<std::size_t, std::string>> changes) {
    for (const auto& [index, value] : changes)
        f.at(index) = value;
    return f;
}

// Names between the default offices in the direction the kind travels (tests/support).
std::string v4Name(FileKind kind, std::string_view month, std::string_view seq = kSeq) {
    return testdata::directedFileName(kind, month, seq);
}
std::string v3Name(FileKind kind, std::string_view month, std::string_view seq = kSeq) {
    return testdata::directedV3FileName(kind, month, seq);
}

std::vector<Fields> defaultRecords(FileKind kind) {
    std::vector<Fields> records{testdata::validRecord(kind)};
    if (kind == FileKind::UpSikyu)
        records.push_back(testdata::annexGrandTotal()); // a 第7表 without its grand total is invalid alone
    return records;
}

SampleFile csv(std::string name, const std::vector<Fields>& records) {
    return {std::move(name), testdata::sjis(testdata::toCsv(records))};
}

SampleFile v4(FileKind kind, const std::vector<Fields>& records, std::string_view seq = kSeq) {
    return csv(v4Name(kind, testdata::defaultMonth(kind), seq), records);
}

SampleFile v4(FileKind kind, std::string_view seq = kSeq) {
    return v4(kind, defaultRecords(kind), seq);
}

SampleFile usageSupplementFile(const std::vector<Fields>& records = {testdata::usageSupplement()},
                               std::string_view seq = kSeq) {
    return csv(v4Name(FileKind::UpHosoku, kMonth, seq), records);
}

// The V4 record laid out for V3: fields picked by name (V3 lacks the TAIS / 届出 / 用具名称 columns).
Fields toV3(FileKind kind, const Fields& record) {
    const auto& kindSpec = spec::Schema::instance().kind(kind);
    const auto& from = *kindSpec.layout(spec::LayoutId::V4);
    const auto* to = kindSpec.layout(spec::LayoutId::V3);
    if (!to)
        throw std::logic_error("no V3 layout");
    Fields out;
    for (const auto& field : *to) {
        const auto it = std::find_if(from.begin(), from.end(),
                                     [&](const spec::FieldSpec& f) { return f.name == field.name; });
        if (it == from.end())
            throw std::logic_error("V3 field without V4 counterpart: " + field.name);
        out.push_back(record[static_cast<std::size_t>(it - from.begin())]);
    }
    out[0] = "202208";
    return out;
}

SampleFile v3(FileKind kind, std::vector<Fields> records = {}) {
    if (records.empty())
        records = defaultRecords(kind);
    for (auto& r : records)
        r = toV3(kind, r);
    return csv(v3Name(kind, testdata::defaultMonth(kind)), records);
}

std::vector<SampleFile> planUnit() {
    return {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo), v4(FileKind::Up3Kyo), v4(FileKind::UpHosoku)};
}

std::vector<SampleFile> usageUnit() {
    return {v4(FileKind::UpPlan), v4(FileKind::UpSikyu), usageSupplementFile()};
}

std::vector<SampleFile> operator+(std::vector<SampleFile> a, const std::vector<SampleFile>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const std::string kImage = "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.JPG";
const std::string kImage2 = "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0002.JPG";

// Enough of a JFIF file for the magic-number check: SOI, an APP0 segment and EOI.
std::string jpeg() {
    const unsigned char bytes[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00,
                                   0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9};
    return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

// A 利用者基本情報 whose No.62 家族構成 画像ファイル名 names `image`.
Fields basicInfoWithImage(const std::string& image) {
    return with(testdata::validRecord(FileKind::UpKihon), {{61, testdata::quoted(image)}});
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::vector<std::string> unitRules(const spec::FileReport& report) {
    std::vector<std::string> out;
    for (const auto& rule : test::rules(report)) {
        if (rule.rfind("unit.", 0) == 0)
            out.push_back(rule);
    }
    return out;
}

std::vector<std::string> unitRules(const spec::UnitReport& unit) {
    std::vector<std::string> out;
    for (const auto& f : unit.findings)
        out.push_back(f.rule);
    return sorted(out);
}

std::vector<const spec::Finding*> findingsOf(const spec::FileReport& report, std::string_view rule) {
    std::vector<const spec::Finding*> out;
    for (const auto& f : report.findings.findings()) {
        if (f.rule == rule)
            out.push_back(&f);
    }
    return out;
}

std::string arg(const spec::Finding& f, const std::string& name) {
    const std::string* value = f.arg(name);
    return value ? *value : "<no " + name + ">";
}

// The one file of the kind in the batch (fails the test if there is not exactly one).
const spec::FileReport& only(const spec::BatchReport& batch, FileKind kind) {
    const spec::FileReport* found = nullptr;
    for (const auto& f : batch.files) {
        if (f.kind == kind) {
            if (found)
                throw std::logic_error("more than one " + std::string(spec::fileKindId(kind)));
            found = &f;
        }
    }
    if (!found)
        throw std::logic_error("no " + std::string(spec::fileKindId(kind)));
    return *found;
}

std::vector<std::string> namesOf(const spec::BatchReport& batch, const spec::UnitReport& unit) {
    std::vector<std::string> out;
    for (auto index : unit.files)
        out.push_back(batch.files[index].fileName);
    return out;
}

std::vector<std::string> sequences(const spec::BatchReport& batch) {
    std::vector<std::string> out;
    for (const auto& unit : batch.units)
        out.push_back(unit.sequence);
    return out;
}

bool inAnyUnit(const spec::BatchReport& batch, const std::string& fileName) {
    for (const auto& unit : batch.units) {
        for (auto index : unit.files) {
            if (batch.files[index].fileName == fileName)
                return true;
        }
    }
    return false;
}

} // namespace

// --- combinations ------------------------------------------------------------------------------------

TEST(SendUnit, EveryStandardCombinationIsAcceptedAndNamed) {
    struct Case {
        const char* label;
        std::vector<SampleFile> files;
        const char* combination;
        std::vector<std::string> unitRules; // sorted; only the expected companion warnings
        bool v4;
    };
    const std::string missingCompanion = "unit.companion-missing";
    const std::vector<Case> cases = {
        {"V4 plan", planUnit(), "plan", {}, true},
        {"V4 usage", usageUnit(), "usage", {}, true},
        {"V4 plan delete", {v4(FileKind::Dlt1Kyo)}, "planDelete", {}, true},
        {"V4 usage delete", {v4(FileKind::DltPlan)}, "usageDelete", {}, true},
        {"V4 actuals", {v4(FileKind::UpJsk)}, "actuals", {}, true},
        {"V4 actuals delete", {v4(FileKind::DltJsk)}, "actualsDelete", {}, true},
        {"basic info with both annexes",
         {v4(FileKind::UpKihon), v4(FileKind::UpKihonSub1), v4(FileKind::UpKihonSub2)},
         "basicInfo",
         {},
         true},
        {"basic info with annexes and family image",
         {v4(FileKind::UpKihon, {basicInfoWithImage(kImage)}),
          v4(FileKind::UpKihonSub1),
          v4(FileKind::UpKihonSub2),
          {kImage, jpeg()}},
         "basicInfo",
         {},
         true},
        {"basic info alone",
         {v4(FileKind::UpKihon)},
         "basicInfo",
         {missingCompanion, missingCompanion},
         true},
        {"prevention plan with basic info and every annex",
         {v4(FileKind::UpYobo), v4(FileKind::UpYoboSub), v4(FileKind::UpKihon), v4(FileKind::UpKihonSub1),
          v4(FileKind::UpKihonSub2)},
         "preventionPlanWithBasicInfo",
         {},
         true},
        {"prevention plan with basic info, no annexes",
         {v4(FileKind::UpYobo), v4(FileKind::UpKihon)},
         "preventionPlanWithBasicInfo",
         {missingCompanion, missingCompanion, missingCompanion},
         true},
        {"prevention plan with its annex",
         {v4(FileKind::UpYobo), v4(FileKind::UpYoboSub)},
         "preventionPlan",
         {},
         true},
        {"prevention plan alone", {v4(FileKind::UpYobo)}, "preventionPlan", {missingCompanion}, true},
        {"basic info delete", {v4(FileKind::DltKihon)}, "basicInfoDelete", {}, true},
        {"prevention plan delete", {v4(FileKind::DltYobo)}, "preventionPlanDelete", {}, true},
        {"V3 plan (no 第3表)",
         {v3(FileKind::Up1Kyo), v3(FileKind::Up2Kyo), v3(FileKind::UpHosoku)},
         "plan",
         {},
         false},
        {"V3 usage",
         {v3(FileKind::UpPlan), v3(FileKind::UpSikyu),
          csv(v3Name(FileKind::UpHosoku, kMonth), {toV3(FileKind::UpHosoku, testdata::usageSupplement())})},
         "usage",
         {},
         false},
        {"V3 plan delete", {v3(FileKind::Dlt1Kyo)}, "planDelete", {}, false},
        {"V3 usage delete", {v3(FileKind::DltPlan)}, "usageDelete", {}, false},
        {"V3 actuals", {v3(FileKind::UpJsk)}, "actuals", {}, false},
        {"V3 actuals delete", {v3(FileKind::DltJsk)}, "actualsDelete", {}, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch = test::validateFiles(c.files);
        ASSERT_EQ(batch.files.size(), c.files.size());
        ASSERT_EQ(batch.units.size(), 1u);
        const auto& unit = batch.units[0];
        EXPECT_EQ(unit.combination, c.combination);
        EXPECT_EQ(unit.files.size(), c.files.size());
        EXPECT_EQ(unitRules(unit), c.unitRules);
        for (const auto& file : batch.files) {
            // The samples are V4.1 data: clean as V4 files, and as V3 files only dated for an older month.
            for (const auto& rule : test::fileRules(file)) {
                EXPECT_FALSE(c.v4) << file.fileName << ": " << rule;
                EXPECT_EQ(rule, "record.csv-version-outdated") << file.fileName;
            }
            EXPECT_TRUE(file.valid()) << file.fileName;
        }
    }
}

TEST(SendUnit, CombinationErrorNamesWhatIsMissingAndWhatIsExtra) {
    struct Case {
        const char* label;
        std::vector<SampleFile> files;
        std::string missing;
        std::string extra;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"usage without 第7表",
         {v4(FileKind::UpPlan), usageSupplementFile()},
         "UPSIKYU",
         "",
         "UPPLAN, UPSIKYU, UPHOSOKU"},
        {"plan with a stray 第6表", planUnit() + std::vector<SampleFile>{v4(FileKind::UpPlan)}, "", "UPPLAN",
         "UP1KYO, UP2KYO, UP3KYO, UPHOSOKU"},
        {"V4 plan without 第3表 (the V3 combination under V4.1 names)",
         {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo), v4(FileKind::UpHosoku)},
         "UP3KYO",
         "",
         "UP1KYO, UP2KYO, UP3KYO, UPHOSOKU"},
        {"V3 plan with a 第6表",
         {v3(FileKind::Up1Kyo), v3(FileKind::Up2Kyo), v3(FileKind::UpHosoku), v3(FileKind::UpPlan)},
         "",
         "UPPLAN",
         "UP1KYO, UP2KYO, UPHOSOKU"},
        {"actuals sent with their delete",
         {v4(FileKind::UpJsk), v4(FileKind::DltJsk)},
         "",
         "DLTJSK",
         "UPJSK"},
        {"prevention annex without its plan",
         {v4(FileKind::UpKihon), v4(FileKind::UpYoboSub)},
         "UPYOBO",
         "",
         "UPYOBO, UPKIHON"},
        // Only optional kinds present: the finding must still say what the unit lacks.
        {"basic-info annex alone", {v4(FileKind::UpKihonSub1)}, "UPKIHON", "", "UPKIHON"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch = test::validateFiles(c.files);
        ASSERT_EQ(batch.units.size(), 1u);
        EXPECT_EQ(batch.units[0].combination, "");
        const auto& unitFindings = batch.units[0].findings;
        const auto it = std::find_if(unitFindings.begin(), unitFindings.end(),
                                     [](const spec::Finding& f) { return f.rule == "unit.combination"; });
        ASSERT_NE(it, unitFindings.end());
        EXPECT_EQ(std::count_if(unitFindings.begin(), unitFindings.end(),
                                [](const spec::Finding& f) { return f.rule == "unit.combination"; }),
                  1);
        const auto& f = *it;
        EXPECT_EQ(f.severity, spec::Severity::Error);
        EXPECT_FALSE(f.line.has_value());
        EXPECT_EQ(arg(f, "missing"), c.missing);
        EXPECT_EQ(arg(f, "extra"), c.extra);
        EXPECT_EQ(arg(f, "expected"), c.expected);
        // Every file of the unit carries the finding, so none of them is fit to send.
        for (const auto& file : batch.files) {
            EXPECT_EQ(findingsOf(file, "unit.combination").size(), 1u) << file.fileName;
            EXPECT_FALSE(file.valid()) << file.fileName;
        }
    }
}

TEST(SendUnit, V3NameForAV4OnlyKindKeepsTheFileOutOfTheV3Unit) {
    // 第3表 exists only from V4; under a V3 name it is a bad name, not an extra member of the V3 unit.
    const auto plan3 = v3Name(FileKind::Up3Kyo, "");
    const auto batch =
        test::validateFiles({v3(FileKind::Up1Kyo), v3(FileKind::Up2Kyo), v3(FileKind::UpHosoku),
                             csv(plan3, {testdata::validRecord(FileKind::Up3Kyo)})});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "plan");
    EXPECT_EQ(batch.units[0].files.size(), 3u);
    EXPECT_FALSE(inAnyUnit(batch, plan3));
    const auto& file = only(batch, FileKind::Up3Kyo);
    EXPECT_TRUE(test::hasRule(file, "filename.v3-form-for-v4-kind"));
    EXPECT_EQ(unitRules(file), std::vector<std::string>{});
}

TEST(SendUnit, FilesFormOneUnitOnlyWhenPartiesAndSequenceAgree) {
    struct Case {
        const char* label;
        std::string otherName; // the 第1表 of an otherwise complete V4 plan unit
        std::size_t units;
    };
    const std::vector<Case> cases = {
        {"same parties and sequence", testdata::fileName(FileKind::Up1Kyo), 1},
        {"other sequence", testdata::fileName(FileKind::Up1Kyo, {}, "20250320093001"), 2},
        {"other sender",
         testdata::fileName(FileKind::Up1Kyo, {}, kSeq, "0300000200", "43", "0300000005", "11"), 2},
        {"other sender service kind",
         testdata::fileName(FileKind::Up1Kyo, {}, kSeq, "0300000100", "46", "0300000005", "11"), 2},
        {"other recipient",
         testdata::fileName(FileKind::Up1Kyo, {}, kSeq, "0300000100", "43", "0300000006", "11"), 2},
        {"other recipient service kind",
         testdata::fileName(FileKind::Up1Kyo, {}, kSeq, "0300000100", "43", "0300000005", "17"), 2},
        {"V3 name with another recipient", "UP1KYO_0300000100_0300000006_20250320093000.CSV", 2},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch =
            test::validateFiles({csv(c.otherName, {testdata::validRecord(FileKind::Up1Kyo)}),
                                 v4(FileKind::Up2Kyo), v4(FileKind::Up3Kyo), v4(FileKind::UpHosoku)});
        ASSERT_EQ(batch.units.size(), c.units);
        if (c.units == 1) {
            EXPECT_EQ(batch.units[0].combination, "plan");
            continue;
        }
        // Split apart, neither part is a standard combination.
        for (const auto& unit : batch.units) {
            EXPECT_EQ(unit.combination, "");
            EXPECT_EQ(unitRules(unit), std::vector<std::string>{"unit.combination"});
        }
        const auto& lone = only(batch, FileKind::Up1Kyo);
        const bool alone =
            std::any_of(batch.units.begin(), batch.units.end(), [&](const spec::UnitReport& u) {
                return u.files.size() == 1 && batch.files[u.files[0]].fileName == lone.fileName;
            });
        EXPECT_TRUE(alone);
    }
}

TEST(SendUnit, DuplicateKindIsReportedOnTheDuplicatesOnly) {
    // One name can exist twice only in different folders, which is how a careless export looks.
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() + "/a");
    std::filesystem::create_directories(dir.path() + "/b");
    const auto plan = planUnit();
    dir.write("a/" + plan[0].name, plan[0].bytes);
    dir.write("b/" + plan[0].name, plan[0].bytes);
    for (std::size_t i = 1; i < plan.size(); ++i)
        dir.write("a/" + plan[i].name, plan[i].bytes);
    const auto batch = spec::validateBatch({dir.path()});
    ASSERT_EQ(batch.files.size(), 5u);
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "plan");
    EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{"unit.duplicate-kind"});
    EXPECT_EQ(arg(batch.units[0].findings[0], "kind"), "UP1KYO");
    for (const auto& file : batch.files) {
        const bool duplicate = file.kind == FileKind::Up1Kyo;
        EXPECT_EQ(test::hasRule(file, "unit.duplicate-kind"), duplicate) << file.path;
        EXPECT_EQ(file.valid(), !duplicate) << file.path;
    }
}

TEST(SendUnit, MixedNameFormsInOneUnit) {
    // A V3 supplement among V4.1 files of the same offices and sequence: one unit, told apart by form.
    const auto batch = test::validateFiles(
        {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo), v4(FileKind::Up3Kyo),
         csv(v3Name(FileKind::UpHosoku, "000000"), {testdata::validRecord(FileKind::UpHosoku)})});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].files.size(), 4u);
    // The check stops there: combination and keys make no sense across two naming schemes.
    EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{"unit.mixed-name-forms"});
    EXPECT_EQ(batch.units[0].combination, "");
    for (const auto& file : batch.files) {
        EXPECT_EQ(unitRules(file), std::vector<std::string>{"unit.mixed-name-forms"}) << file.fileName;
        EXPECT_FALSE(file.valid()) << file.fileName;
    }
}

TEST(SendUnit, MissingCompanionIsAWarningOnTheParentOnly) {
    const auto batch = test::validateFiles({v4(FileKind::UpKihon), v4(FileKind::UpKihonSub1)});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "basicInfo");
    const auto& basic = only(batch, FileKind::UpKihon);
    const auto found = findingsOf(basic, "unit.companion-missing");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->severity, spec::Severity::Warning);
    EXPECT_EQ(arg(*found[0], "kind"), "UPKIHON");
    EXPECT_EQ(arg(*found[0], "companion"), "UPKIHON_SUB2");
    EXPECT_TRUE(basic.valid());
    EXPECT_EQ(unitRules(only(batch, FileKind::UpKihonSub1)), std::vector<std::string>{});
}

TEST(SendUnit, MonthMismatchIsReportedOnTheFileWithTheOtherMonth) {
    const auto annexMay = csv(v4Name(FileKind::UpSikyu, "202505"),
                              {with(testdata::validRecord(FileKind::UpSikyu), {{4, "202505"}}),
                               with(testdata::annexGrandTotal(), {{4, "202505"}})});
    const auto batch = test::validateFiles({v4(FileKind::UpPlan), annexMay, usageSupplementFile()});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "usage");
    const auto& annex = only(batch, FileKind::UpSikyu);
    const auto found = findingsOf(annex, "unit.month-mismatch");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->severity, spec::Severity::Error);
    EXPECT_EQ(arg(*found[0], "value"), "202505");
    EXPECT_EQ(arg(*found[0], "expected"), "202504");
    EXPECT_FALSE(annex.valid());
    EXPECT_FALSE(test::hasRule(only(batch, FileKind::UpPlan), "unit.month-mismatch"));
    EXPECT_FALSE(test::hasRule(only(batch, FileKind::UpHosoku), "unit.month-mismatch"));
}

TEST(SendUnit, SupplementFormMustFitTheUnit) {
    struct Case {
        const char* label;
        std::vector<SampleFile> files;
        const char* combination;
        const char* expected;
    };
    const std::vector<Case> cases = {
        {"plan unit with a month-bound supplement",
         {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo), v4(FileKind::Up3Kyo),
          csv(v4Name(FileKind::UpHosoku, kMonth), {testdata::validRecord(FileKind::UpHosoku)})},
         "plan",
         "000000"},
        {"usage unit with a plan-bound supplement",
         {v4(FileKind::UpPlan), v4(FileKind::UpSikyu),
          csv(v4Name(FileKind::UpHosoku, "000000"), {testdata::usageSupplement()})},
         "usage",
         "202504"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch = test::validateFiles(c.files);
        ASSERT_EQ(batch.units.size(), 1u);
        EXPECT_EQ(batch.units[0].combination, c.combination);
        EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{"unit.supplement-form"});
        const auto& supplement = only(batch, FileKind::UpHosoku);
        const auto found = findingsOf(supplement, "unit.supplement-form");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(arg(*found[0], "expected"), c.expected);
        for (const auto& file : batch.files) {
            if (file.kind != FileKind::UpHosoku) {
                EXPECT_EQ(unitRules(file), std::vector<std::string>{}) << file.fileName;
            }
        }
    }
}

TEST(SendUnit, MixedCsvVersionsAreAWarningOnEveryFile) {
    auto files = planUnit();
    files[1] = v4(FileKind::Up2Kyo, {with(testdata::validRecord(FileKind::Up2Kyo), {{0, "202504"}})});
    const auto batch = test::validateFiles(files);
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "plan");
    ASSERT_EQ(unitRules(batch.units[0]), std::vector<std::string>{"unit.version-mixed"});
    EXPECT_EQ(batch.units[0].findings[0].severity, spec::Severity::Warning);
    EXPECT_EQ(arg(batch.units[0].findings[0], "values"), "202407, 202504");
    for (const auto& file : batch.files)
        EXPECT_TRUE(test::hasRule(file, "unit.version-mixed")) << file.fileName;
    EXPECT_TRUE(only(batch, FileKind::Up1Kyo).valid());
}

// --- keys between files ------------------------------------------------------------------------------

TEST(SendUnitKeys, ChildRowWithoutParentRecordIsReportedAtItsLine) {
    using testdata::annexGrandTotal;
    using testdata::usageSupplement;
    using testdata::validRecord;
    struct Case {
        const char* label;
        std::vector<SampleFile> files;
        FileKind child;
        std::uint64_t line;
        std::string key;
        const char* parent;
    };
    const Fields plan2 = validRecord(FileKind::Up2Kyo);
    const Fields plan3 = validRecord(FileKind::Up3Kyo);
    const std::vector<Case> cases = {
        {"第2表 row for a plan date 第1表 does not have",
         {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo, {plan2, with(plan2, {{4, "20250321"}})}),
          v4(FileKind::Up3Kyo), v4(FileKind::UpHosoku)},
         FileKind::Up2Kyo,
         2,
         "123456 1234567890 20250321",
         "UP1KYO"},
        {"第3表 row for a user 第1表 does not have",
         {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo),
          v4(FileKind::Up3Kyo, {plan3, plan3, with(plan3, {{2, kOtherUser}})}), v4(FileKind::UpHosoku)},
         FileKind::Up3Kyo,
         3,
         "123456 2345678901 20250320",
         "UP1KYO"},
        {"plan-bound 利用者補足 for a user 第1表 does not have",
         {v4(FileKind::Up1Kyo), v4(FileKind::Up2Kyo), v4(FileKind::Up3Kyo),
          v4(FileKind::UpHosoku,
             {validRecord(FileKind::UpHosoku), with(validRecord(FileKind::UpHosoku), {{2, kOtherUser}})})},
         FileKind::UpHosoku,
         2,
         "123456 2345678901 20250320",
         "UP1KYO"},
        {"第7表 rows for a user 第6表 does not have",
         {v4(FileKind::UpPlan),
          v4(FileKind::UpSikyu, {validRecord(FileKind::UpSikyu), annexGrandTotal(),
                                 with(validRecord(FileKind::UpSikyu), {{2, kOtherUser}}),
                                 with(annexGrandTotal(), {{2, kOtherUser}})}),
          usageSupplementFile()},
         FileKind::UpSikyu,
         3,
         "123456 2345678901 202504",
         "UPPLAN"},
        // No.4 is 00000000 in the usage-bound form, so the month (No.63) ties it to 第6表.
        {"usage-bound 利用者補足 for a month 第6表 does not have",
         {v4(FileKind::UpPlan), v4(FileKind::UpSikyu),
          usageSupplementFile({usageSupplement(), usageSupplement("202505")})},
         FileKind::UpHosoku,
         2,
         "123456 1234567890 202505",
         "UPPLAN"},
        {"別表1 for a 相談日 the basic information does not have",
         {v4(FileKind::UpKihon),
          v4(FileKind::UpKihonSub1, {validRecord(FileKind::UpKihonSub1),
                                     with(validRecord(FileKind::UpKihonSub1), {{3, "20250302"}})}),
          v4(FileKind::UpKihonSub2)},
         FileKind::UpKihonSub1,
         2,
         "123456 1234567890 20250302",
         "UPKIHON"},
        {"別表2 for a user the basic information does not have",
         {v4(FileKind::UpKihon), v4(FileKind::UpKihonSub1),
          v4(FileKind::UpKihonSub2, {with(validRecord(FileKind::UpKihonSub2), {{2, kOtherUser}})})},
         FileKind::UpKihonSub2,
         1,
         "123456 2345678901 20250301",
         "UPKIHON"},
        {"計画書別表 for a 計画作成日 the prevention plan does not have",
         {v4(FileKind::UpYobo),
          v4(FileKind::UpYoboSub,
             {validRecord(FileKind::UpYoboSub), with(validRecord(FileKind::UpYoboSub), {{3, "20250401"}})})},
         FileKind::UpYoboSub,
         2,
         "123456 1234567890 20250401",
         "UPYOBO"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch = test::validateFiles(c.files);
        ASSERT_EQ(batch.units.size(), 1u);
        EXPECT_NE(batch.units[0].combination, "");
        const auto& child = only(batch, c.child);
        const auto found = findingsOf(child, "unit.key-not-in-parent");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0]->severity, spec::Severity::Error);
        EXPECT_EQ(found[0]->line, c.line);
        EXPECT_EQ(arg(*found[0], "key"), c.key);
        EXPECT_EQ(arg(*found[0], "parent"), c.parent);
        EXPECT_FALSE(child.valid());
        for (const auto& file : batch.files) {
            if (file.kind != c.child) {
                EXPECT_FALSE(test::hasRule(file, "unit.key-not-in-parent")) << file.fileName;
            }
        }
    }
}

TEST(SendUnitKeys, UserWithoutSupplementIsAWarningAtTheParentLine) {
    struct Case {
        const char* label;
        std::vector<SampleFile> files;
        FileKind parent;
        std::string key;
    };
    const Fields slip = testdata::validRecord(FileKind::UpPlan);
    const std::vector<Case> cases = {
        {"plan",
         {v4(FileKind::Up1Kyo, {testdata::validRecord(FileKind::Up1Kyo),
                                with(testdata::validRecord(FileKind::Up1Kyo), {{2, kOtherUser}})}),
          v4(FileKind::Up2Kyo), v4(FileKind::Up3Kyo), v4(FileKind::UpHosoku)},
         FileKind::Up1Kyo,
         "123456 2345678901 20250320"},
        {"usage",
         {v4(FileKind::UpPlan,
             {slip, with(slip, {{2, kOtherUser}}), with(slip, {{2, kOtherUser}, {9, "20250402"}})}),
          v4(FileKind::UpSikyu), usageSupplementFile()},
         FileKind::UpPlan,
         "123456 2345678901 202504"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch = test::validateFiles(c.files);
        ASSERT_EQ(batch.units.size(), 1u);
        const auto& parent = only(batch, c.parent);
        const auto found = findingsOf(parent, "unit.supplement-missing-for-user");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0]->severity, spec::Severity::Warning);
        // The first line of the user in the parent file.
        EXPECT_EQ(found[0]->line, std::uint64_t{2});
        EXPECT_EQ(arg(*found[0], "key"), c.key);
        EXPECT_FALSE(test::hasRule(only(batch, FileKind::UpHosoku), "unit.supplement-missing-for-user"));
        EXPECT_TRUE(parent.valid());
    }
}

// --- family images -----------------------------------------------------------------------------------

TEST(SendUnitImages, ReferencedImagesTravelWithTheUnit) {
    // Two users, two images: several UPKIHON_IMAGE files are not duplicates of one kind.
    const Fields second = with(basicInfoWithImage(kImage2), {{2, kOtherUser}});
    const auto batch = test::validateFiles({v4(FileKind::UpKihon, {basicInfoWithImage(kImage), second}),
                                            v4(FileKind::UpKihonSub1),
                                            v4(FileKind::UpKihonSub2),
                                            {kImage, jpeg()},
                                            {kImage2, jpeg()}});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "basicInfo");
    EXPECT_EQ(batch.units[0].files.size(), 5u);
    EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{});
    for (const auto& file : batch.files)
        EXPECT_EQ(test::rules(file), std::vector<std::string>{}) << file.fileName;
}

TEST(SendUnitImages, ReferencedImageMissingFromTheUnit) {
    const auto batch =
        test::validateFiles({v4(FileKind::UpKihon, {testdata::validRecord(FileKind::UpKihon),
                                                    with(basicInfoWithImage(kImage), {{2, kOtherUser}})}),
                             v4(FileKind::UpKihonSub1), v4(FileKind::UpKihonSub2)});
    ASSERT_EQ(batch.units.size(), 1u);
    const auto& basic = only(batch, FileKind::UpKihon);
    const auto found = findingsOf(basic, "unit.image-missing");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->severity, spec::Severity::Warning);
    EXPECT_EQ(found[0]->line, std::uint64_t{2});
    EXPECT_EQ(arg(*found[0], "value"), kImage);
    EXPECT_TRUE(basic.valid());
}

TEST(SendUnitImages, ImageNoRecordReferences) {
    const auto batch = test::validateFiles(
        {v4(FileKind::UpKihon), v4(FileKind::UpKihonSub1), v4(FileKind::UpKihonSub2), {kImage, jpeg()}});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "basicInfo");
    const auto& image = only(batch, FileKind::UpKihonImage);
    const auto found = findingsOf(image, "unit.image-unreferenced");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->severity, spec::Severity::Warning);
    EXPECT_FALSE(found[0]->line.has_value());
    EXPECT_EQ(arg(*found[0], "value"), kImage);
    EXPECT_EQ(unitRules(only(batch, FileKind::UpKihon)), std::vector<std::string>{});
}

TEST(SendUnitImages, ImageThatIsNotAJpegIsAnError) {
    struct Case {
        const char* label;
        std::string bytes;
    };
    const std::vector<Case> cases = {
        {"PNG", std::string("\x89PNG\r\n\x1a\n", 8)},
        {"empty", ""},
        {"two bytes of a JPEG start", std::string("\xFF\xD8", 2)},
        {"JPEG start without a marker after it", std::string("\xFF\xD8\x00\xE0", 4)},
        {"CSV text", testdata::sjis(testdata::toCsv({testdata::validRecord(FileKind::UpKihonSub1)}))},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto batch = test::validateFiles({v4(FileKind::UpKihon, {basicInfoWithImage(kImage)}),
                                                v4(FileKind::UpKihonSub1),
                                                v4(FileKind::UpKihonSub2),
                                                {kImage, c.bytes}});
        const auto& image = only(batch, FileKind::UpKihonImage);
        EXPECT_EQ(test::rules(image), std::vector<std::string>{"encoding.not-jpeg"});
        EXPECT_FALSE(image.valid());
        // It is still the referenced image, so the unit does not call it missing.
        EXPECT_EQ(unitRules(only(batch, FileKind::UpKihon)), std::vector<std::string>{});
    }
}

// --- import order and membership ---------------------------------------------------------------------

TEST(SendUnitOrder, UnitsComeInSequenceOrderWhateverTheFileOrder) {
    const auto files = std::vector<SampleFile>{v4(FileKind::UpJsk, "20250502090000")} + planUnit() +
                       std::vector<SampleFile>{v4(FileKind::DltPlan, "20250410120000"),
                                               v4(FileKind::UpKihon, "20250305140000")};
    const std::vector<std::string> importOrder = {"20250305140000", "20250320093000", "20250410120000",
                                                  "20250502090000"};
    std::vector<std::size_t> order(files.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    // Forward, backward and interleaved: the unit order never follows the file order.
    const std::vector<std::vector<std::size_t>> permutations = {
        order, {order.rbegin(), order.rend()}, {3, 6, 0, 5, 2, 1, 4}};
    for (const auto& permutation : permutations) {
        spec::BatchReport batch;
        for (auto i : permutation)
            batch.files.push_back(spec::validateBytes(files[i].name, files[i].bytes));
        spec::validateUnits(batch);
        EXPECT_EQ(sequences(batch), importOrder);
        ASSERT_EQ(batch.units.size(), 4u);
        // Inside a unit, files are listed by kind whatever order they came in.
        EXPECT_EQ(
            namesOf(batch, batch.units[1]),
            (std::vector<std::string>{v4Name(FileKind::UpHosoku, "000000"), v4Name(FileKind::Up1Kyo, ""),
                                      v4Name(FileKind::Up2Kyo, ""), v4Name(FileKind::Up3Kyo, "")}));
    }
}

TEST(SendUnitOrder, UnitsComeInSequenceOrderWhateverTheFolderLayout) {
    test::TempDir dir;
    for (const char* sub : {"a", "b/deeper", "c"})
        std::filesystem::create_directories(dir.path() + "/" + sub);
    // Folder names sort against the sequences: the latest unit sits in the first folder.
    const auto actuals = v4(FileKind::UpJsk, "20250502090000");
    dir.write("a/" + actuals.name, actuals.bytes);
    for (const auto& f : planUnit())
        dir.write("b/deeper/" + f.name, f.bytes);
    const auto basic = v4(FileKind::DltKihon, "20250305140000");
    dir.write("c/" + basic.name, basic.bytes);
    const std::vector<std::string> importOrder = {"20250305140000", "20250320093000", "20250502090000"};

    EXPECT_EQ(sequences(spec::validateBatch({dir.path()})), importOrder);
    EXPECT_EQ(sequences(spec::validateBatch({dir.path() + "/c", dir.path() + "/a", dir.path() + "/b"})),
              importOrder);
}

TEST(SendUnitOrder, UnitFindingsMakeTheirFilesInvalidButWarningsDoNot) {
    // Each file is clean alone; only the unit is wrong.
    const auto batch =
        test::validateFiles(std::vector<SampleFile>{v4(FileKind::UpPlan), usageSupplementFile()} +
                            std::vector<SampleFile>{v4(FileKind::UpKihon, "20250305140000")});
    ASSERT_EQ(batch.units.size(), 2u);
    for (const auto& file : batch.files) {
        EXPECT_EQ(test::fileRules(file), std::vector<std::string>{}) << file.fileName;
        const bool usage = file.kind != FileKind::UpKihon;
        EXPECT_EQ(file.valid(), !usage) << file.fileName;
        EXPECT_EQ(file.findings.errorCount(), usage ? 1u : 0u) << file.fileName;
        EXPECT_EQ(file.findings.warningCount(), usage ? 0u : 2u) << file.fileName;
    }
    EXPECT_EQ(batch.errorCount(), 2u);
    EXPECT_EQ(batch.warningCount(), 2u);
}

TEST(SendUnitOrder, FilesWithBadNamesJoinNoUnit) {
    const std::vector<std::string> badNames = {
        "UP1KYO_0300000100_43_0300000005_11_2025032009300.CSV",  // 13-digit sequence
        "UP1KYO_0300000100_43_0300000005_11_20250332093000.CSV", // no 32 March
        "UP1KYO_030000010_43_0300000005_11_20250320093000.CSV",  // 9-digit office
        "UP1KYO_0300000100_43_0300000005_11_20250320093000.TXT",
        "UPKIHON_0300000100_0300000005_20250320093000.CSV", // V3 form of a V4-only kind
        "plan.CSV",
    };
    for (const auto& bad : badNames) {
        SCOPED_TRACE(bad);
        const auto batch = test::validateFiles(
            planUnit() + std::vector<SampleFile>{csv(bad, {testdata::validRecord(FileKind::Up1Kyo)})});
        ASSERT_EQ(batch.units.size(), 1u);
        EXPECT_EQ(batch.units[0].combination, "plan");
        EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{});
        EXPECT_FALSE(inAnyUnit(batch, bad));
        const auto it = std::find_if(batch.files.begin(), batch.files.end(),
                                     [&](const spec::FileReport& f) { return f.fileName == bad; });
        ASSERT_NE(it, batch.files.end());
        EXPECT_FALSE(it->valid());
        EXPECT_EQ(unitRules(*it), std::vector<std::string>{});
    }
}

// --- folders -----------------------------------------------------------------------------------------

TEST(SendUnitPaths, FoldersAreExpandedRecursivelySkippingHiddenEntries) {
    test::TempDir dir;
    namespace fs = std::filesystem;
    for (const char* sub : {"2025-04/plan", "2025-04/.git/objects", ".cache", "empty"})
        fs::create_directories(dir.path() + "/" + sub);
    for (const char* file : {"z.CSV", "2025-04/b.CSV", "2025-04/plan/a.CSV", "2025-04/.DS_Store",
                             "2025-04/.git/objects/x.CSV", ".cache/y.CSV", ".hidden.CSV"})
        dir.write(file, "x");
    const auto& root = dir.path();
    EXPECT_EQ(
        spec::expandPaths({root}),
        (std::vector<std::string>{root + "/2025-04/b.CSV", root + "/2025-04/plan/a.CSV", root + "/z.CSV"}));
    // Arguments keep their order; files and missing paths pass through for validation to report.
    EXPECT_EQ(
        spec::expandPaths({root + "/z.CSV", root + "/2025-04/plan", root + "/missing.CSV"}),
        (std::vector<std::string>{root + "/z.CSV", root + "/2025-04/plan/a.CSV", root + "/missing.CSV"}));
    EXPECT_EQ(spec::expandPaths({root + "/empty"}), std::vector<std::string>{});
}

TEST(SendUnitPaths, BatchOfAFolderTreeFindsTheUnitsInside) {
    test::TempDir dir;
    std::filesystem::create_directories(dir.path() + "/out/plan");
    std::filesystem::create_directories(dir.path() + "/out/.trash");
    for (const auto& f : planUnit())
        dir.write("out/plan/" + f.name, f.bytes);
    // A stale copy in a hidden folder would make the unit a duplicate if it were read.
    const auto stale = v4(FileKind::Up1Kyo);
    dir.write("out/.trash/" + stale.name, stale.bytes);
    const auto batch = spec::validateBatch({dir.path()});
    ASSERT_EQ(batch.files.size(), 4u);
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(batch.units[0].combination, "plan");
    EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{});
}

// --- review fixes ---------------------------------------------------------------------------------------

TEST(SendUnit, AnOddSupplementMonthIsBlamedOnTheSupplement) {
    // The supplement sorts first in a unit; the main file's month is still the reference.
    const auto supplementMay =
        csv(v4Name(FileKind::UpHosoku, "202505"), {testdata::usageSupplement("202505")});
    const auto batch = test::validateFiles(
        {v4(FileKind::UpPlan),
         v4(FileKind::UpSikyu, {testdata::validRecord(FileKind::UpSikyu), testdata::annexGrandTotal()}),
         supplementMay});
    ASSERT_EQ(batch.units.size(), 1u);
    const auto found = findingsOf(only(batch, FileKind::UpHosoku), "unit.month-mismatch");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(arg(*found[0], "value"), "202505");
    EXPECT_EQ(arg(*found[0], "expected"), "202504");
    EXPECT_FALSE(test::hasRule(only(batch, FileKind::UpPlan), "unit.month-mismatch"));
    EXPECT_FALSE(test::hasRule(only(batch, FileKind::UpSikyu), "unit.month-mismatch"));
}

TEST(SendUnit, AFileNamedTwiceIsValidatedOnce) {
    test::TempDir dir;
    const auto file = v4(FileKind::DltPlan);
    const auto path = dir.write(file.name, file.bytes);
    const auto batch = spec::validateBatch({dir.path(), path, dir.path() + "/./" + file.name});
    ASSERT_EQ(batch.files.size(), 1u);
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(test::rules(batch.files[0]), std::vector<std::string>{});
}

TEST(SendUnitImages, ImageNamesAreComparedWithoutCase) {
    // No.62 may say .jpg while the file is .JPG: the standard itself writes both.
    std::string lower = kImage;
    lower.replace(lower.size() - 3, 3, "jpg");
    ASSERT_NE(lower, std::string(kImage));
    const auto batch = test::validateFiles({v4(FileKind::UpKihon, {basicInfoWithImage(lower)}),
                                            v4(FileKind::UpKihonSub1),
                                            v4(FileKind::UpKihonSub2),
                                            {kImage, jpeg()}});
    ASSERT_EQ(batch.units.size(), 1u);
    EXPECT_EQ(unitRules(batch.units[0]), std::vector<std::string>{});
}
