#pragma once

#include "spec/FileKind.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

// Test data in the standard's format. Records are written in UTF-8 here and encoded to MS932
// only when a file is made, so tests read naturally and still exercise the real encoding.
namespace cplink::testdata {

using Fields = std::vector<std::string>; // one record; free text already in double quotes

struct SampleFile {
    std::string name;  // standard file name
    std::string bytes; // file content as written to disk (MS932, CRLF)
};

// Free text as the standard writes it: in double quotes (inner quotes must already be doubled).
std::string quoted(std::string_view text);
// MS932 bytes of UTF-8 text; throws if a character has no MS932 form.
std::string sjis(std::string_view utf8);
// Joins fields with commas and records with `eol` (UTF-8 text; encode with sjis()).
std::string toCsv(const std::vector<Fields>& records, std::string_view eol = "\r\n");
std::string joinRecord(const Fields& fields);

// A valid V4.1 record of the kind for the default user (保険者 123456, 被保険者 1234567890,
// plan date 20250320, service month 202504, 相談日 / 計画作成日 20250301).
// UPHOSOKU comes in its plan-bound form; use usageSupplement() for the usage-bound one.
Fields validRecord(spec::FileKind kind);
Fields usageSupplement(std::string_view month = "202504");
// The grand total row (999999) of 第7表 for the default user.
Fields annexGrandTotal();

// Standard V4.1 file name: kind, month (empty for kinds without one), sequence, parties.
std::string fileName(spec::FileKind kind, std::string_view month = {},
                     std::string_view sequence = "20250320093000", std::string_view sender = "0300000100",
                     std::string_view senderService = "43", std::string_view recipient = "0300000005",
                     std::string_view recipientService = "11");

// Actuals and their deletes travel from the service office (0300000005, 11) back to the care manager
// (0300000100, 43); every other kind goes the other way.
bool travelsBack(spec::FileKind kind);
// The month part a file of the kind carries by default: 000000 for UPHOSOKU (its plan-bound form, as
// validRecord() writes it), 202504 for the other kinds with a month, none otherwise.
std::string defaultMonth(spec::FileKind kind);
// File names between those two offices in the direction the kind travels, V4.1 and V3 form.
std::string directedFileName(spec::FileKind kind, std::string_view month,
                             std::string_view sequence = "20250320093000");
std::string directedV3FileName(spec::FileKind kind, std::string_view month,
                               std::string_view sequence = "20250320093000");

// A realistic month between a 居宅介護支援事業所 (0300000100), a 訪問介護 office (0300000005),
// a 福祉用具貸与 office (0300000007) and a 地域包括支援センター (0310000001): plan unit, usage
// unit, actuals back, a usage delete and a prevention unit. Every file is valid.
std::vector<SampleFile> sampleMonth();

// A large 第6表 予定 with realistic Japanese free text, generated record by record (for benchmarks).
class UsageSlipGenerator {
public:
    explicit UsageSlipGenerator(std::string_view month = "202504");
    // Appends about `bytes` bytes of complete MS932 records to `out`.
    void append(std::string& out, std::size_t bytes);

private:
    std::string m_month;
    std::size_t m_user = 0;
    std::vector<std::string> m_names;
    std::vector<std::string> m_offices;
};

} // namespace cplink::testdata
