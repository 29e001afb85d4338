#include "ReportFormat.h"

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace cplink::spec {
namespace {

using nlohmann::json;

json findingToJson(const Finding& f, Language language) {
    const auto text = renderMessage(f, language);
    json j = {{"severity", severityName(f.severity)},
              {"rule", f.rule},
              {"line", f.line ? json(*f.line) : json(nullptr)},
              {"field", f.field ? json(*f.field) : json(nullptr)},
              {"message", text.message},
              {"hint", text.hint}};
    if (!f.fieldName.empty())
        j["fieldName"] = f.fieldName;
    if (f.column)
        j["column"] = *f.column;
    return j;
}

json fileToJson(const FileReport& file, Language language) {
    json j = {{"path", file.path},
              {"kind", file.kind ? json(std::string(fileKindId(*file.kind))) : json(nullptr)},
              {"valid", file.valid()},
              {"records", file.records},
              {"bytes", file.bytes},
              {"errors", file.findings.errorCount()},
              {"warnings", file.findings.warningCount()}};
    if (file.kind)
        j["kindName"] = kindDisplayName(*file.kind, language);
    if (!file.csvVersion.empty())
        j["csvVersion"] = file.csvVersion;
    if (file.layout)
        j["layout"] = *file.layout == LayoutId::V4 ? "V4" : "V3";
    if (file.name) {
        const auto& n = *file.name;
        j["name"] = {
            {"form", n.form == NameForm::V41 ? "V4.1" : "V3"},
            {"month", n.month.empty() ? json(nullptr) : json(n.month)},
            {"sender", n.sender.str()},
            {"senderService", n.senderService.empty() ? json(nullptr) : json(n.senderService)},
            {"recipient", n.recipient.str()},
            {"recipientService", n.recipientService.empty() ? json(nullptr) : json(n.recipientService)},
            {"sequence", n.sequence},
            {"unit", n.unitKey()}};
    }
    if (!file.ioError.empty())
        j["ioError"] = file.ioError;
    json issues = json::array();
    for (const auto& f : file.findings.findings())
        issues.push_back(findingToJson(f, language));
    j["issues"] = std::move(issues);
    if (!file.findings.suppressed().empty())
        j["suppressed"] = file.findings.suppressed();
    return j;
}

const char* label(Severity s, Language language) {
    if (language == Language::Ja)
        return s == Severity::Error ? "エラー" : "警告";
    return s == Severity::Error ? "error" : "warning";
}

void writeFinding(std::ostringstream& out, const Finding& f, Language language) {
    const auto text = renderMessage(f, language);
    const bool ja = language == Language::Ja;
    out << "      " << label(f.severity, language);
    if (f.line)
        out << (ja ? "  " : "  line ") << *f.line << (ja ? "行" : "");
    if (f.column)
        out << (ja ? " " : " col ") << *f.column << (ja ? "バイト目" : "");
    if (f.field)
        out << (ja ? "  No." : "  field ") << *f.field;
    if (!f.fieldName.empty())
        out << " " << f.fieldName;
    out << "  [" << f.rule << "]\n        " << text.message << "\n";
    if (!text.hint.empty())
        out << "        → " << text.hint << "\n";
}

void writeFile(std::ostringstream& out, const FileReport& file, Language language) {
    const bool ja = language == Language::Ja;
    out << "  " << (file.valid() ? "✔ " : "✘ ") << file.fileName << "\n";
    out << "      ";
    if (file.kind)
        out << kindDisplayName(*file.kind, language);
    else
        out << (ja ? "種別不明" : "unknown kind");
    if (!file.csvVersion.empty())
        out << "  CSV " << file.csvVersion;
    if (file.name && !file.name->month.empty())
        out << (ja ? "  年月 " : "  month ") << file.name->month;
    out << (ja ? "  " : "  records ") << file.records << (ja ? "件" : "");
    out << (ja ? "  エラー " : "  errors ") << file.findings.errorCount() << (ja ? "  警告 " : "  warnings ")
        << file.findings.warningCount() << "\n";
    if (!file.ioError.empty())
        out << "      " << (ja ? "読み込めません: " : "cannot read: ") << file.ioError << "\n";
    for (const auto& f : file.findings.findings())
        writeFinding(out, f, language);
    for (const auto& [rule, count] : file.findings.suppressed())
        out << "      " << (ja ? "… " : "… ") << rule << (ja ? " がほかに " : ": ") << count
            << (ja ? " 件あります（表示を省略）\n" : " more not shown\n");
}

} // namespace

std::string reportToJson(const BatchReport& report, Language language) {
    json files = json::array();
    for (const auto& file : report.files)
        files.push_back(fileToJson(file, language));
    json units = json::array();
    for (std::size_t i = 0; i < report.units.size(); ++i) {
        const auto& unit = report.units[i];
        json paths = json::array();
        for (auto index : unit.files)
            paths.push_back(report.files[index].path);
        json issues = json::array();
        for (const auto& f : unit.findings)
            issues.push_back(findingToJson(f, language));
        units.push_back({{"importOrder", i + 1},
                         {"sequence", unit.sequence},
                         {"key", unit.key},
                         {"combination", unit.combination.empty() ? json(nullptr) : json(unit.combination)},
                         {"files", std::move(paths)},
                         {"issues", std::move(issues)}});
    }
    std::size_t valid = 0;
    for (const auto& f : report.files)
        valid += f.valid() ? 1u : 0u;
    const json doc = {{"files", std::move(files)},
                      {"units", std::move(units)},
                      {"summary",
                       {{"files", report.files.size()},
                        {"validFiles", valid},
                        {"errors", report.errorCount()},
                        {"warnings", report.warningCount()}}}};
    // File names and values come from outside: never let a stray byte break the JSON document.
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string reportToText(const BatchReport& report, Language language) {
    const bool ja = language == Language::Ja;
    std::ostringstream out;
    std::set<std::size_t> shown;
    for (std::size_t i = 0; i < report.units.size(); ++i) {
        const auto& unit = report.units[i];
        const auto& first = *report.files[unit.files.front()].name;
        out << (ja ? "送信単位 " : "Send unit ") << i + 1 << "/" << report.units.size()
            << (ja ? "  連番 " : "  sequence ") << unit.sequence << "  " << first.sender.str();
        if (!first.senderService.empty())
            out << "(" << first.senderService << ")";
        out << " → " << first.recipient.str();
        if (!first.recipientService.empty())
            out << "(" << first.recipientService << ")";
        out << "  " << combinationDisplayName(unit.combination, language) << "\n";
        for (auto index : unit.files) {
            writeFile(out, report.files[index], language);
            shown.insert(index);
        }
        out << "\n";
    }
    bool header = false;
    for (std::size_t i = 0; i < report.files.size(); ++i) {
        if (shown.count(i))
            continue;
        if (!header) {
            out << (ja ? "送信単位に属さないファイル（ファイル名が不正など）\n"
                       : "Files outside any send unit (bad names etc.)\n");
            header = true;
        }
        writeFile(out, report.files[i], language);
    }
    if (header)
        out << "\n";
    std::size_t valid = 0;
    for (const auto& f : report.files)
        valid += f.valid() ? 1u : 0u;
    if (ja)
        out << "合計: " << report.files.size() << " ファイル（問題なし " << valid << "）  エラー "
            << report.errorCount() << "  警告 " << report.warningCount() << "\n";
    else
        out << "Total: " << report.files.size() << " files (" << valid << " valid)  errors "
            << report.errorCount() << "  warnings " << report.warningCount() << "\n";
    if (!report.units.empty()) {
        out << (ja ? "取込順（連番順）: " : "Import order (by sequence): ");
        for (std::size_t i = 0; i < report.units.size(); ++i)
            out << (i ? " → " : "") << report.units[i].sequence;
        out << "\n";
    }
    return out.str();
}

} // namespace cplink::spec
