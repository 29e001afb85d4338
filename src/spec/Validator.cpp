#include "Validator.h"

#include "CommonRules.h"
#include "FieldChecker.h"
#include "FileName.h"
#include "RecordContext.h"
#include "TextRules.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>

namespace cplink::spec {
namespace {

std::string baseName(std::string_view path) {
    const auto slash = path.find_last_of('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

void add(FileReport& report, Severity severity, const char* rule, std::optional<std::uint64_t> line,
         MessageArgs args = {}, std::optional<int> field = std::nullopt, std::string fieldName = {}) {
    Finding f;
    f.severity = severity;
    f.rule = rule;
    f.line = line;
    f.field = field;
    f.fieldName = std::move(fieldName);
    f.args = std::move(args);
    report.findings.add(std::move(f));
}

// A first record whose cells are mostly words is a header row, which the standard does not have.
bool looksLikeHeader(const CsvRecord& record) {
    if (record.fields.empty() || allDigits(record.fields[0].value))
        return false;
    std::size_t words = 0;
    for (const auto& f : record.fields) {
        if (!f.value.empty() && !allDigits(f.value))
            ++words;
    }
    return words * 2 > record.fields.size();
}

void checkImage(FileReport& report, ByteSource& source) {
    unsigned char magic[3] = {0, 0, 0};
    const std::size_t n = source.read(reinterpret_cast<char*>(magic), 3);
    report.bytes = n;
    if (n < 3 || magic[0] != 0xFF || magic[1] != 0xD8 || magic[2] != 0xFF)
        add(report, Severity::Error, "encoding.not-jpeg", std::nullopt);
}

// Which layout of the kind applies: the CSV version decides, else the file-name form.
LayoutId chooseLayout(const KindSpec& spec, const CsvVersionSpec* version, std::optional<NameForm> form) {
    if (spec.v4Only)
        return LayoutId::V4;
    if (version)
        return version->layout;
    return form == NameForm::V3 ? LayoutId::V3 : LayoutId::V4;
}

// The CSV version a service month should use: the newest whose application month has begun.
const CsvVersionSpec* expectedVersionFor(std::string_view month) {
    const CsvVersionSpec* best = nullptr;
    for (const char* value : {"201910", "202003", "202208", "202407"}) {
        const auto* v = Schema::instance().csvVersion(value);
        if (v && v->appliesFrom <= month)
            best = v;
    }
    return best;
}

class FileValidation {
public:
    FileValidation(FileReport& report, const ValidationOptions& options)
        : m_report(report), m_options(options) {}

    void run(ByteSource& source) {
        CsvReader reader(source, m_report.findings, m_options.reader);
        CsvRecord record;
        bool first = true;
        bool sawHeader = false; // the records after a header row are still checked from the first
        while (reader.next(record)) {
            if (record.blank) {
                add(m_report, Severity::Warning, "csv.blank-line", record.line);
                continue;
            }
            if (first && !sawHeader && looksLikeHeader(record)) {
                add(m_report, Severity::Error, "csv.header-row", record.line);
                sawHeader = true;
                continue;
            }
            ++m_report.records;
            if (first) {
                first = false;
                startFile(record);
            }
            checkRecord(record);
        }
        reader.finish();
        m_report.bytes = reader.bytesRead();
        if (m_context) {
            for (auto& rule : m_rules)
                rule->onEnd(*m_context);
        }
        if (m_report.records == 0 && !reader.stoppedEarly())
            add(m_report, Severity::Error, "csv.empty-file", std::nullopt);
    }

private:
    void startFile(const CsvRecord& record) {
        // Kept as printable text: it is shown and compared, and may hold any bytes in a broken file.
        m_rawVersion = std::string(record.fields[0].value);
        m_report.csvVersion = displayValue(m_rawVersion);
        const CsvVersionSpec* version = Schema::instance().csvVersion(m_rawVersion);
        const auto versionArgs = MessageArgs{{"value", displayValue(m_report.csvVersion)}};
        if (!version)
            add(m_report, Severity::Error, "record.csv-version-unknown", record.line, versionArgs, 1,
                "CSVバージョン");
        else if (version->status == "v4.0")
            add(m_report, Severity::Warning, "record.csv-version-v40", record.line, versionArgs, 1,
                "CSVバージョン");
        else if (version->status == "legacy")
            add(m_report, Severity::Warning, "record.csv-version-legacy", record.line, versionArgs, 1,
                "CSVバージョン");
        if (!m_report.kind)
            return;
        const KindSpec& spec = Schema::instance().kind(*m_report.kind);
        const LayoutId layout = chooseLayout(spec, version, m_report.nameForm);
        m_report.layout = layout;
        if (version && m_report.nameForm) {
            const bool v4Name = *m_report.nameForm == NameForm::V41;
            if (v4Name != (version->layout == LayoutId::V4))
                add(m_report, Severity::Error, "record.version-name-mismatch", record.line,
                    {{"value", m_report.csvVersion}, {"form", v4Name ? "V4.1" : "V3"}}, 1, "CSVバージョン");
        }
        if (version && spec.hasMonth && m_report.name && isValidYearMonth(m_report.name->month))
            checkVersionForMonth(*version, m_report.name->month, record.line);
        m_layout = spec.layout(layout);
        m_checker.emplace(*m_layout);
        m_wellFormed.resize(m_layout->size());
        m_context = std::make_unique<FileContext>(FileContext{m_report, *m_layout, FieldMap(m_layout)});
        m_rules = makeKindRules(*m_report.kind, m_context->fields);
    }

    void checkVersionForMonth(const CsvVersionSpec& version, const std::string& month, std::uint64_t line) {
        const CsvVersionSpec* expected = expectedVersionFor(month);
        MessageArgs args{{"value", version.value}, {"month", month}};
        if (version.appliesFrom > month) {
            add(m_report, Severity::Warning, "record.csv-version-not-yet", line, std::move(args), 1,
                "CSVバージョン");
        } else if (expected && version.appliesFrom < expected->appliesFrom) {
            args.emplace_back("expected", expected->value);
            add(m_report, Severity::Warning, "record.csv-version-outdated", line, std::move(args), 1,
                "CSVバージョン");
        }
    }

    void checkRecord(const CsvRecord& record) {
        const auto version = record.fields[0].value;
        if (!sameText(version, m_rawVersion)) {
            add(m_report, Severity::Error, "record.csv-version-mixed", record.line,
                {{"value", displayValue(version)}, {"expected", displayValue(m_report.csvVersion)}}, 1,
                "CSVバージョン");
        }
        if (!m_checker)
            return;
        if (record.fields.size() != m_checker->size()) {
            MessageArgs args{{"count", std::to_string(record.fields.size())},
                             {"expected", std::to_string(m_checker->size())}};
            const KindSpec& spec = Schema::instance().kind(*m_report.kind);
            const auto other = spec.layout(*m_report.layout == LayoutId::V4 ? LayoutId::V3 : LayoutId::V4);
            if (other && other->size() == record.fields.size() && other->size() != m_checker->size())
                args.emplace_back("otherLayout", *m_report.layout == LayoutId::V4 ? "V3" : "V4");
            add(m_report, Severity::Error, "csv.field-count", record.line, std::move(args));
            return;
        }
        m_checker->checkAll(record.fields, record.line, m_report.findings, m_wellFormed);
        const RecordView view(record, m_wellFormed);
        for (auto& rule : m_rules)
            rule->onRecord(view, *m_context);
    }

    FileReport& m_report;
    const ValidationOptions& m_options;
    std::string m_rawVersion;
    const std::vector<FieldSpec>* m_layout = nullptr;
    std::optional<FieldChecker> m_checker;
    std::vector<char> m_wellFormed;
    std::unique_ptr<FileContext> m_context;
    std::vector<std::unique_ptr<KindRules>> m_rules;
};

} // namespace

FileReport validateSource(std::string_view path, ByteSource& source, const ValidationOptions& options) {
    FileReport report(options.perRuleLimit);
    report.path = std::string(path);
    report.fileName = baseName(path);
    const FileNameResult name = parseFileName(report.fileName, report.findings);
    report.kind = name.kind;
    report.nameForm = name.form;
    report.name = name.name;
    try {
        if (report.kind == FileKind::UpKihonImage) {
            checkImage(report, source);
            return report;
        }
        FileValidation(report, options).run(source);
    } catch (const IoError& e) {
        report.ioError = e.what();
    }
    return report;
}

FileReport validateFile(const std::string& path, const ValidationOptions& options) {
    try {
        FileSource source(path);
        return validateSource(path, source, options);
    } catch (const IoError& e) {
        FileReport report(options.perRuleLimit);
        report.path = path;
        report.fileName = baseName(path);
        report.ioError = e.what();
        return report;
    }
}

FileReport validateBytes(std::string_view fileName, std::string_view bytes,
                         const ValidationOptions& options) {
    MemorySource source(bytes);
    return validateSource(fileName, source, options);
}

std::vector<std::string> expandPaths(const std::vector<std::string>& paths) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    std::set<std::string> seen; // a file named twice (itself and through its folder) is validated once
    auto add = [&](const std::string& path) {
        std::error_code ec;
        const auto canonical = fs::weakly_canonical(path, ec);
        if (seen.insert(ec ? path : canonical.string()).second)
            out.push_back(path);
    };
    for (const auto& path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            add(path);
            continue;
        }
        std::vector<std::string> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const auto name = it->path().filename().string();
            if (!name.empty() && name[0] == '.') {
                if (it->is_directory(ec))
                    it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file(ec))
                found.push_back(it->path().string());
        }
        if (ec)
            add(path); // reported as an I/O error when validated
        std::sort(found.begin(), found.end());
        for (const auto& f : found)
            add(f);
    }
    return out;
}

BatchReport validateBatch(const std::vector<std::string>& paths, const ValidationOptions& options) {
    BatchReport batch;
    for (const auto& path : expandPaths(paths))
        batch.files.push_back(validateFile(path, options));
    validateUnits(batch);
    return batch;
}

} // namespace cplink::spec
