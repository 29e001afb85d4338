#include "Ms932.h"

#include <memory>
#include <stdexcept>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ustring.h>
#include <vector>

namespace cplink::spec {
namespace {

struct ConverterCloser {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr openStrictConverter() {
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open("windows-31j", &status));
    if (U_FAILURE(status))
        throw std::runtime_error("ICU has no windows-31j converter");
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    ucnv_setFromUCallBack(converter.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    return converter;
}

// Decodes one complete character; returns the code unit or -1 when ICU rejects the bytes.
int decodeOne(UConverter* converter, const char* bytes, int length) {
    UChar out[4];
    UErrorCode status = U_ZERO_ERROR;
    ucnv_reset(converter);
    const int32_t produced = ucnv_toUChars(converter, out, 4, bytes, length, &status);
    if (U_FAILURE(status) || produced != 1)
        return -1;
    return out[0];
}

// ICU's substitute callback writes U+001A, an invisible control character, for a single invalid
// byte; text shown to people gets U+FFFD for every invalid or cut-off sequence.
void toUnicodeReplacement(const void*, UConverterToUnicodeArgs* args, const char*, int32_t,
                          UConverterCallbackReason reason, UErrorCode* status) {
    if (reason > UCNV_IRREGULAR)
        return;
    static const UChar replacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
}

bool isLeadCandidate(int b) {
    return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
}

} // namespace

Ms932::Ms932() {
    auto converter = openStrictConverter();
    for (int b = 0; b < 256; ++b) {
        const auto byte = static_cast<std::uint8_t>(b);
        if (b == '\t' || (b >= 0x20 && b < 0x7F)) {
            m_bytes[byte] = Byte::Ascii;
        } else if (b < 0x20 || b == 0x7F) {
            m_bytes[byte] = Byte::Control;
        } else if (isLeadCandidate(b)) {
            m_bytes[byte] = Byte::Lead;
        } else {
            const char single = static_cast<char>(byte);
            m_bytes[byte] = decodeOne(converter.get(), &single, 1) >= 0 ? Byte::Kana : Byte::Invalid;
        }
    }
    int userDefined = 0;
    for (int lead = 0x81; lead <= 0xFC; ++lead) {
        if (!isLeadCandidate(lead))
            continue;
        for (int trail = 0x40; trail <= 0xFC; ++trail) {
            const char bytes[2] = {static_cast<char>(lead), static_cast<char>(trail)};
            const int unit = decodeOne(converter.get(), bytes, 2);
            if (unit >= 0xE000 && unit <= 0xF8FF) {
                ++userDefined; // 外字: must be exactly what pair() calls the user-defined area
                if (lead < 0xF0 || lead > 0xF9)
                    throw std::logic_error(
                        "windows-31j maps a pair outside 0xF040-0xF9FC to the private use area");
            } else if (unit >= 0) {
                const auto index = static_cast<std::size_t>(lead) << 8 | static_cast<std::size_t>(trail);
                m_valid[index >> 6] |= std::uint64_t{1} << (index & 63);
            }
        }
    }
    if (userDefined != 10 * 188)
        throw std::logic_error("windows-31j user-defined area is not 0xF040-0xF9FC");
}

const Ms932& Ms932::table() {
    static const Ms932 instance;
    return instance;
}

std::optional<EncodingError> firstMs932Error(std::string_view bytes) {
    const auto& t = Ms932::table();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<std::uint8_t>(bytes[i]);
        switch (t.byteClass(b)) {
        case Ms932::Byte::Ascii:
        case Ms932::Byte::Kana:
            break;
        case Ms932::Byte::Control:
            if (b != '\r' && b != '\n')
                return EncodingError{EncodingProblem::Control, i};
            break;
        case Ms932::Byte::Invalid:
            return EncodingError{EncodingProblem::InvalidByte, i};
        case Ms932::Byte::Lead: {
            if (i + 1 >= bytes.size())
                return EncodingError{EncodingProblem::Truncated, i};
            const auto pair = t.pair(b, static_cast<std::uint8_t>(bytes[i + 1]));
            if (pair == Ms932::Pair::Invalid)
                return EncodingError{EncodingProblem::InvalidSequence, i};
            if (pair == Ms932::Pair::Gaiji)
                return EncodingError{EncodingProblem::Gaiji, i};
            ++i;
            break;
        }
        }
    }
    return std::nullopt;
}

std::string ms932ToUtf8(std::string_view bytes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterCloser> converter(ucnv_open("windows-31j", &status));
    if (U_FAILURE(status))
        return {};
    ucnv_setToUCallBack(converter.get(), toUnicodeReplacement, nullptr, nullptr, nullptr, &status);
    std::vector<UChar> wide(bytes.size() * 2 + 4);
    const int32_t length = ucnv_toUChars(converter.get(), wide.data(), static_cast<int32_t>(wide.size()),
                                         bytes.data(), static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status))
        return {};
    std::string out(static_cast<std::size_t>(length) * 3 + 4, '\0');
    int32_t written = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &written, wide.data(), length, 0xFFFD,
                       nullptr, &status);
    if (U_FAILURE(status))
        return {};
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::optional<std::string> utf8ToMs932(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    std::vector<UChar> wide(utf8.size() + 4);
    int32_t length = 0;
    u_strFromUTF8(wide.data(), static_cast<int32_t>(wide.size()), &length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status))
        return std::nullopt;
    auto converter = openStrictConverter();
    std::string out(static_cast<std::size_t>(length) * 2 + 4, '\0');
    const int32_t written = ucnv_fromUChars(converter.get(), out.data(), static_cast<int32_t>(out.size()),
                                            wide.data(), length, &status);
    if (U_FAILURE(status))
        return std::nullopt;
    out.resize(static_cast<std::size_t>(written));
    return out;
}

bool isWellFormedUtf8(std::string_view bytes, bool& multibyte) {
    multibyte = false;
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        unsigned int min = 0;
        unsigned int cp = 0;
        if ((b & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, cp = b & 0x1Fu;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, cp = b & 0x0Fu;
        } else if ((b & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, cp = b & 0x07u;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(extra) >= bytes.size())
            return false;
        for (int k = 1; k <= extra; ++k) {
            const auto c = static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
            if ((c & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        multibyte = true;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

} // namespace cplink::spec
