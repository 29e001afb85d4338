// The file name is the only place that says what a file is, which month it covers, who sends it to
// whom and which send unit it belongs to: a name parsed wrongly puts good data into the wrong unit.
#include "spec/FileName.h"

#include "spec/Schema.h"

#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

using namespace cplink;
using spec::FileKind;
using spec::NameForm;
using spec::Severity;

namespace {

struct Parsed {
    spec::FileNameResult result;
    spec::FindingSink sink;

    std::vector<std::string> rules() const {
        std::vector<std::string> out;
        for (const auto& f : sink.findings())
            out.push_back(f.rule);
        return out;
    }
    // The single finding expected; a blank one (and a test failure) otherwise.
    const spec::Finding& only() const {
        static const spec::Finding none;
        EXPECT_EQ(sink.findings().size(), 1u);
        return sink.findings().empty() ? none : sink.findings().front();
    }
};

Parsed parse(std::string_view name) {
    Parsed p;
    p.result = spec::parseFileName(name, p.sink);
    return p;
}

std::string argOf(const spec::Finding& f, const std::string& name) {
    const std::string* value = f.arg(name);
    return value ? *value : "<missing>";
}

// The 18 prefixes as printed in the standard (§3.1), written out here rather than taken from the
// code, so a typo in the code's table cannot agree with itself.
struct KindRow {
    const char* prefix;
    FileKind kind;
    bool month;
    bool v3Allowed; // kinds that existed before V4 may still arrive with V3 names
    bool image;
};

constexpr KindRow kKinds[] = {
    {"UPHOSOKU", FileKind::UpHosoku, true, true, false},
    {"UP1KYO", FileKind::Up1Kyo, false, true, false},
    {"DLT1KYO", FileKind::Dlt1Kyo, false, true, false},
    {"UP2KYO", FileKind::Up2Kyo, false, true, false},
    {"UP3KYO", FileKind::Up3Kyo, false, false, false},
    {"UPPLAN", FileKind::UpPlan, true, true, false},
    {"UPJSK", FileKind::UpJsk, true, true, false},
    {"DLTPLAN", FileKind::DltPlan, true, true, false},
    {"DLTJSK", FileKind::DltJsk, true, true, false},
    {"UPSIKYU", FileKind::UpSikyu, true, true, false},
    {"UPKIHON", FileKind::UpKihon, false, false, false},
    {"UPKIHON_SUB1", FileKind::UpKihonSub1, false, false, false},
    {"UPKIHON_SUB2", FileKind::UpKihonSub2, false, false, false},
    {"UPKIHON_IMAGE", FileKind::UpKihonImage, false, false, true},
    {"DLTKIHON", FileKind::DltKihon, false, false, false},
    {"UPYOBO", FileKind::UpYobo, false, false, false},
    {"UPYOBO_SUB", FileKind::UpYoboSub, false, false, false},
    {"DLTYOBO", FileKind::DltYobo, false, false, false},
};

constexpr const char* kSender = "0300000100";
constexpr const char* kRecipient = "0300000005";
constexpr const char* kSequence = "20250320093000";

std::string v41Name(const KindRow& k, const std::string& month = "202504") {
    std::string name = k.prefix;
    if (k.month)
        name += "_" + month;
    name += std::string("_") + kSender + "_43_" + kRecipient + "_11_" + kSequence;
    name += k.image ? "_0001.JPG" : ".CSV";
    return name;
}

std::string v3Name(const KindRow& k, const std::string& month = "202504") {
    std::string name = k.prefix;
    if (k.month)
        name += "_" + month;
    name += std::string("_") + kSender + "_" + kRecipient + "_" + kSequence;
    name += k.image ? "_0001.JPG" : ".CSV";
    return name;
}

} // namespace

TEST(FileName, KindTableCoversAllEighteenKindsOnce) {
    ASSERT_EQ(std::size(kKinds), static_cast<std::size_t>(spec::kFileKindCount));
    for (const auto& k : kKinds) {
        EXPECT_EQ(spec::fileKindId(k.kind), k.prefix);
        EXPECT_EQ(spec::fileKindFromId(k.prefix), k.kind);
        const auto& spec = spec::Schema::instance().kind(k.kind);
        EXPECT_EQ(spec.hasMonth, k.month) << k.prefix;
        EXPECT_EQ(spec.v4Only, !k.v3Allowed) << k.prefix;
        EXPECT_EQ(spec.image, k.image) << k.prefix;
    }
}

TEST(FileName, EveryKindParsesInV41FormWithAllParts) {
    for (const auto& k : kKinds) {
        const std::string name = v41Name(k);
        SCOPED_TRACE(name);
        const Parsed p = parse(name);
        EXPECT_EQ(p.rules(), std::vector<std::string>{});
        ASSERT_TRUE(p.result.name.has_value());
        const auto& n = *p.result.name;
        EXPECT_EQ(p.result.kind, k.kind);
        EXPECT_EQ(p.result.form, NameForm::V41);
        EXPECT_EQ(n.kind, k.kind);
        EXPECT_EQ(n.form, NameForm::V41);
        EXPECT_EQ(n.month, k.month ? "202504" : "");
        EXPECT_EQ(n.sender.str(), kSender);
        EXPECT_EQ(n.senderService, "43");
        EXPECT_EQ(n.recipient.str(), kRecipient);
        EXPECT_EQ(n.recipientService, "11");
        EXPECT_EQ(n.sequence, kSequence);
        EXPECT_EQ(n.imageBranch, k.image ? std::optional<int>(1) : std::nullopt);
        EXPECT_EQ(n.unitKey(), std::string(kSender) + "_43_" + kRecipient + "_11_" + kSequence);
    }
}

TEST(FileName, KindsOlderThanV4AlsoParseInV3FormWithoutServiceKinds) {
    for (const auto& k : kKinds) {
        if (!k.v3Allowed)
            continue;
        const std::string name = v3Name(k);
        SCOPED_TRACE(name);
        const Parsed p = parse(name);
        EXPECT_EQ(p.rules(), std::vector<std::string>{});
        ASSERT_TRUE(p.result.name.has_value());
        const auto& n = *p.result.name;
        EXPECT_EQ(n.kind, k.kind);
        EXPECT_EQ(n.form, NameForm::V3);
        EXPECT_EQ(n.month, k.month ? "202504" : "");
        EXPECT_EQ(n.sender.str(), kSender);
        EXPECT_EQ(n.senderService, "");
        EXPECT_EQ(n.recipient.str(), kRecipient);
        EXPECT_EQ(n.recipientService, "");
        EXPECT_EQ(n.sequence, kSequence);
    }
}

TEST(FileName, KindsNewInV4RejectTheV3Form) {
    for (const auto& k : kKinds) {
        if (k.v3Allowed)
            continue;
        const std::string name = v3Name(k);
        SCOPED_TRACE(name);
        const Parsed p = parse(name);
        ASSERT_EQ(p.rules(), std::vector<std::string>{"filename.v3-form-for-v4-kind"});
        // The kind and form are still known, so the rest of the file can be checked as that kind.
        EXPECT_EQ(p.result.kind, k.kind);
        EXPECT_EQ(p.result.form, NameForm::V3);
        EXPECT_FALSE(p.result.name.has_value());
        EXPECT_EQ(argOf(p.only(), "kind"), k.prefix);
        EXPECT_EQ(argOf(p.only(), "expected").rfind(std::string(k.prefix) + "_", 0), 0u);
    }
}

TEST(FileName, LongerPrefixesWinOverTheirShorterStems) {
    const struct {
        const char* name;
        FileKind kind;
    } cases[] = {
        {"UPKIHON_0300000100_43_0300000005_11_20250320093000.CSV", FileKind::UpKihon},
        {"UPKIHON_SUB1_0300000100_43_0300000005_11_20250320093000.CSV", FileKind::UpKihonSub1},
        {"UPKIHON_SUB2_0300000100_43_0300000005_11_20250320093000.CSV", FileKind::UpKihonSub2},
        {"UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0002.JPG", FileKind::UpKihonImage},
        {"UPYOBO_0300000100_43_0300000005_11_20250320093000.CSV", FileKind::UpYobo},
        {"UPYOBO_SUB_0300000100_43_0300000005_11_20250320093000.CSV", FileKind::UpYoboSub},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const Parsed p = parse(c.name);
        EXPECT_EQ(p.rules(), std::vector<std::string>{});
        EXPECT_EQ(p.result.kind, c.kind);
        ASSERT_TRUE(p.result.name.has_value());
        EXPECT_EQ(p.result.name->sender.str(), "0300000100");
    }
}

TEST(FileName, AnUnknownSuffixAfterAKnownStemIsNotTakenForTheLongerKind) {
    const Parsed p = parse("UPKIHON_SUB3_0300000100_43_0300000005_11_20250320093000.CSV");
    EXPECT_NE(p.result.kind, FileKind::UpKihonSub1);
    EXPECT_NE(p.result.kind, FileKind::UpKihonSub2);
    EXPECT_FALSE(p.result.name.has_value());
    EXPECT_FALSE(p.rules().empty());
}

TEST(FileName, TheStandardsOwnExampleNamesParse) {
    // SPEC.md §3.1 and §3.2, the names printed in the standard.
    const struct {
        const char* name;
        FileKind kind;
        NameForm form;
        const char* month;
        const char* sender;
        const char* recipient;
    } examples[] = {
        {"UPHOSOKU_000000_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpHosoku, NameForm::V41,
         "000000", "0300000100", "0300000005"},
        {"UPHOSOKU_201909_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpHosoku, NameForm::V41,
         "201909", "0300000100", "0300000005"},
        {"UP1KYO_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::Up1Kyo, NameForm::V41, "",
         "0300000100", "0300000005"},
        {"UPPLAN_201912_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpPlan, NameForm::V41,
         "201912", "0300000100", "0300000005"},
        {"UPJSK_201912_0300000005_43_0300000100_11_20191025200201.CSV", FileKind::UpJsk, NameForm::V41,
         "201912", "0300000005", "0300000100"},
        {"UPKIHON_0300000100_43_0300000005_11_20191025200201.CSV", FileKind::UpKihon, NameForm::V41, "",
         "0300000100", "0300000005"},
        {"UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0001.JPG", FileKind::UpKihonImage,
         NameForm::V41, "", "0300000100", "0300000005"},
        // The convention in the standard writes the image extension in lower case.
        {"UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0001.jpg", FileKind::UpKihonImage,
         NameForm::V41, "", "0300000100", "0300000005"},
        {"UPPLAN_201912_0300000100_0300000005_20191025200201.CSV", FileKind::UpPlan, NameForm::V3, "201912",
         "0300000100", "0300000005"},
        {"UPJSK_201912_0300000005_0300000100_20191025200201.CSV", FileKind::UpJsk, NameForm::V3, "201912",
         "0300000005", "0300000100"},
        {"UPHOSOKU_000000_0300000100_0300000005_20191025200201.CSV", FileKind::UpHosoku, NameForm::V3,
         "000000", "0300000100", "0300000005"},
    };
    for (const auto& e : examples) {
        SCOPED_TRACE(e.name);
        const Parsed p = parse(e.name);
        EXPECT_EQ(p.rules(), std::vector<std::string>{});
        ASSERT_TRUE(p.result.name.has_value());
        EXPECT_EQ(p.result.name->kind, e.kind);
        EXPECT_EQ(p.result.name->form, e.form);
        EXPECT_EQ(p.result.name->month, e.month);
        EXPECT_EQ(p.result.name->sender.str(), e.sender);
        EXPECT_EQ(p.result.name->recipient.str(), e.recipient);
        EXPECT_EQ(p.result.name->sequence, "20191025200201");
    }
}

TEST(FileName, TheStandardsMisprintedExampleWithMonthAndNineDigitOfficeIsRejected) {
    // SPEC.md §3.1: the body text of 3.4 shows UPKIHON with a month part and a 9-digit office number,
    // contradicting the layout document; a file named that way must not pass.
    const Parsed p = parse("UPKIHON_000000_123456789_43_0300000005_11_20191025200201.CSV");
    EXPECT_EQ(p.rules(), std::vector<std::string>{"filename.syntax"});
    EXPECT_EQ(p.result.kind, FileKind::UpKihon);
    EXPECT_FALSE(p.result.name.has_value());
}

// One row per problem: a name that breaks exactly one rule, and the nearest name that passes.
struct RuleCase {
    const char* rule;
    Severity severity;
    const char* failing;
    const char* passing;
};

constexpr RuleCase kRuleCases[] = {
    {"filename.unknown-kind", Severity::Error,
     "UPPLANX_202504_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.unknown-kind", Severity::Error, "upplan_202504_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.unknown-kind", Severity::Error,
     "UPSHIKYU_202504_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPSIKYU_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.unknown-kind", Severity::Error, "UPPLAN.CSV",
     "UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.unknown-kind", Severity::Error, "", "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.extension", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320093000.TXT",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.extension", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320093000",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.extension", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320093000.JPG",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.extension", Severity::Error,
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.PNG",
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.JPEG"},
    {"filename.extension", Severity::Error,
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.CSV",
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.jpeg"},
    {"filename.extension-case", Severity::Warning, "UP2KYO_0300000100_43_0300000005_11_20250320093000.csv",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.extension-case", Severity::Warning, "UP2KYO_0300000100_43_0300000005_11_20250320093000.Csv",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.syntax", Severity::Error, "UPPLAN_202504_0300000100_43_0300000005_20250320093000.CSV",
     "UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.syntax", Severity::Error, "UPPLAN_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.syntax", Severity::Error, "UP2KYO_202504_0300000100_43_0300000005_11_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.syntax", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320093000_X.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.syntax", Severity::Error, "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000.JPG",
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.JPG"},
    {"filename.syntax", Severity::Error, "UP2KYO_.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.v3-form-for-v4-kind", Severity::Error, "UP3KYO_0300000100_0300000005_20250320093000.CSV",
     "UP3KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.month", Severity::Error, "UPPLAN_202513_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPPLAN_202512_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.month", Severity::Error, "UPPLAN_202500_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPPLAN_202501_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.month", Severity::Error, "UPSIKYU_000000_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPSIKYU_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.month", Severity::Error, "DLTPLAN_2025041_0300000100_43_0300000005_11_20250320093000.CSV",
     "DLTPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.month", Severity::Error, "UPHOSOKU_000001_0300000100_43_0300000005_11_20250320093000.CSV",
     "UPHOSOKU_000000_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.office-number", Severity::Error, "UP2KYO_030000010_43_0300000005_11_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.office-number", Severity::Error, "UP2KYO_0300000100_43_03000000A5_11_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.office-number", Severity::Error, "UP2KYO_03000001000_0300000005_20250320093000.CSV",
     "UP2KYO_0300000100_0300000005_20250320093000.CSV"},
    {"filename.service-kind", Severity::Error, "UP2KYO_0300000100_4_0300000005_11_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.service-kind", Severity::Error, "UP2KYO_0300000100_43_0300000005_111_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.service-kind", Severity::Error, "UP2KYO_0300000100_43_0300000005_2a_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_2A_20250320093000.CSV"},
    {"filename.service-kind-unknown", Severity::Warning,
     "UP2KYO_0300000100_43_0300000005_99_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000005_A1_20250320093000.CSV"},
    {"filename.service-kind-unknown", Severity::Warning,
     "UP2KYO_0300000100_ZZ_0300000005_11_20250320093000.CSV",
     "UP2KYO_0300000100_46_0300000005_11_20250320093000.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250230093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250228093000.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250229093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20240229093000.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250431093000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250430093000.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320250000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320235959.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320096000.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320095900.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_20250320093060.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320000000.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_2025032009300.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.sequence", Severity::Error, "UP2KYO_0300000100_43_0300000005_11_2025-03-20T0930.CSV",
     "UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV"},
    {"filename.image-branch", Severity::Error,
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_001.JPG",
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0010.JPG"},
    {"filename.image-branch", Severity::Error,
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_00001.JPG",
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_9999.JPG"},
    {"filename.image-branch", Severity::Error,
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_000A.JPG",
     "UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.JPG"},
    {"filename.same-office", Severity::Warning, "UP2KYO_0300000100_43_0300000100_11_20250320093000.CSV",
     "UP2KYO_0300000100_43_0300000101_11_20250320093000.CSV"},
};

TEST(FileName, EachRuleHasAMinimalFailingNameAndAPassingNeighbour) {
    for (const auto& c : kRuleCases) {
        SCOPED_TRACE(std::string(c.rule) + " failing: " + c.failing);
        const Parsed bad = parse(c.failing);
        ASSERT_EQ(bad.rules(), std::vector<std::string>{c.rule});
        EXPECT_EQ(bad.only().severity, c.severity);
        // Errors leave no usable name; warnings describe a name that is still fully understood.
        EXPECT_EQ(bad.result.name.has_value(), c.severity == Severity::Warning);

        SCOPED_TRACE(std::string("passing: ") + c.passing);
        const Parsed good = parse(c.passing);
        EXPECT_EQ(good.rules(), std::vector<std::string>{});
        EXPECT_TRUE(good.result.name.has_value());
    }
}

TEST(FileName, ZeroMonthIsOnlyForTheSupplement) {
    // 000000 marks a UPHOSOKU that belongs to a plan (第1表・第2表) rather than to a month.
    for (const auto& k : kKinds) {
        if (!k.month)
            continue;
        SCOPED_TRACE(k.prefix);
        const Parsed p = parse(v41Name(k, "000000"));
        if (k.kind == FileKind::UpHosoku) {
            EXPECT_EQ(p.rules(), std::vector<std::string>{});
            ASSERT_TRUE(p.result.name.has_value());
            EXPECT_EQ(p.result.name->month, "000000");
        } else {
            ASSERT_EQ(p.rules(), std::vector<std::string>{"filename.month"});
            EXPECT_EQ(argOf(p.only(), "value"), "000000");
            EXPECT_EQ(argOf(p.only(), "zeroAllowed"), "0");
        }
    }
    const Parsed supplement = parse("UPHOSOKU_202413_0300000100_43_0300000005_11_20250320093000.CSV");
    ASSERT_EQ(supplement.rules(), std::vector<std::string>{"filename.month"});
    EXPECT_EQ(argOf(supplement.only(), "zeroAllowed"), "1");
}

TEST(FileName, MonthMustBeAPlausibleYearAndMonth) {
    const struct {
        const char* month;
        bool valid;
    } cases[] = {{"190001", true},  {"209912", true}, {"189912", false}, {"210001", false},
                 {"2025O4", false}, {"20254", false}, {"2025041", false}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.month);
        const Parsed p = parse(v41Name(kKinds[5], c.month)); // UPPLAN
        EXPECT_EQ(p.result.name.has_value(), c.valid);
        EXPECT_EQ(p.rules().empty(), c.valid);
    }
}

TEST(FileName, OfficeNumberFindingsNameTheRoleAndValue) {
    const Parsed sender = parse("UP2KYO_030000010_43_0300000005_11_20250320093000.CSV");
    ASSERT_EQ(sender.rules(), std::vector<std::string>{"filename.office-number"});
    EXPECT_EQ(argOf(sender.only(), "role"), "sender");
    EXPECT_EQ(argOf(sender.only(), "value"), "030000010");

    const Parsed recipient = parse("UP2KYO_0300000100_43_０３００００００05_11_20250320093000.CSV");
    ASSERT_EQ(recipient.rules(), std::vector<std::string>{"filename.office-number"});
    EXPECT_EQ(argOf(recipient.only(), "role"), "recipient");
}

TEST(FileName, ServiceKindFindingsNameTheRole) {
    const Parsed sender = parse("UP2KYO_0300000100_4_0300000005_11_20250320093000.CSV");
    ASSERT_EQ(sender.rules(), std::vector<std::string>{"filename.service-kind"});
    EXPECT_EQ(argOf(sender.only(), "role"), "sender");

    const Parsed unknown = parse("UP2KYO_0300000100_43_0300000005_99_20250320093000.CSV");
    ASSERT_EQ(unknown.rules(), std::vector<std::string>{"filename.service-kind-unknown"});
    EXPECT_EQ(argOf(unknown.only(), "role"), "recipient");
    EXPECT_EQ(argOf(unknown.only(), "value"), "99");
    EXPECT_EQ(unknown.result.name->recipientService, "99");
}

TEST(FileName, ServiceKindsOfEveryListInTheStandardAreKnown) {
    // Care management (43, 46), in-scope and out-of-scope kinds are all real service kinds; none of
    // them may draw the "unknown" warning.
    for (const char* kind : {"43", "46", "11", "17", "2A", "2B", "67", "A1", "A8", "33", "81"}) {
        SCOPED_TRACE(kind);
        const Parsed p =
            parse(std::string("UP2KYO_0300000100_43_0300000005_") + kind + "_20250320093000.CSV");
        EXPECT_EQ(p.rules(), std::vector<std::string>{});
    }
}

TEST(FileName, SequenceFindingCarriesTheValue) {
    const Parsed p = parse("UP2KYO_0300000100_43_0300000005_11_20250230093000.CSV");
    ASSERT_EQ(p.rules(), std::vector<std::string>{"filename.sequence"});
    EXPECT_EQ(argOf(p.only(), "value"), "20250230093000");
}

TEST(FileName, ImageBranchIsReadAsANumber) {
    const Parsed p = parse("UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0123.JPG");
    ASSERT_TRUE(p.result.name.has_value());
    EXPECT_EQ(p.result.name->imageBranch, 123);
    EXPECT_EQ(p.result.name->sequence, "20250320093000");
}

TEST(FileName, ExtensionFindingsSayWhatWasExpected) {
    const Parsed csv = parse("UP2KYO_0300000100_43_0300000005_11_20250320093000.TXT");
    ASSERT_EQ(csv.rules(), std::vector<std::string>{"filename.extension"});
    EXPECT_EQ(argOf(csv.only(), "value"), "TXT");
    EXPECT_EQ(argOf(csv.only(), "expected"), ".CSV");

    const Parsed image = parse("UPKIHON_IMAGE_0300000100_43_0300000005_11_20250320093000_0001.PNG");
    ASSERT_EQ(image.rules(), std::vector<std::string>{"filename.extension"});
    EXPECT_EQ(argOf(image.only(), "expected"), ".JPG");
}

TEST(FileName, ALowerCaseExtensionStillYieldsTheFullName) {
    const Parsed p = parse("UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.csv");
    ASSERT_EQ(p.rules(), std::vector<std::string>{"filename.extension-case"});
    ASSERT_TRUE(p.result.name.has_value());
    EXPECT_EQ(p.result.name->month, "202504");
    EXPECT_EQ(p.result.name->sequence, "20250320093000");
}

TEST(FileName, SyntaxFindingShowsTheV41Pattern) {
    const Parsed p = parse("UPPLAN_202504_0300000100_43_0300000005_20250320093000.CSV");
    ASSERT_EQ(p.rules(), std::vector<std::string>{"filename.syntax"});
    EXPECT_EQ(p.result.kind, FileKind::UpPlan);
    EXPECT_FALSE(p.result.form.has_value());
    EXPECT_EQ(argOf(p.only(), "value"), "UPPLAN_202504_0300000100_43_0300000005_20250320093000.CSV");
    EXPECT_EQ(argOf(p.only(), "expected").rfind("UPPLAN_YYYYMM_", 0), 0u);
}

TEST(FileName, EveryBrokenPartIsReportedNotJustTheFirst) {
    // A user fixing a name by hand should see all of its problems at once.
    const Parsed p = parse("UPPLAN_202513_030000010_4_03000000A5_111_20250230250000.csv");
    EXPECT_EQ(p.rules(),
              (std::vector<std::string>{"filename.extension-case", "filename.month", "filename.office-number",
                                        "filename.service-kind", "filename.office-number",
                                        "filename.service-kind", "filename.sequence"}));
    EXPECT_FALSE(p.result.name.has_value());
}

TEST(FileName, SameOfficeIsWarnedOnlyWhenTheNameIsOtherwiseValid) {
    const Parsed same = parse("UP2KYO_0300000100_43_0300000100_11_20250320093000.CSV");
    ASSERT_EQ(same.rules(), std::vector<std::string>{"filename.same-office"});
    EXPECT_EQ(argOf(same.only(), "value"), "0300000100");
    ASSERT_TRUE(same.result.name.has_value());
    EXPECT_EQ(same.result.name->sender, same.result.name->recipient);

    // Once the name is broken elsewhere there is no name to compare parties of.
    const Parsed broken = parse("UP2KYO_0300000100_43_0300000100_11_20250230093000.CSV");
    EXPECT_EQ(broken.rules(), std::vector<std::string>{"filename.sequence"});
}

TEST(FileName, FilesOfOneSendUnitShareTheUnitKey) {
    const Parsed plan = parse("UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV");
    const Parsed annex = parse("UPSIKYU_202504_0300000100_43_0300000005_11_20250320093000.CSV");
    const Parsed other = parse("UPPLAN_202504_0300000100_43_0300000005_11_20250320093001.CSV");
    const Parsed otherRecipient = parse("UPPLAN_202504_0300000100_43_0300000007_17_20250320093000.CSV");
    ASSERT_TRUE(plan.result.name && annex.result.name && other.result.name && otherRecipient.result.name);
    EXPECT_EQ(plan.result.name->unitKey(), annex.result.name->unitKey());
    EXPECT_NE(plan.result.name->unitKey(), other.result.name->unitKey());
    EXPECT_NE(plan.result.name->unitKey(), otherRecipient.result.name->unitKey());
}
