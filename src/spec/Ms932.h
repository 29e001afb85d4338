#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cplink::spec {

// MS932 (Windows-31J) byte structure, derived once from ICU's `windows-31j` converter, which has the
// Windows semantics (0x5C is '\', 0x8160 is U+FF5E ～). Validating through these tables instead of
// decoding every byte is what lets the validator run several times faster than a decoder.
class Ms932 {
public:
    enum class Byte : std::uint8_t {
        Ascii,   // 0x20-0x7E, and TAB
        Control, // other C0 controls and DEL (CR and LF are handled by the CSV reader)
        Lead,    // first byte of a double-byte character
        Kana,    // half-width katakana 0xA1-0xDF
        Invalid, // 0x80, 0xA0, 0xFD-0xFF
    };
    enum class Pair : std::uint8_t { Valid, Invalid, Gaiji };

    static const Ms932& table();

    Byte byteClass(std::uint8_t b) const { return m_bytes[b]; }
    // A double-byte character that decodes to a standard (non user-defined) character.
    bool validPair(std::uint8_t lead, std::uint8_t trail) const {
        const std::size_t index = static_cast<std::size_t>(lead) << 8 | trail;
        return (m_valid[index >> 6] >> (index & 63)) & 1u;
    }
    Pair pair(std::uint8_t lead, std::uint8_t trail) const {
        if (validPair(lead, trail))
            return Pair::Valid;
        // The user-defined area 0xF040-0xF9FC: every well-formed pair there is 外字.
        const bool userArea = lead >= 0xF0 && lead <= 0xF9 && trail >= 0x40 && trail <= 0xFC && trail != 0x7F;
        return userArea ? Pair::Gaiji : Pair::Invalid;
    }

private:
    Ms932();
    std::array<Byte, 256> m_bytes{};
    // One bit per (lead, trail): 8 KiB, small enough to stay in the L1 cache while text is checked.
    std::array<std::uint64_t, 1024> m_valid{};
};

enum class EncodingProblem { InvalidByte, InvalidSequence, Truncated, Gaiji, Control };

struct EncodingError {
    EncodingProblem problem;
    std::size_t offset; // byte offset of the offending character
};

// The first MS932 problem in `bytes`, if any. CR and LF count as valid here.
std::optional<EncodingError> firstMs932Error(std::string_view bytes);

// Decodes MS932 for display; invalid bytes become U+FFFD. Never throws.
std::string ms932ToUtf8(std::string_view bytes);
// Encodes UTF-8 text as MS932; returns nullopt if a character has no MS932 form.
std::optional<std::string> utf8ToMs932(std::string_view utf8);

// True if `bytes` is well-formed UTF-8; `multibyte` tells whether it held any non-ASCII character.
bool isWellFormedUtf8(std::string_view bytes, bool& multibyte);

} // namespace cplink::spec
