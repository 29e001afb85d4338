// The standard requires MS932 (Windows-31J) and forbids 外字. Receivers run Windows software, so the
// validator must judge bytes exactly as Windows does, and must tell a user who exported UTF-8 or
// UTF-16 what happened instead of burying them in thousands of mojibake findings.
#include "SampleData.h"
#include "TestSupport.h"
#include "spec/CsvReader.h"
#include "spec/Ms932.h"
#include "spec/Validator.h"

#include <gtest/gtest.h>
#include <initializer_list>
#include <optional>
#include <string>
#include <unicode/ustring.h>
#include <vector>

using namespace cplink;
using spec::EncodingProblem;
using spec::FileKind;
using spec::Ms932;

namespace {

std::string raw(std::initializer_list<int> bytes) {
    std::string out;
    for (int b : bytes)
        out += static_cast<char>(b);
    return out;
}

const std::string kName = testdata::fileName(FileKind::Up1Kyo);

// Field No.8 of UP1KYO is free text: any MS932 character is allowed there, so whatever the bytes
// placed in it draw is purely an encoding finding.
constexpr std::size_t kTextIndex = 7;

// A valid UP1KYO line (MS932, no line break) whose free-text field No.8 holds `text` as raw bytes
// between its quotes; `column` receives the 1-based byte column of the first byte of `text`.
std::string up1kyoLine(std::string_view text, std::uint64_t* column = nullptr) {
    auto fields = testdata::validRecord(FileKind::Up1Kyo);
    fields[kTextIndex] = "\"@\"";
    std::string line = testdata::sjis(testdata::joinRecord(fields));
    const auto marker = line.find('@');
    line.replace(marker, 1, text);
    if (column)
        *column = marker + 1;
    return line;
}

std::string up1kyoFile(std::string_view text, std::uint64_t* column = nullptr) {
    return up1kyoLine(text, column) + "\r\n";
}

// A UP1KYO record whose free texts are all written with `text`, as UTF-8.
std::string up1kyoUtf8(const std::string& text) {
    auto fields = testdata::validRecord(FileKind::Up1Kyo);
    for (auto& f : fields) {
        if (!f.empty() && f.front() == '"')
            f = "\"" + text + "\"";
    }
    return testdata::joinRecord(fields) + "\r\n";
}

std::string hexOf(std::string_view bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += digits[b >> 4];
        out += digits[b & 15];
        out += ' ';
    }
    return out;
}

std::string argOf(const spec::Finding& f, const std::string& name) {
    const std::string* value = f.arg(name);
    return value ? *value : "<missing>";
}

std::vector<std::string> rulesOf(const spec::FindingSink& sink) {
    std::vector<std::string> out;
    for (const auto& f : sink.findings())
        out.push_back(f.rule);
    return out;
}

// Reads bytes with the CSV reader alone; `finish` runs the end-of-file judgements (UTF-8).
spec::FindingSink readAll(std::string_view bytes, bool finish = true, std::size_t perRuleLimit = 100) {
    spec::FindingSink sink(perRuleLimit);
    spec::MemorySource source(bytes);
    spec::CsvReader reader(source, sink);
    spec::CsvRecord record;
    while (reader.next(record)) {
    }
    if (finish)
        reader.finish();
    return sink;
}

// UTF-16 code units of UTF-8 text, serialised in the given byte order.
std::string utf16(std::string_view utf8, bool bigEndian, bool bom) {
    std::vector<UChar> units(utf8.size() + 1);
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(units.data(), static_cast<int32_t>(units.size()), &length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    EXPECT_TRUE(U_SUCCESS(status));
    std::string out;
    auto put = [&](UChar u) {
        const auto hi = static_cast<char>(u >> 8);
        const auto lo = static_cast<char>(u & 0xFF);
        out += bigEndian ? hi : lo;
        out += bigEndian ? lo : hi;
    };
    if (bom)
        put(0xFEFF);
    for (int32_t i = 0; i < length; ++i)
        put(units[static_cast<std::size_t>(i)]);
    return out;
}

} // namespace

// --- Windows semantics -------------------------------------------------------------------------

TEST(Encoding, CharactersMapBothWaysAsOnWindows) {
    // Each pair is where Windows-31J differs from JIS Shift_JIS or where a Japanese decoder most
    // often goes wrong: 0x5C is a backslash (not ¥), 0x8160 is U+FF5E (not U+301C), NEC and IBM rows.
    const struct {
        const char* utf8;
        std::string ms932;
    } cases[] = {
        {"\\", raw({0x5C})},       {"~", raw({0x7E})},        {"～", raw({0x81, 0x60})},
        {"－", raw({0x81, 0x7C})}, {"∥", raw({0x81, 0x61})},  {"￢", raw({0x81, 0xCA})},
        {"①", raw({0x87, 0x40})},  {"⑳", raw({0x87, 0x53})},  {"㈱", raw({0x87, 0x8A})},
        {"№", raw({0x87, 0x82})},  {"髙", raw({0xFB, 0xFC})}, {"ⅰ", raw({0xFA, 0x40})},
        {"纊", raw({0xFA, 0x5C})}, {"黑", raw({0xFC, 0x4B})}, {"ｱ", raw({0xB1})},
        {"ﾟ", raw({0xDF})},        {"あ", raw({0x82, 0xA0})}, {"漢", raw({0x8A, 0xBF})},
        {"表", raw({0x95, 0x5C})}, {"ソ", raw({0x83, 0x5C})}, {"　", raw({0x81, 0x40})},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.utf8);
        EXPECT_EQ(spec::utf8ToMs932(c.utf8), c.ms932);
        EXPECT_EQ(spec::ms932ToUtf8(c.ms932), c.utf8);
        EXPECT_EQ(spec::firstMs932Error(c.ms932), std::nullopt);
    }
}

TEST(Encoding, NecAndIbmExtensionRowsAreValidCharacters) {
    // The same kanji exist twice (NEC-selected IBM rows 0xED/0xEE and IBM rows 0xFA-0xFC);
    // Windows decodes both, and real 介護 data contains both.
    const struct {
        std::string ms932;
        const char* utf8;
    } cases[] = {
        {raw({0x87, 0x54}), "Ⅰ"},  {raw({0xED, 0x40}), "纊"}, {raw({0xEE, 0xEF}), "ⅰ"},
        {raw({0xEE, 0xFC}), "＂"}, {raw({0xFA, 0x40}), "ⅰ"},  {raw({0xFC, 0x4B}), "黑"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.utf8);
        EXPECT_EQ(spec::ms932ToUtf8(c.ms932), c.utf8);
        EXPECT_EQ(spec::firstMs932Error(c.ms932), std::nullopt);
        const auto report = test::validateRaw(kName, up1kyoFile(c.ms932));
        EXPECT_EQ(test::rules(report), std::vector<std::string>{});
    }
}

TEST(Encoding, TextWithWindowsOnlyCharactersValidatesClean) {
    const auto report = test::validate(kName, testdata::toCsv({[] {
                                           auto f = testdata::validRecord(FileKind::Up1Kyo);
                                           f[kTextIndex] = "\"髙橋　①～③ ㈱ｻｸﾗ C:\\temp －∥￢ 纊\"";
                                           return f;
                                       }()}));
    EXPECT_EQ(test::rules(report), std::vector<std::string>{});
}

TEST(Encoding, CharactersWithoutAWindowsFormAreNotEncoded) {
    // ¥ has no MS932 byte (0x5C is the backslash) and U+301C is not what 0x8160 means on Windows.
    for (const char* text : {"¥", "〜", "鷗", "𠮷", "🙂", "\xFF"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(spec::utf8ToMs932(text), std::nullopt);
    }
}

TEST(Encoding, ByteClassesFollowTheWindowsTable) {
    const Ms932& table = Ms932::table();
    for (int b = 0; b < 256; ++b) {
        SCOPED_TRACE(b);
        Ms932::Byte expected;
        if (b == 0x09 || (b >= 0x20 && b <= 0x7E))
            expected = Ms932::Byte::Ascii;
        else if (b < 0x20 || b == 0x7F)
            expected = Ms932::Byte::Control;
        else if ((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC))
            expected = Ms932::Byte::Lead;
        else if (b >= 0xA1 && b <= 0xDF)
            expected = Ms932::Byte::Kana;
        else
            expected = Ms932::Byte::Invalid; // 0x80, 0xA0, 0xFD-0xFF
        EXPECT_EQ(table.byteClass(static_cast<std::uint8_t>(b)), expected);
    }
}

TEST(Encoding, UserDefinedAreaIsExactlyRowsF0ToF9) {
    const Ms932& table = Ms932::table();
    for (int lead = 0x81; lead <= 0xFC; ++lead) {
        if (table.byteClass(static_cast<std::uint8_t>(lead)) != Ms932::Byte::Lead)
            continue;
        for (int trail = 0x40; trail <= 0xFC; ++trail) {
            if (trail == 0x7F)
                continue;
            const auto pair = table.pair(static_cast<std::uint8_t>(lead), static_cast<std::uint8_t>(trail));
            const bool userArea = lead >= 0xF0 && lead <= 0xF9;
            if (userArea)
                EXPECT_EQ(pair, Ms932::Pair::Gaiji) << std::hex << lead << " " << trail;
            else
                EXPECT_NE(pair, Ms932::Pair::Gaiji) << std::hex << lead << " " << trail;
        }
    }
}

TEST(Encoding, TrailBytesOutsideTheTrailRangeNeverFormACharacter) {
    const Ms932& table = Ms932::table();
    for (int lead : {0x81, 0x82, 0x88, 0x9F, 0xE0, 0xEA, 0xED, 0xFA, 0xFC}) {
        for (int trail = 0; trail < 256; ++trail) {
            if (trail >= 0x40 && trail <= 0xFC && trail != 0x7F)
                continue;
            EXPECT_EQ(table.pair(static_cast<std::uint8_t>(lead), static_cast<std::uint8_t>(trail)),
                      Ms932::Pair::Invalid)
                << std::hex << lead << " " << trail;
        }
    }
}

TEST(Encoding, RowsWindowsLeavesEmptyHaveNoValidCharacter) {
    // Rows 9-12 (0x85, 0x86), 85-88 (0xEB, 0xEC) and 94 (0xEF) are unassigned in Windows-31J;
    // 0xFC ends after 0xFC4B.
    const Ms932& table = Ms932::table();
    for (int lead : {0x85, 0x86, 0xEB, 0xEC, 0xEF}) {
        for (int trail = 0x40; trail <= 0xFC; ++trail)
            EXPECT_EQ(table.pair(static_cast<std::uint8_t>(lead), static_cast<std::uint8_t>(trail)),
                      Ms932::Pair::Invalid)
                << std::hex << lead << " " << trail;
    }
    EXPECT_EQ(table.pair(0xFC, 0x4B), Ms932::Pair::Valid);
    EXPECT_EQ(table.pair(0xFC, 0x4C), Ms932::Pair::Invalid);
}

// --- one row per encoding rule -----------------------------------------------------------------

struct ByteCase {
    const char* rule;
    std::string bad;    // bytes placed after "ab" inside the free text
    std::string good;   // the nearest bytes that pass
    const char* byte;   // the finding's "byte" argument
    std::size_t offset; // where in `bad` the reported character starts
};

TEST(Encoding, EachByteRuleHasAMinimalFailingFileAndAPassingOne) {
    const ByteCase cases[] = {
        {"encoding.invalid-byte", raw({0x80}), raw({0x82, 0xA0}), "0x80", 0},
        {"encoding.invalid-byte", raw({0xA0}), raw({0xA1}), "0xA0", 0},
        {"encoding.invalid-byte", raw({0xFD}), raw({0xFB, 0xFC}), "0xFD", 0},
        {"encoding.invalid-byte", raw({0xFE}), raw({0x41}), "0xFE", 0},
        {"encoding.invalid-byte", raw({0xFF}), raw({0x41}), "0xFF", 0},
        {"encoding.invalid-byte", "x" + raw({0x80}) + "y", "xzy", "0x80", 1},
        {"encoding.invalid-sequence", raw({0x85, 0x40}), raw({0x87, 0x40}), "0x85 0x40", 0},
        {"encoding.invalid-sequence", raw({0x82, 0xFD}), raw({0x82, 0xF1}), "0x82 0xFD", 0},
        {"encoding.invalid-sequence", raw({0x82, 0x20}), raw({0x82, 0xA0, 0x20}), "0x82 0x20", 0},
        {"encoding.invalid-sequence", raw({0xFC, 0x4C}), raw({0xFC, 0x4B}), "0xFC 0x4C", 0},
        // A lead byte right before the closing quote must not swallow the quote.
        {"encoding.invalid-sequence", raw({0x82}), raw({0x82, 0xA0}), "0x82 0x22", 0},
        {"encoding.gaiji", raw({0xF0, 0x40}), raw({0xED, 0x40}), "0xF040", 0},
        {"encoding.gaiji", raw({0xF9, 0xFC}), raw({0xFA, 0x40}), "0xF9FC", 0},
        {"encoding.gaiji", "x" + raw({0xF5, 0x9F}), "x" + raw({0x95, 0x9F}), "0xF59F", 1},
        {"encoding.control-char", raw({0x01}), raw({0x09}), "0x01", 0},
        {"encoding.control-char", raw({0x1B}), raw({0x20}), "0x1B", 0},
        {"encoding.control-char", raw({0x1F}), raw({0x20}), "0x1F", 0},
        {"encoding.control-char", raw({0x7F}), raw({0x7E}), "0x7F", 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.rule) + " bad bytes " + hexOf(c.bad));
        std::uint64_t column = 0;
        const auto bad = test::validateRaw(kName, up1kyoFile("ab" + c.bad, &column));
        ASSERT_EQ(test::rules(bad), std::vector<std::string>{c.rule});
        const auto& f = bad.findings.findings().front();
        EXPECT_EQ(f.severity, spec::Severity::Error);
        EXPECT_EQ(f.line, 1u);
        EXPECT_EQ(f.column, column + 2 + c.offset);
        EXPECT_EQ(argOf(f, "byte"), c.byte);
        // Encoding findings never stop the file: the record was still read and checked.
        EXPECT_EQ(bad.records, 1u);

        SCOPED_TRACE("good bytes " + hexOf(c.good));
        const auto good = test::validateRaw(kName, up1kyoFile("ab" + c.good));
        EXPECT_EQ(test::rules(good), std::vector<std::string>{});
    }
}

TEST(Encoding, ALoneLeadByteAtTheEndOfTheFileIsReportedAsTruncated) {
    const std::string bytes = "1,ab\r\n2,cd" + raw({0x82});
    const auto sink = readAll(bytes);
    ASSERT_EQ(rulesOf(sink), std::vector<std::string>{"encoding.truncated"});
    const auto& f = sink.findings().front();
    EXPECT_EQ(f.line, 2u);
    EXPECT_EQ(f.column, 5u);
    EXPECT_EQ(argOf(f, "byte"), "0x82");

    EXPECT_EQ(rulesOf(readAll("1,ab\r\n2,cd" + raw({0x82, 0xA0}))), std::vector<std::string>{});
}

TEST(Encoding, TruncatedIsReportedThroughTheValidatorAtTheExactPlace) {
    // A file cut off in the middle of its last character: the last free text loses its closing
    // quote too, but the cut character itself must be named.
    std::uint64_t column = 0;
    const std::string line = up1kyoLine("ab", &column);
    const std::string cut = line.substr(0, column + 1) + raw({0x88});
    const auto report = test::validateRaw(kName, cut);
    const spec::Finding* f = test::findRule(report, "encoding.truncated");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->line, 1u);
    EXPECT_EQ(f->column, column + 2);
    EXPECT_EQ(argOf(*f, "byte"), "0x88");
}

TEST(Encoding, EveryBadCharacterOfALineIsReportedAtItsOwnColumn) {
    std::uint64_t column = 0;
    const std::string text = raw({0x80}) + "a" + raw({0xF0, 0x40}) + raw({0x82, 0xA0}) + raw({0x01});
    const auto report = test::validateRaw(kName, up1kyoFile(text, &column));
    ASSERT_EQ(test::rules(report),
              (std::vector<std::string>{"encoding.invalid-byte", "encoding.gaiji", "encoding.control-char"}));
    const auto& f = report.findings.findings();
    EXPECT_EQ(f[0].column, column);
    EXPECT_EQ(f[1].column, column + 2);
    EXPECT_EQ(f[2].column, column + 6);
}

TEST(Encoding, LineAndColumnArePhysicalEvenInsideMultiLineText) {
    // Free text keeps its line breaks: a bad byte on the third physical line of a record is
    // reported there, counted from that line's start, so an editor's cursor lands on it.
    const std::string text = "first\r\nsecond\nab" + raw({0x80});
    const auto report = test::validateRaw(kName, up1kyoFile(text));
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"encoding.invalid-byte"});
    EXPECT_EQ(report.findings.findings()[0].line, 3u);
    EXPECT_EQ(report.findings.findings()[0].column, 3u);

    // The next record starts on line 4; its own bad byte is reported there.
    std::uint64_t column = 0;
    const std::string file = up1kyoFile(text) + up1kyoFile(raw({0xFF}), &column);
    const auto two = test::validateRaw(kName, file);
    ASSERT_EQ(test::rules(two), (std::vector<std::string>{"encoding.invalid-byte", "encoding.invalid-byte"}));
    EXPECT_EQ(two.findings.findings()[1].line, 4u);
    EXPECT_EQ(two.findings.findings()[1].column, column);
}

// --- whole-file encodings ----------------------------------------------------------------------

TEST(Encoding, Utf8FileIsToldAsUtf8AndItsMojibakeFindingsAreDropped) {
    // Exported as UTF-8, this text is also a byte sequence MS932 complains about.
    const std::string file = up1kyoUtf8("東京都千代田区霞が関") + up1kyoUtf8("さくら居宅介護支援事業所");
    ASSERT_NE(spec::firstMs932Error(file), std::nullopt);
    const auto before = readAll(file, /*finish=*/false);
    ASSERT_FALSE(before.findings().empty());
    for (const auto& f : before.findings())
        EXPECT_EQ(f.rule.rfind("encoding.", 0), 0u) << f.rule;

    const auto report = test::validateRaw(kName, file);
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"encoding.utf8"});
    EXPECT_EQ(argOf(report.findings.findings()[0], "bom"), "0");
    EXPECT_EQ(report.findings.errorCount(), 1u);
    EXPECT_EQ(report.records, 2u);
}

TEST(Encoding, Utf8IsToldEvenWhenEveryByteIsValidMs932) {
    // These UTF-8 characters happen to form valid MS932 kanji and kana: MS932 alone cannot see
    // the problem, and the receiver would import 譚ｱ莠ｬ驛ｽ as the user's address.
    const std::string file = up1kyoUtf8("東京都の山田");
    ASSERT_EQ(spec::firstMs932Error(file), std::nullopt);
    const auto report = test::validateRaw(kName, file);
    EXPECT_EQ(test::rules(report), std::vector<std::string>{"encoding.utf8"});
}

TEST(Encoding, Utf8DropsEvenSuppressedFindingsFromTheCounts) {
    // Many records, each with mojibake findings; with one kept per rule most are only counted.
    std::string file;
    for (int i = 0; i < 20; ++i)
        file += up1kyoUtf8("東京都千代田区霞が関");
    spec::ValidationOptions options;
    options.perRuleLimit = 1;
    const auto report = spec::validateBytes(kName, file, options);
    EXPECT_EQ(test::rules(report), std::vector<std::string>{"encoding.utf8"});
    EXPECT_EQ(report.findings.errorCount(), 1u);
    EXPECT_EQ(report.findings.warningCount(), 0u);
    for (const auto& [rule, count] : report.findings.suppressed())
        EXPECT_NE(rule.rfind("encoding.", 0), 0u) << rule << " " << count;
}

TEST(Encoding, AFileMixingMs932AndUtf8RecordsIsNotCalledUtf8) {
    // One MS932 record proves the file is meant as MS932; the UTF-8 record is then just broken.
    const std::string file = up1kyoFile("佐藤") + up1kyoUtf8("東京都千代田区霞が関");
    const auto report = test::validateRaw(kName, file);
    EXPECT_FALSE(test::hasRule(report, "encoding.utf8"));
    EXPECT_TRUE(test::hasRule(report, "encoding.invalid-sequence"));
}

TEST(Encoding, AnAsciiOnlyFileIsNeitherUtf8NorBroken) {
    auto fields = testdata::validRecord(FileKind::Dlt1Kyo);
    const auto report =
        test::validateRaw(testdata::fileName(FileKind::Dlt1Kyo), testdata::joinRecord(fields) + "\r\n");
    EXPECT_EQ(test::rules(report), std::vector<std::string>{});
}

TEST(Encoding, Utf8ByteOrderMarkIsReportedOnAnOtherwiseMs932File) {
    const std::string bom = raw({0xEF, 0xBB, 0xBF});
    const auto report = test::validateRaw(kName, bom + up1kyoFile("佐藤"));
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"encoding.utf8-bom"});
    EXPECT_EQ(report.findings.findings()[0].line, 1u);
    EXPECT_EQ(report.findings.findings()[0].column, 1u);
    // The BOM is skipped: the first field is still the CSV version.
    EXPECT_EQ(report.csvVersion, "202407");
    EXPECT_EQ(report.records, 1u);

    EXPECT_EQ(test::rules(test::validateRaw(kName, up1kyoFile("佐藤"))), std::vector<std::string>{});
}

TEST(Encoding, Utf8WithByteOrderMarkIsOneUtf8Finding) {
    const auto report = test::validateRaw(kName, raw({0xEF, 0xBB, 0xBF}) + up1kyoUtf8("霞が関"));
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"encoding.utf8"});
    EXPECT_EQ(argOf(report.findings.findings()[0], "bom"), "1");
}

TEST(Encoding, Utf16IsRecognisedWithAndWithoutByteOrderMark) {
    const std::string text = up1kyoUtf8("山田　花子");
    const struct {
        const char* name;
        bool bigEndian;
        bool bom;
    } cases[] = {{"LE with BOM", false, true},
                 {"BE with BOM", true, true},
                 {"LE without BOM", false, false},
                 {"BE without BOM", true, false}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto report = test::validateRaw(kName, utf16(text, c.bigEndian, c.bom));
        // One finding that says what the file is; no csv.empty-file or mojibake on top of it.
        ASSERT_EQ(test::rules(report), std::vector<std::string>{"encoding.utf16"});
        EXPECT_EQ(report.findings.findings()[0].line, 1u);
        EXPECT_EQ(report.records, 0u);
    }
}

TEST(Encoding, Utf16ByteOrderMarkAloneIsEnough) {
    EXPECT_EQ(rulesOf(readAll(raw({0xFF, 0xFE}))), std::vector<std::string>{"encoding.utf16"});
    EXPECT_EQ(rulesOf(readAll(raw({0xFE, 0xFF}) + "1,2\r\n")), std::vector<std::string>{"encoding.utf16"});
}

TEST(Encoding, NulBytesMeanBinary) {
    const auto withNul = test::validateRaw(kName, up1kyoFile(std::string("ab\0cd", 5)));
    ASSERT_EQ(test::rules(withNul), std::vector<std::string>{"encoding.binary"});
    EXPECT_EQ(withNul.records, 0u);

    const std::string png =
        raw({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'});
    EXPECT_EQ(test::rules(test::validateRaw(kName, png + std::string(200, '\x7F'))),
              std::vector<std::string>{"encoding.binary"});

    EXPECT_EQ(test::rules(test::validateRaw(kName, up1kyoFile("abcd"))), std::vector<std::string>{});
}

TEST(Encoding, ANulPastTheSniffedStartIsAControlCharacter) {
    // Only the first 4 KiB decide "binary"; later a NUL is one bad character among good records.
    std::string file;
    std::uint64_t records = 0;
    while (file.size() < 5000) {
        file += up1kyoFile("ab");
        ++records;
    }
    std::uint64_t column = 0;
    file += up1kyoFile(std::string("a\0", 2), &column);
    const auto report = test::validateRaw(kName, file);
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"encoding.control-char"});
    EXPECT_EQ(report.findings.findings()[0].line, records + 1);
    EXPECT_EQ(report.findings.findings()[0].column, column + 1);
    EXPECT_EQ(argOf(report.findings.findings()[0], "byte"), "0x00");
}

// --- the helper functions ----------------------------------------------------------------------

TEST(Encoding, FirstMs932ErrorFindsTheFirstProblemAndItsOffset) {
    const struct {
        std::string bytes;
        std::optional<EncodingProblem> problem;
        std::size_t offset;
    } cases[] = {
        {"", std::nullopt, 0},
        {"abc,\"x\"\r\n\t", std::nullopt, 0},
        {testdata::sjis("山田　花子①髙ｱ"), std::nullopt, 0},
        {"ab" + raw({0x80}), EncodingProblem::InvalidByte, 2},
        {"ab" + raw({0xA0}), EncodingProblem::InvalidByte, 2},
        {"ab" + raw({0xFD}) + raw({0x80}), EncodingProblem::InvalidByte, 2},
        {raw({0x82, 0xA0, 0x85, 0x40}), EncodingProblem::InvalidSequence, 2},
        {raw({0x82, 0xA0, 0x82}), EncodingProblem::Truncated, 2},
        {raw({0xB1, 0xF0, 0x40}), EncodingProblem::Gaiji, 1},
        {"a" + raw({0x01}), EncodingProblem::Control, 1},
        {"a" + raw({0x7F}), EncodingProblem::Control, 1},
        // A trail byte in the ASCII range belongs to the character before it, not to a new one.
        {raw({0x83, 0x5C, 0x80}), EncodingProblem::InvalidByte, 2},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(hexOf(c.bytes));
        const auto error = spec::firstMs932Error(c.bytes);
        ASSERT_EQ(error.has_value(), c.problem.has_value());
        if (error) {
            EXPECT_EQ(error->problem, *c.problem);
            EXPECT_EQ(error->offset, c.offset);
        }
    }
}

TEST(Encoding, Utf8AndMs932RoundTrip) {
    const std::string text =
        "ケアプラン連携：山田　花子（髙橋）様、①～⑳ ㈱ｻﾝﾌﾟﾙ \\ \"引用\" 2025/04/01\r\n次の行";
    const auto ms932 = spec::utf8ToMs932(text);
    ASSERT_TRUE(ms932.has_value());
    EXPECT_EQ(spec::firstMs932Error(*ms932), std::nullopt);
    EXPECT_EQ(spec::ms932ToUtf8(*ms932), text);
    EXPECT_EQ(spec::utf8ToMs932(spec::ms932ToUtf8(*ms932)), ms932);
    EXPECT_EQ(spec::utf8ToMs932(""), std::string());
    EXPECT_EQ(spec::ms932ToUtf8(""), "");
}

TEST(Encoding, DecodingShowsReplacementCharactersForBadBytes) {
    // Text for people (report values) must show where bytes were bad, not drop or hide them.
    const struct {
        std::string bytes;
        const char* utf8;
    } cases[] = {
        {"a" + raw({0x80}) + "b", "a\uFFFDb"},
        {"a" + raw({0xFF}), "a\uFFFD"},
        {raw({0x85, 0x40}) + "b", "\uFFFDb"},
        {"a" + raw({0x82}), "a\uFFFD"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(hexOf(c.bytes));
        EXPECT_EQ(spec::ms932ToUtf8(c.bytes), c.utf8);
    }
}
