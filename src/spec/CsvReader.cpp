#include "CsvReader.h"

#include "Ms932.h"

#include <algorithm>
#include <array>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cplink::spec {
namespace {

// Byte classes for the splitting loop; everything that needs no attention is Plain.
// Half-width katakana is valid but leaves the ASCII fast path, so fields know they hold non-ASCII.
enum Class : std::uint8_t { Plain, Comma, Quote, Cr, Lf, Control, Lead, Invalid, Kana };

struct ClassTable {
    std::array<std::uint8_t, 256> of{};
    ClassTable() {
        const auto& ms = Ms932::table();
        for (int b = 0; b < 256; ++b) {
            switch (ms.byteClass(static_cast<std::uint8_t>(b))) {
            case Ms932::Byte::Ascii:
                of[static_cast<std::size_t>(b)] = Plain;
                break;
            case Ms932::Byte::Kana:
                of[static_cast<std::size_t>(b)] = Kana;
                break;
            case Ms932::Byte::Control:
                of[static_cast<std::size_t>(b)] = Control;
                break;
            case Ms932::Byte::Lead:
                of[static_cast<std::size_t>(b)] = Lead;
                break;
            case Ms932::Byte::Invalid:
                of[static_cast<std::size_t>(b)] = Invalid;
                break;
            }
        }
        of[static_cast<std::uint8_t>(',')] = Comma;
        of[static_cast<std::uint8_t>('"')] = Quote;
        of[static_cast<std::uint8_t>('\r')] = Cr;
        of[static_cast<std::uint8_t>('\n')] = Lf;
    }
};

const ClassTable& classes() {
    static const ClassTable table;
    return table;
}

// Steps over a run of valid MS932 double-byte characters starting at p.
inline std::size_t skipDoubleByteRun(const Ms932& pairs, const std::array<std::uint8_t, 256>& cls,
                                     const char* buf, std::size_t p, std::size_t end) {
    while (p + 1 < end && cls[static_cast<std::uint8_t>(buf[p])] == Lead &&
           pairs.validPair(static_cast<std::uint8_t>(buf[p]), static_cast<std::uint8_t>(buf[p + 1])))
        p += 2;
    return p;
}

// The first position in [p, end) that may need attention: , " controls (CR LF TAB included) DEL and
// bytes >= 0x80. Sixteen bytes per step; the buffer keeps kPadding readable bytes past `end`, so the
// last block may look beyond it but never reports anything there.
inline std::size_t skipPlain(const char* buf, std::size_t p, std::size_t end) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i del = _mm_set1_epi8(0x7F);
    const __m128i space = _mm_set1_epi8(0x20);
    while (p < end) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + p));
        // Signed compare: bytes >= 0x80 are negative, so "less than space" also catches them.
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, quote)),
                                             _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del)));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (mask != 0)
            return std::min(end, p + static_cast<std::size_t>(__builtin_ctz(mask)));
        p += 16;
    }
    return end;
#else
    const auto& cls = classes().of;
    while (p < end && cls[static_cast<std::uint8_t>(buf[p])] == Plain)
        ++p;
    return p;
#endif
}

std::string hexByte(std::uint8_t b) {
    static const char* digits = "0123456789ABCDEF";
    return {'0', 'x', digits[b >> 4], digits[b & 15]};
}

std::string limitText(std::size_t bytes) {
    return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes) + " bytes";
}

#if defined(__SSE2__)
// Emits the unquoted plain-ASCII fields that start at `begin`, sixteen bytes at a time, using the
// comma bits of each block; stops at the first byte that needs attention (quote, non-ASCII, control,
// line break) or at `end`, and returns that position, with `begin` the start of its field. Most
// fields of the standard's files are short codes and numbers: this is where they are split.
inline std::size_t scanPlainFields(const char* buf, std::size_t& begin, std::size_t end,
                                   std::vector<CsvField>& fields) {
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i del = _mm_set1_epi8(0x7F);
    const __m128i space = _mm_set1_epi8(0x20);
    std::size_t p = begin;
    while (p < end) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + p));
        auto commas = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, comma)));
        auto specials = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(x, quote), _mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del)))));
        if (end - p < 16) {
            const unsigned valid = (1u << (end - p)) - 1u;
            commas &= valid;
            specials &= valid;
        }
        const unsigned stop = specials & (0u - specials); // lowest special byte, or 0
        for (unsigned c = commas & (stop ? stop - 1u : 0xFFFFu); c != 0; c &= c - 1u) {
            const std::size_t q = p + static_cast<std::size_t>(__builtin_ctz(c));
            fields.push_back(CsvField{std::string_view(buf + begin, q - begin), false, false});
            begin = q + 1;
        }
        if (stop)
            return p + static_cast<std::size_t>(__builtin_ctz(stop));
        p += 16;
    }
    return end;
}
#endif

} // namespace

CsvReader::CsvReader(ByteSource& source, FindingSink& sink, CsvReaderOptions options)
    : m_source(source), m_sink(sink), m_options(options) {
    m_buffer.resize(m_options.chunkSize + kPadding);
}

bool CsvReader::fill() {
    if (m_pos > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_pos, m_end - m_pos);
        m_fileOffset += m_pos;
        m_end -= m_pos;
        m_pos = 0;
    }
    if (m_buffer.size() - m_end < m_options.chunkSize + kPadding)
        m_buffer.resize(m_end + m_options.chunkSize + kPadding);
    const std::size_t n = m_source.read(m_buffer.data() + m_end, m_buffer.size() - m_end - kPadding);
    if (n == 0)
        m_eof = true;
    m_end += n;
    return n > 0;
}

void CsvReader::pend(Severity severity, const char* rule, std::uint64_t line, std::uint64_t column,
                     MessageArgs args) {
    Finding f;
    f.severity = severity;
    f.rule = rule;
    f.line = line;
    if (column > 0)
        f.column = column;
    f.args = std::move(args);
    m_pending.push_back(std::move(f));
}

void CsvReader::flushPending() {
    for (auto& f : m_pending)
        m_sink.add(std::move(f));
    m_pending.clear();
}

void CsvReader::sniffStart() {
    while (m_end < 4096 && !m_eof)
        fill();
    const auto* b = reinterpret_cast<const unsigned char*>(m_buffer.data());
    if (m_end >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        pend(Severity::Error, "encoding.utf16", 1, 1);
        m_fatal = true;
        return;
    }
    if (m_end >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        m_bom = true;
        m_pos = 3;
        pend(Severity::Error, "encoding.utf8-bom", 1, 1);
    }
    const std::size_t probe = std::min<std::size_t>(m_end, 4096);
    std::size_t evenNul = 0;
    std::size_t oddNul = 0;
    for (std::size_t i = 0; i < probe; ++i) {
        if (b[i] == 0)
            (i % 2 == 0 ? evenNul : oddNul)++;
    }
    if (evenNul + oddNul > 0) {
        // Text in UTF-16 has a NUL in every other byte; anything else with NULs is not text at all.
        const bool utf16 = std::max(evenNul, oddNul) * 4 >= probe && std::min(evenNul, oddNul) * 8 < probe;
        pend(Severity::Error, utf16 ? "encoding.utf16" : "encoding.binary", 1, 0);
        m_fatal = true;
    }
}

std::size_t CsvReader::stepSpecial(std::size_t p, std::uint8_t c, bool& nonAscii, std::uint64_t line,
                                   std::uint64_t lineStart) {
    const char* buf = m_buffer.data();
    const auto byte = static_cast<std::uint8_t>(buf[p]);
    const std::uint64_t column = m_fileOffset + p - lineStart + 1;
    if (c == Control) {
        pend(Severity::Error, "encoding.control-char", line, column, {{"byte", hexByte(byte)}});
        return p + 1;
    }
    nonAscii = true;
    if (c == Kana)
        return p + 1;
    if (c == Invalid) {
        pend(Severity::Error, "encoding.invalid-byte", line, column, {{"byte", hexByte(byte)}});
        return p + 1;
    }
    if (p + 1 >= m_end) {
        if (!m_eof)
            return kNeedMore;
        pend(Severity::Error, "encoding.truncated", line, column, {{"byte", hexByte(byte)}});
        return p + 1;
    }
    const auto trail = static_cast<std::uint8_t>(buf[p + 1]);
    switch (m_ms932->pair(byte, trail)) {
    case Ms932::Pair::Valid:
        break;
    case Ms932::Pair::Gaiji:
        pend(Severity::Error, "encoding.gaiji", line, column,
             {{"byte", hexByte(byte) + hexByte(trail).substr(2)}});
        break;
    case Ms932::Pair::Invalid:
        pend(Severity::Error, "encoding.invalid-sequence", line, column,
             {{"byte", hexByte(byte) + " " + hexByte(trail)}});
        // A trail byte that is a delimiter or ASCII control starts a character of its own; re-read it.
        return p + ((trail < 0x40 || trail == 0x7F) ? 1 : 2);
    }
    return p + 2;
}

// The hot loop of the validator. Positions live in locals (not captured by reference) so that the
// compiler keeps them in registers; anything unusual leaves the loop for stepSpecial().
CsvReader::Parse CsvReader::parseRecord(CsvRecord& record) {
    const auto& cls = classes().of;
    const char* buf = m_buffer.data();
    const std::size_t end = m_end;
    std::size_t p = m_pos;
    const std::size_t recordStart = p;
    std::uint64_t line = m_line;
    std::uint64_t lineStart = m_lineStart;
    std::uint64_t crlf = 0;
    std::uint64_t lf = 0;
    bool recordNonAscii = false;
    m_pending.clear();
    record.fields.clear();
    m_spans.clear();
    const Ms932& pairs = *m_ms932;
    auto classOf = [&](std::size_t at) {
        return cls[static_cast<std::uint8_t>(buf[at])];
    };
    auto lead = [&](std::size_t at) {
        return static_cast<std::uint8_t>(buf[at]);
    };
    auto trail = [&](std::size_t at) {
        return static_cast<std::uint8_t>(buf[at + 1]);
    };
    auto columnOf = [&](std::size_t at) {
        return m_fileOffset + at - lineStart + 1;
    };

    while (true) {
        bool quoted = false;
        bool escapes = false;
        bool nonAscii = false;
        std::size_t begin = p;
#if defined(__SSE2__)
        p = scanPlainFields(buf, begin, end, record.fields);
#endif
        std::size_t fieldEnd = p;
        if (p == begin && p < end && buf[p] == '"') {
            quoted = true;
            const std::uint64_t openLine = line;
            const std::uint64_t openColumn = columnOf(p);
            begin = ++p;
            bool closed = false;
            while (!closed) {
                p = skipPlain(buf, p, end);
                if (p >= end) {
                    if (!m_eof)
                        return Parse::NeedMore;
                    pend(Severity::Error, "csv.unterminated-quote", openLine, openColumn);
                    flushPending();
                    return Parse::Fatal;
                }
                const std::uint8_t c = classOf(p);
                if (c == Quote) {
                    if (p + 1 >= end && !m_eof)
                        return Parse::NeedMore;
                    if (p + 1 < end && buf[p + 1] == '"') {
                        escapes = true;
                        p += 2;
                    } else {
                        fieldEnd = p++;
                        closed = true;
                    }
                } else if (c == Lf) {
                    ++p;
                    ++line;
                    lineStart = m_fileOffset + p;
                } else if (c == Cr || c == Comma || c == Plain) {
                    ++p;
                } else if (c == Lead && p + 1 < end && pairs.validPair(lead(p), trail(p))) {
                    nonAscii = true; // the common case, runs of Japanese text, kept out of stepSpecial
                    p = skipDoubleByteRun(pairs, cls, buf, p + 2, end);
                } else {
                    p = stepSpecial(p, c, nonAscii, line, lineStart);
                    if (p == kNeedMore)
                        return Parse::NeedMore;
                }
            }
            if (p < end && buf[p] != ',' && buf[p] != '\r' && buf[p] != '\n') {
                pend(Severity::Error, "csv.text-after-quote", line, columnOf(p));
                while (p < end && buf[p] != ',' && buf[p] != '\r' && buf[p] != '\n') {
                    const std::uint8_t c = classOf(p);
                    if (c == Plain || c == Quote)
                        ++p;
                    else if ((p = stepSpecial(p, c, nonAscii, line, lineStart)) == kNeedMore)
                        return Parse::NeedMore;
                }
                if (p >= end && !m_eof)
                    return Parse::NeedMore;
            }
        } else {
            bool strayReported = false;
            while (true) {
                p = skipPlain(buf, p, end);
                if (p >= end) {
                    if (!m_eof)
                        return Parse::NeedMore;
                    break;
                }
                const std::uint8_t c = classOf(p);
                if (c == Comma || c == Cr || c == Lf)
                    break;
                if (c == Plain) {
                    ++p; // TAB
                } else if (c == Lead && p + 1 < end && pairs.validPair(lead(p), trail(p))) {
                    nonAscii = true;
                    p = skipDoubleByteRun(pairs, cls, buf, p + 2, end);
                } else if (c == Quote) {
                    if (!strayReported)
                        pend(Severity::Error, "csv.stray-quote", line, columnOf(p));
                    strayReported = true;
                    ++p;
                } else if ((p = stepSpecial(p, c, nonAscii, line, lineStart)) == kNeedMore) {
                    return Parse::NeedMore;
                }
            }
            fieldEnd = p;
        }
        recordNonAscii = recordNonAscii || nonAscii;
        // Unescaping rewrites the buffer, so it waits until the record is complete (a record cut by
        // the buffer end is parsed again from its start).
        if (escapes)
            m_spans.push_back(Span{begin, fieldEnd, record.fields.size()});
        record.fields.push_back(CsvField{std::string_view(buf + begin, fieldEnd - begin), quoted, nonAscii});

        if (p >= end)
            break; // last record of the file without a line break
        const char c = buf[p];
        if (c == ',') {
            ++p;
            if (p >= end && !m_eof)
                return Parse::NeedMore;
            continue;
        }
        if (c == '\n') {
            ++p;
            ++lf;
            if (m_firstLfLine == 0)
                m_firstLfLine = line;
        } else {
            if (p + 1 >= end && !m_eof)
                return Parse::NeedMore;
            if (p + 1 < end && buf[p + 1] == '\n') {
                p += 2;
                ++crlf;
            } else {
                pend(Severity::Error, "csv.bare-cr", line, columnOf(p));
                ++p;
            }
        }
        ++line;
        lineStart = m_fileOffset + p;
        break;
    }

    if (recordNonAscii && m_utf8 != Utf8State::NotUtf8) {
        bool multibyte = false;
        if (!isWellFormedUtf8(std::string_view(buf + recordStart, p - recordStart), multibyte))
            m_utf8 = Utf8State::NotUtf8;
        else if (multibyte)
            m_utf8 = Utf8State::Utf8;
    }
    if (p - recordStart > m_options.maxRecordBytes) {
        // The same limit whether the record arrived in one read or across refills.
        pend(Severity::Error, "csv.record-too-long", m_line, 0,
             {{"limit", limitText(m_options.maxRecordBytes)}});
        flushPending();
        return Parse::Fatal;
    }
    for (const Span& span : m_spans)
        unescape(record.fields[span.field], span.begin, span.end);
    record.blank = record.fields.size() == 1 && record.fields[0].value.empty() && !record.fields[0].quoted;
    record.line = m_line;
    record.index = ++m_records;
    m_pos = p;
    m_line = line;
    m_lineStart = lineStart;
    m_crlf += crlf;
    m_lf += lf;
    flushPending();
    return Parse::Complete;
}

void CsvReader::unescape(CsvField& field, std::size_t begin, std::size_t end) {
    // Collapses "" to " in place; the result is never longer than the input.
    char* buf = m_buffer.data();
    std::size_t out = begin;
    for (std::size_t in = begin; in < end; ++in) {
        buf[out++] = buf[in];
        if (buf[in] == '"' && in + 1 < end && buf[in + 1] == '"')
            ++in;
    }
    field.value = std::string_view(buf + begin, out - begin);
}

bool CsvReader::next(CsvRecord& record) {
    if (m_fatal)
        return false;
    if (!m_started) {
        m_started = true;
        sniffStart();
        flushPending();
        if (m_fatal)
            return false;
    }
    while (true) {
        if (m_pos >= m_end) {
            if (m_eof)
                return false;
            fill();
            continue;
        }
        const Parse result = parseRecord(record);
        if (result == Parse::Complete)
            return true;
        if (result == Parse::Fatal) {
            m_fatal = true;
            return false;
        }
        if (m_end - m_pos >= m_options.maxRecordBytes) {
            Finding f;
            f.rule = "csv.record-too-long";
            f.line = m_line;
            f.args = {{"limit", limitText(m_options.maxRecordBytes)}};
            m_sink.add(std::move(f));
            m_fatal = true;
            return false;
        }
        fill();
    }
}

void CsvReader::finish() {
    if (m_lf > 0 && m_crlf > 0) {
        Finding f;
        f.severity = Severity::Warning;
        f.rule = "csv.line-ending-mixed";
        f.line = m_firstLfLine;
        f.args = {{"lf", std::to_string(m_lf)}, {"crlf", std::to_string(m_crlf)}};
        m_sink.add(std::move(f));
    } else if (m_lf > 0) {
        Finding f;
        f.severity = Severity::Warning;
        f.rule = "csv.line-ending-lf";
        f.args = {{"lf", std::to_string(m_lf)}};
        m_sink.add(std::move(f));
    }
    if (m_utf8 == Utf8State::Utf8) {
        // Every non-ASCII byte formed valid UTF-8: the MS932 complaints are all symptoms of that.
        m_sink.removeRulesWithPrefix("encoding.");
        Finding f;
        f.rule = "encoding.utf8";
        f.args = {{"bom", m_bom ? "1" : "0"}};
        m_sink.add(std::move(f));
    }
}

} // namespace cplink::spec
