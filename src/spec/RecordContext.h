#pragma once

#include "CsvReader.h"
#include "FindingSink.h"
#include "Report.h"
#include "Schema.h"

#include <string_view>
#include <vector>

namespace cplink::spec {

// Positions of named fields in the layout in use. V3 and V4 number the same field differently
// (第6表 サービス事業者コード is No.17 in V3 and No.20 in V4), so rules find fields by name.
class FieldMap {
public:
    explicit FieldMap(const std::vector<FieldSpec>* layout = nullptr) : m_layout(layout) {}
    // 0-based index of the `occurrence`-th field with this name, or -1.
    int find(std::string_view name, int occurrence = 0) const;

private:
    const std::vector<FieldSpec>* m_layout;
};

// A record whose fields have passed the field checks, as record rules see it.
class RecordView {
public:
    RecordView(const CsvRecord& record, const std::vector<char>& wellFormed)
        : m_record(record), m_wellFormed(wellFormed) {}

    std::uint64_t line() const { return m_record.line; }
    std::string_view value(int index) const {
        return index < 0 ? std::string_view() : m_record.fields[static_cast<std::size_t>(index)].value;
    }
    // True if the field exists and passed its type check.
    bool ok(int index) const { return index >= 0 && m_wellFormed[static_cast<std::size_t>(index)] != 0; }
    bool empty(int index) const { return value(index).empty(); }

private:
    const CsvRecord& m_record;
    const std::vector<char>& m_wellFormed;
};

// What record rules know about the file and where they report.
struct FileContext {
    FileReport& report;
    const std::vector<FieldSpec>& layout;
    FieldMap fields;

    void add(Severity severity, const char* rule, std::uint64_t line, int fieldIndex, MessageArgs args = {});
    void add(Severity severity, const char* rule, std::uint64_t line, MessageArgs args = {}) {
        add(severity, rule, line, -1, std::move(args));
    }
    const StandardFileName* name() const { return report.name ? &*report.name : nullptr; }
};

// Rules that span several fields or records of one file kind.
class KindRules {
public:
    virtual ~KindRules() = default;
    virtual void onRecord(const RecordView& record, FileContext& context) = 0;
    virtual void onEnd(FileContext& /*context*/) {}
};

} // namespace cplink::spec
