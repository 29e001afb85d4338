#pragma once

#include "ByteSource.h"
#include "FindingSink.h"
#include "Ms932.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace cplink::spec {

struct CsvField {
    std::string_view value; // unescaped; valid until the next call to CsvReader::next
    bool quoted = false;
    bool nonAscii = false; // holds bytes >= 0x80 (MS932 double-byte or half-width kana)
};

struct CsvRecord {
    std::vector<CsvField> fields;
    std::uint64_t line = 0;  // 1-based physical line where the record starts
    std::uint64_t index = 0; // 1-based record number
    bool blank = false;      // an empty line
};

struct CsvReaderOptions {
    std::size_t chunkSize = 1u << 20;
    // A record longer than this is refused: no care-plan record comes near it, and it bounds memory.
    std::size_t maxRecordBytes = 8u << 20;
};

// Streaming reader for the standard's CSV dialect: comma separated, free text in double quotes with
// "" escapes and line breaks kept, MS932 bytes. It checks the encoding of every byte while it splits
// records (MS932 trail bytes never collide with , " CR LF, so bytes can be split safely first).
// Memory stays bounded by the chunk and the longest record, whatever the file size.
class CsvReader {
public:
    CsvReader(ByteSource& source, FindingSink& sink, CsvReaderOptions options = {});

    // Reads the next record; false at the end of input or after a problem that ends reading.
    bool next(CsvRecord& record);
    // Reports what can only be judged at the end (line endings, UTF-8, emptiness). Call once.
    void finish();

    std::uint64_t recordCount() const { return m_records; }
    std::uint64_t bytesRead() const { return m_fileOffset + m_end; }
    bool stoppedEarly() const { return m_fatal; }
    bool looksUtf8() const { return m_utf8 == Utf8State::Utf8; }

private:
    enum class Parse { Complete, NeedMore, Fatal };
    enum class Utf8State { Unknown, Utf8, NotUtf8 };

    bool fill();
    void sniffStart();
    Parse parseRecord(CsvRecord& record);
    static constexpr std::size_t kNeedMore = static_cast<std::size_t>(-1);
    // Steps over a byte that is not plain ASCII (control, MS932 lead, kana, invalid) at p, reporting
    // any problem; returns the next position or kNeedMore when a character is cut by the buffer end.
    std::size_t stepSpecial(std::size_t p, std::uint8_t byteClass, bool& nonAscii, std::uint64_t line,
                            std::uint64_t lineStart);
    void flushPending();
    void pend(Severity severity, const char* rule, std::uint64_t line, std::uint64_t column,
              MessageArgs args = {});
    void unescape(CsvField& field, std::size_t begin, std::size_t end);

    static constexpr std::size_t kPadding = 16; // readable bytes after the data, for 16-byte scans

    ByteSource& m_source;
    const Ms932* m_ms932 = &Ms932::table();
    FindingSink& m_sink;
    CsvReaderOptions m_options;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;          // parse position in m_buffer
    std::size_t m_end = 0;          // valid bytes in m_buffer
    std::uint64_t m_fileOffset = 0; // file offset of m_buffer[0]
    bool m_eof = false;
    bool m_fatal = false;
    bool m_started = false;
    bool m_bom = false;
    std::uint64_t m_line = 1;
    std::uint64_t m_lineStart = 0; // file offset where the current line starts
    std::uint64_t m_records = 0;
    std::uint64_t m_crlf = 0;
    std::uint64_t m_lf = 0;
    std::uint64_t m_firstLfLine = 0;
    Utf8State m_utf8 = Utf8State::Unknown;
    std::vector<Finding> m_pending;
    struct Span {
        std::size_t begin;
        std::size_t end;
        std::size_t field;
    };
    std::vector<Span> m_spans; // fields of the record being parsed that hold "" escapes
};

} // namespace cplink::spec
