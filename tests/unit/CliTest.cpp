// `cplink validate` as scripts and people meet it: the exit status, the one JSON document of --json and
// the human report grouped by send unit. Every run reads real files from disk.
#include "SampleData.h"
#include "TestSupport.h"
#include "cli/ValidateCommand.h"
#include "spec/Validator.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

using namespace cplink;
using nlohmann::json;
using spec::FileKind;
using testdata::Fields;
using testdata::SampleFile;

namespace {

const std::string kSamples = std::string(CPLINK_SOURCE_DIR) + "/resources/samples";

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

// Leaves the language alone unless given, so the default is what a user without --lang gets.
Run run(const std::vector<std::string>& paths, bool asJson = false,
        std::optional<std::string> language = std::nullopt) {
    cli::ValidateOptions options;
    options.paths = paths;
    options.json = asJson;
    if (language)
        options.language = *language;
    std::ostringstream out;
    std::ostringstream err;
    Run r;
    r.status = cli::runValidate(options, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

SampleFile csv(std::string name, const std::vector<Fields>& records) {
    return {std::move(name), testdata::sjis(testdata::toCsv(records))};
}

SampleFile v4(FileKind kind, std::string_view month = {}, std::string_view seq = "20250320093000") {
    std::vector<Fields> records{testdata::validRecord(kind)};
    if (kind == FileKind::UpSikyu)
        records.push_back(testdata::annexGrandTotal());
    return csv(testdata::fileName(kind, month, seq), records);
}

void writeAll(const test::TempDir& dir, const std::vector<SampleFile>& files) {
    for (const auto& f : files)
        dir.write(f.name, f.bytes);
}

std::vector<std::string> sampleFileNames() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kSamples))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// A folder that trips file, record and send-unit rules alike, for the shape and language checks.
// Values in the records are ASCII wherever a rule quotes them, so English messages stay English.
void writeMixedBag(const test::TempDir& dir) {
    namespace fs = std::filesystem;
    // Usage unit without 第7表: two files, each clean alone, in a unit that is not a combination.
    writeAll(dir, {v4(FileKind::UpPlan, "202504", "20250325100000"),
                   csv(testdata::fileName(FileKind::UpHosoku, "202504", "20250325100000"),
                       {testdata::usageSupplement()})});
    // Plan unit: a 第2表 row whose plan date 第1表 lacks, a month-bound supplement, a 202504 第3表.
    Fields orphan = testdata::validRecord(FileKind::Up2Kyo);
    orphan[4] = "20250321";
    Fields oldVersion = testdata::validRecord(FileKind::Up3Kyo);
    oldVersion[0] = "202504";
    writeAll(
        dir,
        {v4(FileKind::Up1Kyo),
         csv(testdata::fileName(FileKind::Up2Kyo), {testdata::validRecord(FileKind::Up2Kyo), orphan}),
         csv(testdata::fileName(FileKind::Up3Kyo), {oldVersion}),
         csv(testdata::fileName(FileKind::UpHosoku, "202504"), {testdata::validRecord(FileKind::UpHosoku)})});
    // Basic info naming an image that is not there, next to one nobody names and which is no JPEG.
    Fields basic = testdata::validRecord(FileKind::UpKihon);
    basic[61] = testdata::quoted("UPKIHON_IMAGE_0300000100_43_0300000005_11_20250305140000_0001.JPG");
    writeAll(dir, {csv(testdata::fileName(FileKind::UpKihon, {}, "20250305140000"), {basic}),
                   {"UPKIHON_IMAGE_0300000100_43_0300000005_11_20250305140000_0002.JPG", "GIF89a"}});
    // The same 第1表_削除 twice (two folders) and once more under its V3 name.
    const auto deletion = v4(FileKind::Dlt1Kyo, {}, "20250410120000");
    fs::create_directories(dir.path() + "/resent");
    dir.write(deletion.name, deletion.bytes);
    dir.write("resent/" + deletion.name, deletion.bytes);
    dir.write("DLT1KYO_0300000100_0300000005_20250410120000.CSV", deletion.bytes);
    // Usage unit of two users, one without a supplement, whose 第7表 is named for the next month.
    Fields slip = testdata::validRecord(FileKind::UpPlan);
    Fields slip2 = slip;
    slip2[2] = "2345678901";
    writeAll(dir, {csv(testdata::fileName(FileKind::UpPlan, "202504", "20250326100000"), {slip, slip2}),
                   csv(testdata::fileName(FileKind::UpSikyu, "202505", "20250326100000"),
                       {testdata::validRecord(FileKind::UpSikyu), testdata::annexGrandTotal()}),
                   csv(testdata::fileName(FileKind::UpHosoku, "202504", "20250326100000"),
                       {testdata::usageSupplement()})});
    // A delete with an empty required field, an empty file, a bad name and a stranger.
    writeAll(dir, {csv(testdata::fileName(FileKind::DltPlan, "202504", "20250411120000"),
                       {{"202407", "123456", "", "202504"}}),
                   {testdata::fileName(FileKind::Dlt1Kyo, {}, "20250412120000"), ""},
                   csv("UP1KYO_0300000100_43_0300000005_11_2025032009300.CSV",
                       {testdata::validRecord(FileKind::Up1Kyo)}),
                   {"notes.txt", "hello"}});
}

bool isAscii(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Every issue of every file, with the file it belongs to.
std::vector<std::pair<const json*, const json*>> allIssues(const json& doc) {
    std::vector<std::pair<const json*, const json*>> out;
    for (const auto& file : doc.at("files")) {
        for (const auto& issue : file.at("issues"))
            out.emplace_back(&file, &issue);
    }
    return out;
}

// The first issue of the rule, in a file whose name starts with `filePrefix` if given.
const json* issueOf(const json& doc, const std::string& rule, const std::string& filePrefix = {}) {
    for (const auto& [file, issue] : allIssues(doc)) {
        const auto path = file->at("path").get<std::string>();
        const auto name = path.substr(path.find_last_of('/') + 1);
        if (issue->at("rule") == rule && name.rfind(filePrefix, 0) == 0)
            return issue;
    }
    return nullptr;
}

std::set<std::string> rulesIn(const json& doc) {
    std::set<std::string> out;
    for (const auto& [file, issue] : allIssues(doc))
        out.insert(issue->at("rule").get<std::string>());
    return out;
}

// No template has a literal brace, so any brace is a placeholder left over (or half of one).
// A left-over template placeholder shows as a brace. (A plain search: std::regex trips GCC 12's
// -Wmaybe-uninitialized under -O2 with sanitizers.)
bool hasPlaceholder(const std::string& text) {
    return text.find_first_of("{}") != std::string::npos;
}

} // namespace

// --- exit status -------------------------------------------------------------------------------------

TEST(CliExit, BundledSampleMonthPasses) {
    const auto r = run({kSamples});
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_EQ(r.err, "");
    const auto names = sampleFileNames();
    ASSERT_FALSE(names.empty());
    for (const auto& name : names)
        EXPECT_NE(r.out.find("✔ " + name + "\n"), std::string::npos) << name;
    EXPECT_NE(r.out.find("合計: " + std::to_string(names.size()) + " ファイル（問題なし " +
                         std::to_string(names.size()) + "）  エラー 0"),
              std::string::npos)
        << r.out;
}

TEST(CliExit, WarningsAloneStillExitZero) {
    // 利用者基本情報 without its annexes: allowed, but worth a warning.
    test::TempDir dir;
    writeAll(dir, {v4(FileKind::UpKihon)});
    const auto r = run({dir.path()}, true);
    EXPECT_EQ(r.status, 0);
    const auto doc = json::parse(r.out);
    EXPECT_EQ(doc.at("summary").at("errors"), 0);
    EXPECT_EQ(doc.at("summary").at("warnings"), 2);
    EXPECT_EQ(doc.at("files").at(0).at("valid"), true);
}

TEST(CliExit, AnyErrorExitsOne) {
    struct Case {
        const char* label;
        std::vector<SampleFile> files;
    };
    const std::vector<Case> cases = {
        {"sample month plus a delete with an empty required field",
         [] {
             auto files = testdata::sampleMonth();
             files.push_back(csv(testdata::fileName(FileKind::Dlt1Kyo, {}, "20250412120000"),
                                 {{"202407", "123456", "", "20250320"}}));
             return files;
         }()},
        {"files clean alone in a unit that is not a combination",
         {v4(FileKind::UpPlan, "202504"),
          csv(testdata::fileName(FileKind::UpHosoku, "202504"), {testdata::usageSupplement()})}},
        {"a file name that is not the standard's",
         {csv("UP1KYO_0300000100_43_0300000005_11.CSV", {testdata::validRecord(FileKind::Up1Kyo)})}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        test::TempDir dir;
        writeAll(dir, c.files);
        const auto r = run({dir.path()});
        EXPECT_EQ(r.status, 1) << r.out;
        EXPECT_EQ(r.err, "");
        EXPECT_NE(r.out.find("✘ "), std::string::npos);
        EXPECT_EQ(run({dir.path()}, true).status, 1);
    }
}

TEST(CliExit, UnreadablePathExitsTwo) {
    test::TempDir dir;
    const std::string missing = dir.path() + "/UP1KYO_0300000100_43_0300000005_11_20250320093000.CSV";
    struct Case {
        const char* label;
        std::vector<std::string> paths;
    };
    // Even beside a clean month, a path that cannot be read must not look like success or like bad data.
    for (const auto& c :
         std::vector<Case>{{"alone", {missing}}, {"beside the sample month", {kSamples, missing}}}) {
        SCOPED_TRACE(c.label);
        const auto text = run(c.paths);
        EXPECT_EQ(text.status, 2);
        EXPECT_NE(text.out.find("読み込めません: "), std::string::npos) << text.out;
        const auto r = run(c.paths, true);
        EXPECT_EQ(r.status, 2);
        const auto doc = json::parse(r.out);
        const auto& last = doc.at("files").back();
        EXPECT_EQ(last.at("path"), missing);
        EXPECT_EQ(last.at("valid"), false);
        EXPECT_TRUE(last.at("ioError").is_string());
    }
}

TEST(CliExit, NothingToValidateExitsTwo) {
    test::TempDir empty;
    test::TempDir hiddenOnly;
    std::filesystem::create_directories(hiddenOnly.path() + "/.git");
    hiddenOnly.write(".DS_Store", "x");
    hiddenOnly.write(".git/UP1KYO_0300000100_43_0300000005_11_20250320093000.CSV", "x");
    struct Case {
        const char* label;
        std::string path;
        std::string language;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"empty folder", empty.path(), "ja", "検査するファイルがありません。\n"},
        {"only hidden entries", hiddenOnly.path(), "ja", "検査するファイルがありません。\n"},
        {"empty folder, English", empty.path(), "en", "No files to validate.\n"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        for (bool asJson : {false, true}) {
            const auto r = run({c.path}, asJson, c.language);
            EXPECT_EQ(r.status, 2);
            EXPECT_EQ(r.err, c.message);
            EXPECT_EQ(r.out, "");
        }
    }
}

// --- JSON --------------------------------------------------------------------------------------------

TEST(CliJson, OneDocumentWithTheDocumentedShape) {
    test::TempDir dir;
    writeMixedBag(dir);
    const auto r = run({dir.path()}, true);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "");
    json doc;
    // parse() rejects anything after the document, so this also proves there is exactly one.
    ASSERT_NO_THROW(doc = json::parse(r.out)) << r.out;
    ASSERT_TRUE(doc.is_object());
    ASSERT_TRUE(doc.at("files").is_array());

    const auto paths = spec::expandPaths({dir.path()});
    ASSERT_EQ(doc["files"].size(), paths.size());
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const auto& file = doc["files"][i];
        SCOPED_TRACE(paths[i]);
        ASSERT_TRUE(file.is_object());
        EXPECT_EQ(file.at("path"), paths[i]);
        EXPECT_TRUE(file.at("kind").is_string() || file.at("kind").is_null());
        ASSERT_TRUE(file.at("valid").is_boolean());
        ASSERT_TRUE(file.at("issues").is_array());
        bool hasError = false;
        for (const auto& issue : file["issues"]) {
            ASSERT_TRUE(issue.is_object());
            ASSERT_TRUE(issue.at("severity").is_string());
            const auto severity = issue["severity"].get<std::string>();
            EXPECT_TRUE(severity == "error" || severity == "warning") << severity;
            hasError = hasError || severity == "error";
            (severity == "error" ? errors : warnings)++;
            EXPECT_TRUE(issue.at("rule").is_string());
            EXPECT_TRUE(issue.at("line").is_number_integer() || issue["line"].is_null()) << issue;
            EXPECT_TRUE(issue.at("field").is_number_integer() || issue["field"].is_null()) << issue;
            ASSERT_TRUE(issue.at("message").is_string());
            EXPECT_FALSE(issue["message"].get<std::string>().empty());
        }
        EXPECT_EQ(file["valid"].get<bool>(), !hasError && !file.contains("ioError"));
    }
    EXPECT_EQ(doc.at("summary").at("errors"), errors);
    EXPECT_EQ(doc.at("summary").at("warnings"), warnings);
    // The bag was built to trip these; if one is gone the other checks here prove less.
    for (const char* rule :
         {"filename.unknown-kind", "filename.sequence", "csv.empty-file", "unit.combination",
          "unit.key-not-in-parent", "unit.supplement-form", "unit.version-mixed", "unit.image-missing",
          "unit.image-unreferenced", "encoding.not-jpeg", "unit.duplicate-kind", "unit.mixed-name-forms"})
        EXPECT_TRUE(rulesIn(doc).count(rule) > 0) << rule;
}

TEST(CliJson, FileLevelFindingsHaveNullLineAndField) {
    test::TempDir dir;
    writeMixedBag(dir);
    const auto doc = json::parse(run({dir.path()}, true).out);
    // Findings about a whole file or unit point at no record.
    const std::set<std::string> fileLevel = {
        "filename.unknown-kind", "filename.sequence",     "csv.empty-file",          "unit.combination",
        "unit.supplement-form",  "unit.version-mixed",    "unit.image-unreferenced", "encoding.not-jpeg",
        "unit.duplicate-kind",   "unit.mixed-name-forms", "unit.month-mismatch"};
    std::set<std::string> seen;
    for (const auto& [file, issue] : allIssues(doc)) {
        const auto rule = issue->at("rule").get<std::string>();
        if (!fileLevel.count(rule))
            continue;
        seen.insert(rule);
        EXPECT_TRUE(issue->at("line").is_null()) << rule;
        EXPECT_TRUE(issue->at("field").is_null()) << rule;
    }
    EXPECT_EQ(seen, fileLevel);

    // A row of a child file: its line, no field. A field of a record: both.
    const json* key = issueOf(doc, "unit.key-not-in-parent");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->at("line"), 2);
    EXPECT_TRUE(key->at("field").is_null());
    const json* required = issueOf(doc, "field.required");
    ASSERT_NE(required, nullptr) << rulesIn(doc).size();
    EXPECT_EQ(required->at("line"), 1);
    EXPECT_EQ(required->at("field"), 3);
}

TEST(CliJson, MessagesAreJapaneseByDefaultAndEnglishOnRequest) {
    test::TempDir dir;
    writeMixedBag(dir);
    const auto ja = json::parse(run({dir.path()}, true).out);
    const auto en = json::parse(run({dir.path()}, true, "en").out);
    ASSERT_EQ(allIssues(ja).size(), allIssues(en).size());
    ASSERT_GT(allIssues(ja).size(), 10u);
    for (const auto& [file, issue] : allIssues(ja))
        EXPECT_FALSE(isAscii(issue->at("message").get<std::string>())) << *issue;
    for (const auto& [file, issue] : allIssues(en))
        EXPECT_TRUE(isAscii(issue->at("message").get<std::string>())) << *issue;

    // Empty lists read as "-", not as nothing.
    const json* jaCombination = issueOf(ja, "unit.combination");
    const json* enCombination = issueOf(en, "unit.combination");
    ASSERT_NE(jaCombination, nullptr);
    ASSERT_NE(enCombination, nullptr);
    EXPECT_EQ(
        jaCombination->at("message"),
        "送信単位の組合せ（UPHOSOKU, UPPLAN）が標準仕様の組合せではありません。足りない: UPSIKYU／余分: -");
    EXPECT_EQ(
        enCombination->at("message"),
        "The send unit (UPHOSOKU, UPPLAN) is not a combination of the standard. Missing: UPSIKYU; extra: -");
    const json* jaKey = issueOf(ja, "unit.key-not-in-parent", "UP2KYO");
    ASSERT_NE(jaKey, nullptr);
    EXPECT_EQ(jaKey->at("message"),
              "この行の利用者（123456 1234567890 20250321）が同じ送信単位の UP1KYO にありません。");
}

TEST(CliMessages, UnitFindingsNameWhatTheyAreAbout) {
    test::TempDir dir;
    writeMixedBag(dir);
    const auto en = json::parse(run({dir.path()}, true, "en").out);
    struct Case {
        const char* rule;
        const char* file; // the file (name prefix) the finding is on
        std::string message;
    };
    const std::vector<Case> cases = {
        {"unit.duplicate-kind", "DLT1KYO", "The send unit holds more than one DLT1KYO file."},
        {"unit.mixed-name-forms", "DLT1KYO", "The send unit mixes V3 and V4.1 file names."},
        {"unit.companion-missing", "UPKIHON_0",
         "UPKIHON usually travels with UPKIHON_SUB1, which is missing."},
        // The reference month is the main file's (第6表), not the supplement's that sorts first.
        {"unit.month-mismatch", "UPSIKYU",
         "Months differ within the send unit (202505; "
         "UPPLAN_202504_0300000100_43_0300000005_11_20250326100000.CSV has 202504)."},
        {"unit.supplement-form", "UPHOSOKU_202504_0300000100_43_0300000005_11_20250320093000",
         "The supplement's file-name month must be 000000 in this send unit."},
        {"unit.version-mixed", "UP1KYO", "CSV versions differ within the send unit (202407, 202504)."},
        {"unit.key-not-in-parent", "UP2KYO",
         "The user of this row (123456 1234567890 20250321) is not in the unit's UP1KYO."},
        {"unit.supplement-missing-for-user", "UPPLAN",
         "User 123456 2345678901 202504 has no supplement record."},
        {"unit.image-missing", "UPKIHON_0",
         "Family image \"UPKIHON_IMAGE_0300000100_43_0300000005_11_20250305140000_0001.JPG\" is not in the "
         "send unit."},
        {"unit.image-unreferenced", "UPKIHON_IMAGE",
         "Image \"UPKIHON_IMAGE_0300000100_43_0300000005_11_20250305140000_0002.JPG\" is not referenced by "
         "any "
         "basic information record."},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.rule);
        const json* issue = issueOf(en, c.rule, c.file);
        ASSERT_NE(issue, nullptr);
        EXPECT_EQ(issue->at("message"), c.message);
    }
}

TEST(CliMessages, NoPlaceholderIsLeftUnreplaced) {
    test::TempDir dir;
    writeMixedBag(dir);
    for (const char* language : {"ja", "en"}) {
        SCOPED_TRACE(language);
        const auto doc = json::parse(run({dir.path()}, true, language).out);
        for (const auto& [file, issue] : allIssues(doc)) {
            const auto rule = issue->at("rule").get<std::string>();
            for (const char* part : {"message", "hint"}) {
                const auto text = issue->at(part).get<std::string>();
                EXPECT_FALSE(hasPlaceholder(text)) << rule << ": " << text;
            }
            // A rule without a catalogue entry renders as its bare id.
            EXPECT_NE(issue->at("message"), rule);
        }
        for (const auto& unit : doc.at("units")) {
            for (const auto& issue : unit.at("issues"))
                EXPECT_FALSE(hasPlaceholder(issue.at("message").get<std::string>())) << issue;
        }
        const auto text = run({dir.path()}, false, language).out;
        EXPECT_FALSE(hasPlaceholder(text)) << text;
    }
}

// --- human report ------------------------------------------------------------------------------------

TEST(CliText, GroupsFilesBySendUnitInImportOrder) {
    test::TempDir dir;
    writeAll(dir, testdata::sampleMonth());
    const std::string badName = "UP1KYO_0300000100_43_0300000005_11_2025032009300.CSV";
    writeAll(dir, {csv(badName, {testdata::validRecord(FileKind::Up1Kyo)})});
    const std::vector<std::string> importOrder = {"20250305140000", "20250320093000", "20250325100000",
                                                  "20250410120000", "20250502090000"};
    struct Case {
        const char* language;
        std::string unitHeader; // followed by "<n>/5", then the sequence label
        std::string sequenceLabel;
        std::string outsideHeader;
        std::string orderLine;
    };
    const std::vector<Case> cases = {
        {"ja", "送信単位 ", "  連番 ", "送信単位に属さないファイル", "取込順（連番順）: "},
        {"en", "Send unit ", "  sequence ", "Files outside any send unit", "Import order (by sequence): "},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.language);
        const auto r = run({dir.path()}, false, std::string(c.language));
        EXPECT_EQ(r.status, 1);
        const auto& out = r.out;
        std::vector<std::size_t> headers;
        for (std::size_t i = 0; i < importOrder.size(); ++i) {
            const auto header =
                c.unitHeader + std::to_string(i + 1) + "/5" + c.sequenceLabel + importOrder[i] + "  ";
            headers.push_back(out.find(header));
            ASSERT_NE(headers.back(), std::string::npos) << header << "\n" << out;
        }
        const auto outside = out.find(c.outsideHeader);
        ASSERT_NE(outside, std::string::npos) << out;
        headers.push_back(outside);
        EXPECT_TRUE(std::is_sorted(headers.begin(), headers.end()));
        // Each sample file sits under the header of its own unit.
        for (const auto& file : testdata::sampleMonth()) {
            const auto at = out.find("✔ " + file.name + "\n");
            ASSERT_NE(at, std::string::npos) << file.name;
            const auto unit = static_cast<std::size_t>(std::find_if(importOrder.begin(), importOrder.end(),
                                                                    [&](const std::string& seq) {
                                                                        return file.name.find("_" + seq) !=
                                                                               std::string::npos;
                                                                    }) -
                                                       importOrder.begin());
            ASSERT_LT(unit, importOrder.size()) << file.name;
            EXPECT_GT(at, headers[unit]) << file.name;
            EXPECT_LT(at, headers[unit + 1]) << file.name;
        }
        const auto bad = out.find("✘ " + badName + "\n");
        EXPECT_NE(bad, std::string::npos);
        EXPECT_GT(bad, outside);
        std::string order = c.orderLine;
        for (std::size_t i = 0; i < importOrder.size(); ++i)
            order += (i ? " → " : "") + importOrder[i];
        EXPECT_NE(out.find(order + "\n"), std::string::npos) << out;
    }
}

TEST(CliText, NoOutsideSectionWhenEveryFileIsInAUnit) {
    const auto r = run({kSamples});
    EXPECT_EQ(r.out.find("送信単位に属さないファイル"), std::string::npos);
    EXPECT_NE(r.out.find("送信単位 1/"), std::string::npos);
}

// --- command line ------------------------------------------------------------------------------------

TEST(CliParse, ValidateOptions) {
    struct Case {
        const char* commandLine;
        bool ok;
        bool json;
        const char* language;
        std::vector<std::string> paths;
    };
    const std::vector<Case> cases = {
        {"validate a", true, false, "ja", {"a"}},
        {"validate --json --lang en a b/c", true, true, "en", {"a", "b/c"}},
        {"validate --lang fr a", false, false, "", {}},
        {"validate --json", false, false, "", {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.commandLine);
        CLI::App app;
        cli::ValidateOptions options;
        cli::addValidateCommand(app, options);
        if (!c.ok) {
            EXPECT_THROW(app.parse(c.commandLine, false), CLI::ParseError);
            continue;
        }
        ASSERT_NO_THROW(app.parse(c.commandLine, false));
        EXPECT_EQ(options.json, c.json);
        EXPECT_EQ(options.language, c.language);
        EXPECT_EQ(options.paths, c.paths);
    }
}
