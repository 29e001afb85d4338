#pragma once

#include "CsvReader.h"
#include "FindingSink.h"
#include "Schema.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cplink::spec {

// Checks single field values against one layout of the standard. Built once per file; the per-field
// work on the success path does no allocation (100 MB files have tens of millions of fields).
class FieldChecker {
public:
    explicit FieldChecker(const std::vector<FieldSpec>& layout);

    std::size_t size() const { return m_fields.size(); }
    const FieldSpec& spec(std::size_t index) const { return *m_fields[index].spec; }

    // Checks every field of a record that has exactly size() fields and reports problems; wellFormed[i]
    // tells whether field i is present and well-formed for its type, so record rules may rely on it.
    // A value equal to the same field's last well-formed value is not checked again: the standard
    // repeats the header (鑑) fields on every record of a user, so most values repeat.
    void checkAll(const std::vector<CsvField>& fields, std::uint64_t line, FindingSink& sink,
                  std::vector<char>& wellFormed);

private:
    struct Compiled {
        // Copies of what every value needs, side by side: the loop over a record touches nothing else.
        FieldType type = FieldType::Text;
        std::uint32_t maxBytes = 0; // 0: no limit
        bool required = false;
        bool needed = false;
        bool quoted = false;
        bool lengthIsError = true;
        const FieldSpec* spec = nullptr;
        std::vector<std::string> codes;
        std::string codeList; // "1:男性 2:女性" for messages
    };
    bool checkOne(const Compiled& f, const CsvField& field, std::uint64_t line, FindingSink& sink) const;
    // Turns a problem found by checkOne() into a Finding; kept out of line, off the fast path.
    [[gnu::noinline, gnu::cold]] void report(const Compiled& f, int problem, std::string_view value,
                                             std::uint64_t line, FindingSink& sink) const;

    std::vector<Compiled> m_fields;
    struct LastGood {
        char bytes[16];
        std::uint8_t size = 0; // 0: nothing remembered
    };
    std::vector<LastGood> m_lastGood;
};

// A field value made printable for a message and shortened to `limit` characters.
std::string displayValue(std::string_view raw, std::size_t limit = 40);

} // namespace cplink::spec
