// The CSV reader splits the standard's dialect (free text in "", "" escapes, line breaks kept in
// quotes) while checking MS932, streaming files of any size through a bounded buffer. What it
// returns must not depend on how the bytes arrive, and no input may make it run away.
#include "spec/CsvReader.h"

#include "SampleData.h"
#include "TestSupport.h"
#include "spec/Schema.h"
#include "spec/Validator.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace cplink;
using spec::FileKind;

namespace {

// Everything the reader produced, in a form that compares and prints well.
struct ReadResult {
    std::vector<std::vector<std::string>> records; // a quoted field is shown as q:<value>
    std::vector<std::uint64_t> lines;
    std::vector<std::uint64_t> indexes;
    std::vector<bool> blank;
    std::vector<std::string> findings; // rule@line:column{args}
    bool stoppedEarly = false;
    std::uint64_t recordCount = 0;
    std::uint64_t bytesRead = 0;
    bool looksUtf8 = false;
};

std::string describe(const spec::Finding& f) {
    std::string out = f.rule;
    if (f.line)
        out += "@" + std::to_string(*f.line);
    if (f.column)
        out += ":" + std::to_string(*f.column);
    if (!f.args.empty()) {
        out += "{";
        for (std::size_t i = 0; i < f.args.size(); ++i)
            out += (i ? "," : "") + f.args[i].first + "=" + f.args[i].second;
        out += "}";
    }
    return out;
}

std::vector<std::string> describeAll(const spec::FindingSink& sink) {
    std::vector<std::string> out;
    for (const auto& f : sink.findings())
        out.push_back(describe(f));
    return out;
}

ReadResult readAll(spec::ByteSource& source, spec::CsvReaderOptions options = {}) {
    spec::FindingSink sink;
    spec::CsvReader reader(source, sink, options);
    ReadResult r;
    spec::CsvRecord record;
    while (reader.next(record)) {
        std::vector<std::string> fields;
        for (const auto& f : record.fields)
            fields.push_back((f.quoted ? "q:" : "") + std::string(f.value));
        r.records.push_back(std::move(fields));
        r.lines.push_back(record.line);
        r.indexes.push_back(record.index);
        r.blank.push_back(record.blank);
    }
    reader.finish();
    r.findings = describeAll(sink);
    r.stoppedEarly = reader.stoppedEarly();
    r.recordCount = reader.recordCount();
    r.bytesRead = reader.bytesRead();
    r.looksUtf8 = reader.looksUtf8();
    return r;
}

ReadResult readAll(std::string_view bytes, spec::CsvReaderOptions options = {}) {
    spec::MemorySource source(bytes);
    return readAll(source, options);
}

void expectSameResult(const ReadResult& actual, const ReadResult& expected) {
    EXPECT_EQ(actual.records, expected.records);
    EXPECT_EQ(actual.lines, expected.lines);
    EXPECT_EQ(actual.indexes, expected.indexes);
    EXPECT_EQ(actual.blank, expected.blank);
    EXPECT_EQ(actual.findings, expected.findings);
    EXPECT_EQ(actual.stoppedEarly, expected.stoppedEarly);
    EXPECT_EQ(actual.recordCount, expected.recordCount);
    EXPECT_EQ(actual.bytesRead, expected.bytesRead);
}

// Hands out at most `step` bytes per read, like a pipe or a slow network share: every byte
// position after the reader's first buffer becomes a refill boundary.
class TrickleSource final : public spec::ByteSource {
public:
    TrickleSource(std::string_view bytes, std::size_t step) : m_bytes(bytes), m_step(step) {}
    std::size_t read(char* buffer, std::size_t capacity) override {
        const std::size_t n = std::min({capacity, m_step, m_bytes.size() - m_pos});
        std::memcpy(buffer, m_bytes.data() + m_pos, n);
        m_pos += n;
        return n;
    }

private:
    std::string_view m_bytes;
    std::size_t m_step;
    std::size_t m_pos = 0;
};

// `total` bytes of one repeated byte (after an optional first byte), generated on demand.
class EndlessSource final : public spec::ByteSource {
public:
    EndlessSource(std::uint64_t total, char fill, std::string first = {})
        : m_left(total), m_fill(fill), m_first(std::move(first)) {}
    std::size_t read(char* buffer, std::size_t capacity) override {
        m_largestRead = std::max(m_largestRead, capacity);
        std::size_t n = std::min(capacity, m_first.size() - m_firstPos);
        std::memcpy(buffer, m_first.data() + m_firstPos, n);
        m_firstPos += n;
        const auto more = static_cast<std::size_t>(std::min<std::uint64_t>(capacity - n, m_left));
        std::memset(buffer + n, m_fill, more);
        m_left -= more;
        n += more;
        m_served += n;
        return n;
    }
    std::uint64_t served() const { return m_served; }
    std::size_t largestRead() const { return m_largestRead; }

private:
    std::uint64_t m_left;
    char m_fill;
    std::string m_first;
    std::size_t m_firstPos = 0;
    std::uint64_t m_served = 0;
    std::size_t m_largestRead = 0;
};

const std::string kName = testdata::fileName(FileKind::Up1Kyo);

std::string up1kyoRecord() {
    return testdata::sjis(testdata::joinRecord(testdata::validRecord(FileKind::Up1Kyo)));
}

} // namespace

// --- quoting ---------------------------------------------------------------------------------

TEST(CsvReader, SplitsFieldsAndUnescapesQuotesAsTheStandardWritesThem) {
    const struct {
        const char* name;
        std::string input;
        std::vector<std::vector<std::string>> records;
    } cases[] = {
        {"plain fields", "a,b,c\r\n", {{"a", "b", "c"}}},
        {"empty fields", "a,,b\r\n", {{"a", "", "b"}}},
        {"only a comma", ",\r\n", {{"", ""}}},
        {"trailing comma", "a,\r\n", {{"a", ""}}},
        {"comma in quotes", "\"x,y\",z\r\n", {{"q:x,y", "z"}}},
        {"doubled quotes", "\"say \"\"hi\"\"\",1\r\n", {{"q:say \"hi\"", "1"}}},
        {"only a quote", "\"\"\"\"\r\n", {{"q:\""}}},
        {"quotes at both ends", "\"a\"\"\",\"\"\"b\"\r\n", {{"q:a\"", "q:\"b"}}},
        {"empty quoted field", "\"\",x\r\n", {{"q:", "x"}}},
        {"CRLF in quotes", "\"line1\r\nline2\",2\r\n", {{"q:line1\r\nline2", "2"}}},
        {"LF and CR in quotes", "\"a\nb\rc\"\r\n", {{"q:a\nb\rc"}}},
        {"last line without break", "a\r\nb", {{"a"}, {"b"}}},
        {"trailing comma at end of file", "a,", {{"a", ""}}},
        {"quoted field at end of file", "\"a\"", {{"q:a"}}},
        {"tab is data", "a\tb,c\r\n", {{"a\tb", "c"}}},
        {"MS932 text",
         testdata::sjis("\"山田,花子\",ソ表\r\n"),
         {{"q:" + testdata::sjis("山田,花子"), testdata::sjis("ソ表")}}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const ReadResult r = readAll(c.input);
        EXPECT_EQ(r.records, c.records);
        EXPECT_EQ(r.findings, std::vector<std::string>{});
        EXPECT_FALSE(r.stoppedEarly);
    }
}

TEST(CsvReader, RecordsSpanningLinesReportTheLineTheyStartOn) {
    const ReadResult r = readAll("1,\"a\r\nb\r\nc\"\r\n2,x\r\n\"p\nq\",3\r\n4\r\n");
    ASSERT_EQ(r.records.size(), 4u);
    EXPECT_EQ(r.records[0], (std::vector<std::string>{"1", "q:a\r\nb\r\nc"}));
    EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 4, 5, 7}));
    EXPECT_EQ(r.indexes, (std::vector<std::uint64_t>{1, 2, 3, 4}));
    EXPECT_EQ(r.recordCount, 4u);
    // Line breaks inside free text are data, not line endings of the file.
    EXPECT_EQ(r.findings, std::vector<std::string>{});
}

TEST(CsvReader, FlagsFieldsHoldingDoubleByteCharacters) {
    spec::FindingSink sink;
    const std::string bytes = testdata::sjis("abc,\"山田\",123,\"x\",ｻｸﾗ\r\n");
    spec::MemorySource source(bytes);
    spec::CsvReader reader(source, sink);
    spec::CsvRecord record;
    ASSERT_TRUE(reader.next(record));
    ASSERT_EQ(record.fields.size(), 5u);
    EXPECT_FALSE(record.fields[0].nonAscii);
    EXPECT_TRUE(record.fields[1].nonAscii);
    EXPECT_FALSE(record.fields[2].nonAscii);
    EXPECT_FALSE(record.fields[3].nonAscii);
    EXPECT_TRUE(record.fields[4].nonAscii); // half-width kana are single bytes, but not ASCII
    EXPECT_TRUE(record.fields[1].quoted);
    EXPECT_FALSE(record.fields[2].quoted);
}

TEST(CsvReader, FreeTextWithCommasQuotesAndLineBreaksIsOneValidField) {
    auto fields = testdata::validRecord(FileKind::Up1Kyo);
    fields[21] = "\"本人：「家で暮らしたい」\r\n夫：\"\"入浴が心配\"\"、週2回, 見守り\nを希望\"";
    const auto report =
        test::validate(kName, testdata::toCsv({fields, testdata::validRecord(FileKind::Up1Kyo)}));
    EXPECT_EQ(test::rules(report), std::vector<std::string>{});
    EXPECT_EQ(report.records, 2u);
}

TEST(CsvReader, LooksUtf8OnlyWhenEveryNonAsciiRecordIsUtf8) {
    const std::string utf8 = "1,\"山田\"\r\n2,\"花子\"\r\n";
    const std::string ms932 = testdata::sjis(utf8);
    EXPECT_TRUE(readAll(utf8).looksUtf8);
    EXPECT_FALSE(readAll(ms932).looksUtf8);
    EXPECT_FALSE(readAll(utf8 + ms932).looksUtf8);
    EXPECT_FALSE(readAll(ms932 + utf8).looksUtf8);
    EXPECT_FALSE(readAll("1,abc\r\n").looksUtf8);
}

// --- the reader's own rules ---------------------------------------------------------------------

TEST(CsvReader, EachStructureRuleHasAMinimalFailingInputAndAPassingOne) {
    const struct {
        const char* name;
        std::string input;
        std::vector<std::string> findings;
        std::size_t records;
    } cases[] = {
        {"unterminated quote", "1,\"abc\r\n2,x\r\n", {"csv.unterminated-quote@1:3"}, 0},
        {"unterminated quote in a later record", "1,a\r\n2,\"b\r\n", {"csv.unterminated-quote@2:3"}, 1},
        {"closed quote", "1,\"abc\"\r\n2,x\r\n", {}, 2},
        {"stray quote", "1,ab\"c\r\n", {"csv.stray-quote@1:5"}, 1},
        {"stray quotes in one field are one finding", "1,a\"b\"c\r\n", {"csv.stray-quote@1:4"}, 1},
        {"stray quotes in two fields", "a\",b\"\r\n", {"csv.stray-quote@1:2", "csv.stray-quote@1:5"}, 1},
        {"quoted field instead of stray quote", "1,\"ab\"\"c\"\r\n", {}, 1},
        {"text after quote", "1,\"ab\"c,2\r\n", {"csv.text-after-quote@1:7"}, 1},
        {"text after quote on a later line", "0\r\n\"a\r\nb\" c\r\n", {"csv.text-after-quote@3:3"}, 2},
        {"bare CR", "1,a\r2,b\r\n", {"csv.bare-cr@1:4"}, 2},
        {"bare CR at end of file", "1,a\r", {"csv.bare-cr@1:4"}, 1},
        {"LF line endings", "1\n2\n", {"csv.line-ending-lf{lf=2}"}, 2},
        {"mixed line endings", "1\r\n2\n3\r\n", {"csv.line-ending-mixed@2{lf=1,crlf=2}"}, 3},
        {"CRLF line endings", "1\r\n2\r\n", {}, 2},
        {"LF only inside quotes", "\"a\nb\"\r\n", {}, 1},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const ReadResult r = readAll(c.input);
        EXPECT_EQ(r.findings, c.findings);
        EXPECT_EQ(r.records.size(), c.records);
    }
}

TEST(CsvReader, AnUnterminatedQuoteStopsReading) {
    const ReadResult r = readAll("1,a\r\n2,\"never closed\r\n3,c\r\n4,d\r\n");
    EXPECT_TRUE(r.stoppedEarly);
    EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{"1", "a"}}));
}

TEST(CsvReader, StrayQuoteIsKeptInTheValueAndTextAfterQuoteEndsTheField) {
    const ReadResult stray = readAll("1,ab\"c\r\n");
    ASSERT_EQ(stray.records.size(), 1u);
    EXPECT_EQ(stray.records[0], (std::vector<std::string>{"1", "ab\"c"}));

    const ReadResult after = readAll("1,\"ab\"c,2\r\n");
    ASSERT_EQ(after.records.size(), 1u);
    EXPECT_EQ(after.records[0].size(), 3u);
    EXPECT_EQ(after.records[0][2], "2");
}

TEST(CsvReader, BareCrEndsARecordAndStartsANewLine) {
    const ReadResult r = readAll("1,a\r2,b\r\n3,c\r\n");
    EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{"1", "a"}, {"2", "b"}, {"3", "c"}}));
    EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 2, 3}));
}

// --- rules judged by the validator over the reader's records -----------------------------------

TEST(CsvReader, BlankLinesAreWarnedAndNotCountedAsRecords) {
    const std::string rec = up1kyoRecord() + "\r\n";
    const auto blank = test::validateRaw(kName, rec + "\r\n" + rec + "\r\n");
    ASSERT_EQ(test::rules(blank), (std::vector<std::string>{"csv.blank-line", "csv.blank-line"}));
    EXPECT_EQ(blank.findings.findings()[0].severity, spec::Severity::Warning);
    EXPECT_EQ(blank.findings.findings()[0].line, 2u);
    EXPECT_EQ(blank.findings.findings()[1].line, 4u);
    EXPECT_EQ(blank.records, 2u);
    EXPECT_TRUE(blank.valid());

    const auto clean = test::validateRaw(kName, rec + rec);
    EXPECT_EQ(test::rules(clean), std::vector<std::string>{});
    EXPECT_EQ(clean.records, 2u);
}

TEST(CsvReader, AQuotedEmptyLineIsAnEmptyFieldNotABlankLine) {
    const ReadResult r = readAll("\"\"\r\n\r\n");
    EXPECT_EQ(r.blank, (std::vector<bool>{false, true}));
}

TEST(CsvReader, AHeaderRowIsAnErrorAndTheDataAfterItIsStillChecked) {
    const auto& layout = *spec::Schema::instance().kind(FileKind::Up1Kyo).layout(spec::LayoutId::V4);
    std::vector<std::string> names;
    for (const auto& f : layout)
        names.push_back(f.name);
    const std::string header = testdata::sjis(testdata::joinRecord(names)) + "\r\n";
    const std::string rec = up1kyoRecord() + "\r\n";

    const auto withHeader = test::validateRaw(kName, header + rec);
    ASSERT_EQ(test::rules(withHeader), std::vector<std::string>{"csv.header-row"});
    EXPECT_EQ(withHeader.findings.findings()[0].line, 1u);
    EXPECT_EQ(withHeader.findings.findings()[0].severity, spec::Severity::Error);
    EXPECT_EQ(withHeader.records, 1u);
    EXPECT_EQ(withHeader.csvVersion, "202407");

    // A mistake in the data after the header is still found.
    auto badFields = testdata::validRecord(FileKind::Up1Kyo);
    badFields[3] = "20250230"; // 居宅サービス計画作成日: no such day
    const auto badData =
        test::validateRaw(kName, header + testdata::sjis(testdata::joinRecord(badFields)) + "\r\n");
    ASSERT_FALSE(test::rules(badData).empty());
    EXPECT_EQ(test::rules(badData)[0], "csv.header-row");
    EXPECT_GT(test::rules(badData).size(), 1u);
    for (const auto& f : badData.findings.findings()) {
        if (f.rule != "csv.header-row") {
            EXPECT_EQ(f.field, 4) << f.rule;
        }
    }

    EXPECT_EQ(test::rules(test::validateRaw(kName, rec)), std::vector<std::string>{});
    EXPECT_EQ(test::rules(test::validateRaw(kName, header)),
              (std::vector<std::string>{"csv.header-row", "csv.empty-file"}));
}

TEST(CsvReader, AFileWithoutDataRecordsIsEmpty) {
    const struct {
        const char* name;
        std::string bytes;
        std::vector<std::string> rules;
    } cases[] = {
        {"no bytes", "", {"csv.empty-file"}},
        {"only CRLF", "\r\n", {"csv.blank-line", "csv.empty-file"}},
        {"only blank lines",
         "\r\n\r\n\r\n",
         {"csv.blank-line", "csv.blank-line", "csv.blank-line", "csv.empty-file"}},
        {"one record", up1kyoRecord() + "\r\n", {}},
        {"one record without line break", up1kyoRecord(), {}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto report = test::validateRaw(kName, c.bytes);
        EXPECT_EQ(test::rules(report), c.rules);
        EXPECT_TRUE(report.ioError.empty());
    }
}

TEST(CsvReader, FieldCountMismatchNamesBothCounts) {
    const std::string rec = up1kyoRecord();
    const auto extra = test::validateRaw(kName, rec + ",x\r\n");
    ASSERT_EQ(test::rules(extra), std::vector<std::string>{"csv.field-count"});
    const auto& f = extra.findings.findings()[0];
    EXPECT_EQ(describe(f), "csv.field-count@1{count=29,expected=28}");

    const auto missing = test::validateRaw(kName, rec.substr(0, rec.rfind(',')) + "\r\n" + rec + "\r\n");
    ASSERT_EQ(test::rules(missing), std::vector<std::string>{"csv.field-count"});
    EXPECT_EQ(describe(missing.findings.findings()[0]), "csv.field-count@1{count=27,expected=28}");

    EXPECT_EQ(test::rules(test::validateRaw(kName, rec + "\r\n")), std::vector<std::string>{});
}

TEST(CsvReader, FieldCountOfTheOtherVersionGetsAHint) {
    // A V4 第6表 has 25 fields, a V3 one 22: a file that has the other version's count was most
    // likely exported with the wrong version setting, and the message should say so.
    auto v4 = testdata::validRecord(FileKind::UpPlan);
    ASSERT_EQ(v4.size(), 25u);
    const std::string v4Name = testdata::fileName(FileKind::UpPlan, "202504");

    auto v3Count = v4;
    v3Count.resize(22);
    const auto shortFile = test::validate(v4Name, testdata::toCsv({v3Count}));
    ASSERT_EQ(test::rules(shortFile), std::vector<std::string>{"csv.field-count"});
    EXPECT_EQ(describe(shortFile.findings.findings()[0]),
              "csv.field-count@1{count=22,expected=25,otherLayout=V3}");

    // A V3 name and CSV version with the V4 count: the hint points the other way.
    auto v4Count = v4;
    v4Count[0] = "202208";
    const auto longFile =
        test::validate("UPPLAN_202412_0300000100_0300000005_20250320093000.CSV", testdata::toCsv({v4Count}));
    const spec::Finding* hint = test::findRule(longFile, "csv.field-count");
    ASSERT_NE(hint, nullptr);
    EXPECT_EQ(describe(*hint), "csv.field-count@1{count=25,expected=22,otherLayout=V4}");

    // A count that fits neither layout gets no hint; neither does a kind whose layouts agree.
    auto neither = v4;
    neither.resize(23);
    const auto neitherFile = test::validate(v4Name, testdata::toCsv({neither}));
    ASSERT_EQ(test::rules(neitherFile), std::vector<std::string>{"csv.field-count"});
    EXPECT_EQ(neitherFile.findings.findings()[0].arg("otherLayout"), nullptr);

    EXPECT_EQ(test::rules(test::validate(v4Name, testdata::toCsv({v4}))), std::vector<std::string>{});
}

// --- limits ----------------------------------------------------------------------------------------

TEST(CsvReader, ARecordLongerThanTheLimitStopsReadingAtItsLine) {
    spec::CsvReaderOptions small;
    small.chunkSize = 64;
    small.maxRecordBytes = 1024;
    const std::string input = "1,ok\r\n2,ok\r\n3,\"" + std::string(10000, 'a') + "\"\r\n4,after\r\n";

    const ReadResult limited = readAll(input, small);
    EXPECT_EQ(limited.records, (std::vector<std::vector<std::string>>{{"1", "ok"}, {"2", "ok"}}));
    ASSERT_EQ(limited.findings.size(), 1u);
    EXPECT_EQ(limited.findings[0].rfind("csv.record-too-long@3{", 0), 0u) << limited.findings[0];
    EXPECT_TRUE(limited.stoppedEarly);

    const ReadResult unlimited = readAll(input, {64, 1u << 20});
    EXPECT_EQ(unlimited.records.size(), 4u);
    EXPECT_EQ(unlimited.findings, std::vector<std::string>{});
}

// The limit must not depend on how the bytes arrived: here the long record fits in the first read.
TEST(CsvReader, ARecordOverTheLimitInsideOneReadIsRefusedToo) {
    spec::CsvReaderOptions options;
    options.chunkSize = 1u << 20;
    options.maxRecordBytes = 1024;
    const std::string input = "1,ok\r\n2,\"" + std::string(2000, 'a') + "\"\r\n3,after\r\n";
    const ReadResult result = readAll(input, options);
    EXPECT_EQ(result.records, (std::vector<std::vector<std::string>>{{"1", "ok"}}));
    ASSERT_EQ(result.findings.size(), 1u);
    EXPECT_EQ(result.findings[0], "csv.record-too-long@2{limit=1024 bytes}");
    EXPECT_TRUE(result.stoppedEarly);
}

TEST(CsvReader, ATooLongRecordIsTheOnlyFindingOfTheValidatedFile) {
    spec::ValidationOptions options;
    options.reader.chunkSize = 64;
    options.reader.maxRecordBytes = 1024;
    auto fields = testdata::validRecord(FileKind::Up1Kyo);
    fields[21] = "\"" + std::string(20000, 'a') + "\"";
    const auto report = spec::validateBytes(kName, testdata::sjis(testdata::joinRecord(fields)), options);
    // Stopping early is not the same as an empty file.
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"csv.record-too-long"});
    EXPECT_EQ(report.findings.findings()[0].line, 1u);
    EXPECT_LT(report.bytes, 20000u);
}

// --- refills ---------------------------------------------------------------------------------------

namespace {

// Records that put every delicate construct next to every possible refill boundary.
std::string delicateRecords() {
    std::string s;
    s += testdata::sjis("10,\"髙橋 \"\"花子\"\"\",ソ表\r\n");          // double-byte, 0x5C trail, escapes
    s += testdata::sjis("11,\"一行目\r\n二行目,\"\"引用\"\"\",x\r\n"); // CRLF and comma in quotes
    s += "12,\"\"\"\"\"\"\r\n";                                        // only escapes
    s += "13,a\"b,\"c\"d\r\n";                                         // stray quote, text after quote
    s += "14,\x80," + testdata::sjis("あ") + "\xF0\x40,\x01\r\n";      // invalid byte, gaiji, control
    s += "15,\x85\x40,\x82\",\"\x82\"\r\n";                            // invalid pairs, lead before quote
    s += "\r\n";                                                       // blank line
    s += "16,lf\n";                                                    // LF ending: mixed
    s += "17,bare\r18,cr\r\n";                                         // bare CR
    s += "19,\"\",,\"\"\r\n";                                          // empty fields
    s += "20,end" + testdata::sjis("漢") + "\x82";                     // lone lead at end of file
    return s;
}

// Exactly `bytes` (at least 15) of plain CRLF records.
std::string filler(std::size_t bytes) {
    std::string s;
    for (int i = 0; bytes - s.size() >= 30; ++i)
        s += "0," + std::string(11, static_cast<char>('a' + i % 26)) + "\r\n";
    return s + "0," + std::string(bytes - s.size() - 4, '#') + "\r\n";
}

} // namespace

TEST(CsvReader, DelicateRecordsParseAsExpected) {
    const ReadResult r = readAll(delicateRecords());
    ASSERT_EQ(r.records.size(), 12u);
    EXPECT_EQ(r.records[0], (std::vector<std::string>{"10", "q:" + testdata::sjis("髙橋 \"花子\""),
                                                      testdata::sjis("ソ表")}));
    EXPECT_EQ(r.records[1],
              (std::vector<std::string>{"11", "q:" + testdata::sjis("一行目\r\n二行目,\"引用\""), "x"}));
    EXPECT_EQ(r.records[2], (std::vector<std::string>{"12", "q:\"\""}));
    EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
    EXPECT_EQ(r.findings, (std::vector<std::string>{
                              "csv.stray-quote@5:5",
                              "csv.text-after-quote@5:11",
                              "encoding.invalid-byte@6:4{byte=0x80}",
                              "encoding.gaiji@6:8{byte=0xF040}",
                              "encoding.control-char@6:11{byte=0x01}",
                              "encoding.invalid-sequence@7:4{byte=0x85 0x40}",
                              "encoding.invalid-sequence@7:7{byte=0x82 0x22}",
                              "csv.stray-quote@7:8",
                              "encoding.invalid-sequence@7:11{byte=0x82 0x22}",
                              "csv.bare-cr@10:8",
                              "encoding.truncated@13:9{byte=0x82}",
                              "csv.line-ending-mixed@9{lf=1,crlf=9}",
                          }));
}

TEST(CsvReader, RefillsAtAnyByteGiveTheSameRecordsAndFindings) {
    // The reader first collects 4 KiB to sniff the encoding and refills from there; the filler's
    // length slides the delicate records across that first refill boundary one byte at a time.
    const std::string delicate = delicateRecords();
    const ReadResult alone = readAll(delicate);
    for (std::size_t pad = 1; pad <= delicate.size(); ++pad) {
        const std::string input = filler(4096 - pad) + delicate;
        const ReadResult reference = readAll(input);
        ASSERT_GE(reference.records.size(), alone.records.size());
        ASSERT_TRUE(std::equal(alone.records.begin(), alone.records.end(),
                               reference.records.end() - static_cast<std::ptrdiff_t>(alone.records.size())))
            << pad;
        for (std::size_t chunk : {1u, 7u}) {
            SCOPED_TRACE("pad " + std::to_string(pad) + " chunk " + std::to_string(chunk));
            expectSameResult(readAll(input, {chunk, 8u << 20}), reference);
        }
    }
}

TEST(CsvReader, ShortReadsAtEveryByteGiveTheSameRecordsAndFindings) {
    // With one byte per read every position after the sniffed start is a refill boundary: each
    // double-byte character, each "" escape and each CRLF is cut in every possible place.
    const std::string delicate = delicateRecords();
    for (std::size_t pad = 0; pad < 8; ++pad) {
        const std::string input = filler(4096 + pad) + delicate;
        const ReadResult reference = readAll(input);
        for (std::size_t step : {1u, 2u, 3u, 7u}) {
            for (std::size_t chunk : {7u, 1u << 20}) {
                SCOPED_TRACE("pad " + std::to_string(pad) + " step " + std::to_string(step) + " chunk " +
                             std::to_string(chunk));
                TrickleSource source(input, step);
                expectSameResult(readAll(source, {chunk, 8u << 20}), reference);
            }
        }
    }
}

TEST(CsvReader, ValidationDoesNotDependOnTheChunkSize) {
    const auto month = testdata::sampleMonth();
    for (const auto& file : month) {
        if (file.name.rfind("UPKIHON_IMAGE", 0) == 0)
            continue;
        SCOPED_TRACE(file.name);
        const auto reference = spec::validateBytes(file.name, file.bytes);
        spec::ValidationOptions tiny;
        tiny.reader.chunkSize = 7;
        TrickleSource source(file.bytes, 5);
        const auto chunked = spec::validateSource(file.name, source, tiny);
        EXPECT_EQ(describeAll(chunked.findings), describeAll(reference.findings));
        EXPECT_EQ(chunked.records, reference.records);
        EXPECT_EQ(chunked.bytes, file.bytes.size());
    }
}

// --- robustness ------------------------------------------------------------------------------------

TEST(CsvReader, EmptyInputHasNoRecordsAndNoFindings) {
    const ReadResult r = readAll("");
    EXPECT_TRUE(r.records.empty());
    EXPECT_EQ(r.findings, std::vector<std::string>{});
    EXPECT_FALSE(r.stoppedEarly);
    EXPECT_EQ(r.bytesRead, 0u);
}

TEST(CsvReader, OnlyCrLfIsOneBlankRecord) {
    const ReadResult r = readAll("\r\n");
    EXPECT_EQ(r.records, (std::vector<std::vector<std::string>>{{""}}));
    EXPECT_EQ(r.blank, std::vector<bool>{true});
    EXPECT_EQ(r.lines, std::vector<std::uint64_t>{1});
    EXPECT_EQ(r.findings, std::vector<std::string>{});
    EXPECT_EQ(r.bytesRead, 2u);
}

TEST(CsvReader, TenThousandFieldsOnOneLine) {
    std::string line = "202407";
    for (int i = 1; i < 10000; ++i)
        line += "," + std::to_string(i);
    const ReadResult r = readAll(line + "\r\n");
    ASSERT_EQ(r.records.size(), 1u);
    ASSERT_EQ(r.records[0].size(), 10000u);
    EXPECT_EQ(r.records[0][9999], "9999");
    EXPECT_EQ(r.findings, std::vector<std::string>{});

    const auto report = test::validateRaw(kName, line + "\r\n");
    ASSERT_EQ(test::rules(report), std::vector<std::string>{"csv.field-count"});
    EXPECT_EQ(describe(report.findings.findings()[0]), "csv.field-count@1{count=10000,expected=28}");
}

TEST(CsvReader, ASparseGibibyteFileIsToldBinaryWithoutReadingIt) {
    test::TempDir dir;
    const std::string path = dir.path() + "/UPPLAN_202504_0300000100_43_0300000005_11_20250320093000.CSV";
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, off_t{1} << 30), 0);
    ::close(fd);

    const auto start = std::chrono::steady_clock::now();
    const auto report = spec::validateFile(path);
    const auto elapsed = std::chrono::steady_clock::now() - start;

    EXPECT_EQ(test::rules(report), std::vector<std::string>{"encoding.binary"});
    EXPECT_TRUE(report.ioError.empty());
    // Judged from its first buffer: a reader that went on would have read the whole gibibyte.
    EXPECT_LE(report.bytes, 2u << 20);
    EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(CsvReader, AGibibyteWithoutALineBreakStopsAtTheRecordLimit) {
    // Memory stays bounded by the limit: the source is asked for little more than that before the
    // reader gives up, although it could deliver a whole gibibyte.
    constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
    const spec::CsvReaderOptions defaults;
    const std::size_t bound = defaults.maxRecordBytes + 2 * defaults.chunkSize;
    for (const std::string first : {"", "1,\""}) {
        SCOPED_TRACE(first.empty() ? "unquoted" : "open quote");
        EndlessSource source(kGiB, 'a', first);
        const ReadResult r = readAll(source);
        EXPECT_TRUE(r.records.empty());
        EXPECT_EQ(r.findings, std::vector<std::string>{"csv.record-too-long@1{limit=8 MiB}"});
        EXPECT_TRUE(r.stoppedEarly);
        EXPECT_LE(source.served(), bound);
        EXPECT_LE(source.largestRead(), bound);
    }

    EndlessSource source(kGiB, 'a', "202407,");
    const auto report = spec::validateSource(kName, source);
    EXPECT_EQ(test::rules(report), std::vector<std::string>{"csv.record-too-long"});
    EXPECT_LE(source.served(), bound);
}

// --- unreadable inputs -------------------------------------------------------------------------

TEST(CsvReader, UnreadablePathsGiveAnIoErrorAndNoFindings) {
    test::TempDir dir;
    const std::string missing = dir.path() + "/UP1KYO_0300000100_43_0300000005_11_20250320093000.CSV";
    const std::string folder = dir.path() + "/UP2KYO_0300000100_43_0300000005_11_20250320093000.CSV";
    ASSERT_EQ(::mkdir(folder.c_str(), 0755), 0);

    for (const std::string& path : {missing, folder}) {
        SCOPED_TRACE(path);
        const auto report = spec::validateFile(path);
        EXPECT_FALSE(report.ioError.empty());
        EXPECT_NE(report.ioError.find(path), std::string::npos) << report.ioError;
        EXPECT_EQ(test::rules(report), std::vector<std::string>{});
        EXPECT_FALSE(report.valid());
        EXPECT_EQ(report.path, path);
    }
    EXPECT_NE(spec::validateFile(folder).ioError.find("directory"), std::string::npos);
}

TEST(CsvReader, AFileWithoutReadPermissionGivesAnIoError) {
    if (::geteuid() == 0)
        GTEST_SKIP() << "root reads files regardless of their mode";
    test::TempDir dir;
    const std::string path = dir.write(kName, up1kyoRecord() + "\r\n");
    ASSERT_EQ(::chmod(path.c_str(), 0), 0);
    const auto report = spec::validateFile(path);
    EXPECT_FALSE(report.ioError.empty());
    EXPECT_FALSE(report.valid());
    ::chmod(path.c_str(), 0600);
}

TEST(CsvReader, AReadableCopyOfTheSameFileValidatesClean) {
    // The counterpart of the I/O error cases: the same path machinery with a good file.
    test::TempDir dir;
    const std::string path = dir.write(kName, up1kyoRecord() + "\r\n");
    const auto report = spec::validateFile(path);
    EXPECT_TRUE(report.ioError.empty());
    EXPECT_EQ(test::rules(report), std::vector<std::string>{});
    EXPECT_EQ(report.fileName, kName);
    EXPECT_TRUE(report.valid());
}

// --- finding limits ------------------------------------------------------------------------------

TEST(CsvReader, FindingSinkKeepsTheFirstFindingsOfEachRuleAndCountsTheRest) {
    spec::FindingSink sink(3);
    for (int i = 1; i <= 10; ++i) {
        spec::Finding f;
        f.rule = "csv.stray-quote";
        f.line = static_cast<std::uint64_t>(i);
        sink.add(f);
    }
    for (int i = 1; i <= 2; ++i) {
        spec::Finding f;
        f.severity = spec::Severity::Warning;
        f.rule = "csv.blank-line";
        sink.add(f);
    }
    ASSERT_EQ(sink.findings().size(), 5u);
    EXPECT_EQ(sink.findings()[2].line, 3u); // the first ones are kept, in order
    EXPECT_EQ(sink.suppressed(), (std::map<std::string, std::size_t>{{"csv.stray-quote", 7}}));
    EXPECT_EQ(sink.countOf("csv.stray-quote"), 10u);
    EXPECT_EQ(sink.countOf("csv.blank-line"), 2u);
    EXPECT_EQ(sink.countOf("csv.bare-cr"), 0u);
    EXPECT_EQ(sink.errorCount(), 10u);
    EXPECT_EQ(sink.warningCount(), 2u);

    sink.removeRulesWithPrefix("csv.stray");
    EXPECT_EQ(sink.findings().size(), 2u);
    EXPECT_TRUE(sink.suppressed().empty());
    EXPECT_EQ(sink.errorCount(), 0u);
    EXPECT_EQ(sink.warningCount(), 2u);
    EXPECT_EQ(sink.countOf("csv.stray-quote"), 0u);
}

TEST(CsvReader, ValidatedFileCapsFindingsPerRuleButCountsThemAll) {
    std::string rec = up1kyoRecord();
    rec.insert(rec.find('"') + 1, "\x01"); // inside the first free text
    std::string file;
    for (int i = 0; i < 10; ++i)
        file += rec + "\r\n";
    spec::ValidationOptions options;
    options.perRuleLimit = 2;
    const auto report = spec::validateBytes(kName, file, options);
    EXPECT_EQ(test::rules(report),
              (std::vector<std::string>{"encoding.control-char", "encoding.control-char"}));
    EXPECT_EQ(report.findings.findings()[1].line, 2u);
    EXPECT_EQ(report.findings.suppressed(),
              (std::map<std::string, std::size_t>{{"encoding.control-char", 8}}));
    EXPECT_EQ(report.findings.errorCount(), 10u);
    EXPECT_EQ(report.records, 10u);

    const auto all = spec::validateBytes(kName, file);
    EXPECT_EQ(all.findings.countOf("encoding.control-char"), 10u);
    EXPECT_TRUE(all.findings.suppressed().empty());
}
