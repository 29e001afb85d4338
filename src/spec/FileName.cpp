#include "FileName.h"

#include "Schema.h"
#include "TextRules.h"

#include <vector>

namespace cplink::spec {
namespace {

std::vector<std::string_view> splitParts(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = text.find('_', start);
        parts.push_back(
            text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos)
            return parts;
        start = pos + 1;
    }
}

std::string expectedPattern(FileKind kind, bool month, bool image, NameForm form) {
    std::string p(fileKindId(kind));
    if (month)
        p += "_YYYYMM";
    p +=
        form == NameForm::V41
            ? "_送信元事業所番号(10桁)_送信元サービス種類(2桁)_送信先事業所番号(10桁)_送信先サービス種類(2桁)"
            : "_送信元事業所番号(10桁)_送信先事業所番号(10桁)";
    p += "_YYYYMMDDHHMMSS";
    p += image ? "_枝番(4桁).JPG" : ".CSV";
    return p;
}

void report(FindingSink& sink, Severity severity, std::string rule, MessageArgs args) {
    Finding f;
    f.severity = severity;
    f.rule = std::move(rule);
    f.args = std::move(args);
    sink.add(std::move(f));
}

std::string_view matchPrefix(std::string_view stem, std::optional<FileKind>& kind) {
    const FileKind* kinds = fileKindsByPrefixLength();
    for (int i = 0; i < kFileKindCount; ++i) {
        const auto id = fileKindId(kinds[i]);
        if (stem.size() > id.size() && stem.substr(0, id.size()) == id && stem[id.size()] == '_') {
            kind = kinds[i];
            return stem.substr(id.size() + 1);
        }
    }
    return {};
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'a' && a[i] <= 'z') ? static_cast<char>(a[i] - 32) : a[i];
        if (x != b[i])
            return false;
    }
    return true;
}

bool checkExtension(std::string_view extension, bool image, FindingSink& sink) {
    if (image) {
        if (equalsIgnoreCase(extension, "JPG") || equalsIgnoreCase(extension, "JPEG"))
            return true;
        report(sink, Severity::Error, "filename.extension",
               {{"value", std::string(extension)}, {"expected", ".JPG"}});
        return false;
    }
    if (extension == "CSV")
        return true;
    if (equalsIgnoreCase(extension, "CSV")) {
        // The standard prints .CSV; Windows does not care, but a strict receiver might.
        report(sink, Severity::Warning, "filename.extension-case", {{"value", std::string(extension)}});
        return true;
    }
    report(sink, Severity::Error, "filename.extension",
           {{"value", std::string(extension)}, {"expected", ".CSV"}});
    return false;
}

bool checkOffice(std::string_view part, const char* role, FindingSink& sink) {
    if (OfficeNumber::parse(part))
        return true;
    report(sink, Severity::Error, "filename.office-number", {{"role", role}, {"value", std::string(part)}});
    return false;
}

bool checkServiceKind(std::string_view part, const char* role, FindingSink& sink) {
    if (part.size() != 2 || !allUpperAlnum(part)) {
        report(sink, Severity::Error, "filename.service-kind",
               {{"role", role}, {"value", std::string(part)}});
        return false;
    }
    if (!Schema::instance().serviceKindKnown(part))
        report(sink, Severity::Warning, "filename.service-kind-unknown",
               {{"role", role}, {"value", std::string(part)}});
    return true;
}

} // namespace

std::string StandardFileName::unitKey() const {
    return sender.str() + "_" + senderService + "_" + recipient.str() + "_" + recipientService + "_" +
           sequence;
}

FileNameResult parseFileName(std::string_view fileName, FindingSink& sink) {
    FileNameResult result;
    const auto dot = fileName.rfind('.');
    const std::string_view stem = dot == std::string_view::npos ? fileName : fileName.substr(0, dot);
    const std::string_view extension =
        dot == std::string_view::npos ? std::string_view() : fileName.substr(dot + 1);

    const std::string_view rest = matchPrefix(stem, result.kind);
    if (!result.kind) {
        report(sink, Severity::Error, "filename.unknown-kind", {{"value", std::string(fileName)}});
        return result;
    }
    const KindSpec& spec = Schema::instance().kind(*result.kind);
    bool ok = checkExtension(extension, spec.image, sink);

    auto parts = splitParts(rest);
    const std::size_t fixed = (spec.hasMonth ? 1u : 0u) + (spec.image ? 1u : 0u);
    NameForm form;
    if (parts.size() == fixed + 5) {
        form = NameForm::V41;
    } else if (parts.size() == fixed + 3) {
        form = NameForm::V3;
    } else {
        report(sink, Severity::Error, "filename.syntax",
               {{"value", std::string(fileName)},
                {"expected", expectedPattern(*result.kind, spec.hasMonth, spec.image, NameForm::V41)}});
        return result;
    }
    result.form = form;
    if (form == NameForm::V3 && spec.v4Only) {
        report(sink, Severity::Error, "filename.v3-form-for-v4-kind",
               {{"kind", spec.id},
                {"expected", expectedPattern(*result.kind, spec.hasMonth, spec.image, NameForm::V41)}});
        ok = false;
    }

    std::size_t i = 0;
    StandardFileName name;
    name.kind = *result.kind;
    name.form = form;
    if (spec.hasMonth) {
        name.month = std::string(parts[i++]);
        const bool zeroAllowed = *result.kind == FileKind::UpHosoku && name.month == "000000";
        if (!zeroAllowed && !isValidYearMonth(name.month)) {
            report(sink, Severity::Error, "filename.month",
                   {{"value", name.month}, {"zeroAllowed", *result.kind == FileKind::UpHosoku ? "1" : "0"}});
            ok = false;
        }
    }
    const auto sender = parts[i++];
    ok = checkOffice(sender, "sender", sink) && ok;
    if (form == NameForm::V41) {
        name.senderService = std::string(parts[i++]);
        ok = checkServiceKind(name.senderService, "sender", sink) && ok;
    }
    const auto recipient = parts[i++];
    ok = checkOffice(recipient, "recipient", sink) && ok;
    if (form == NameForm::V41) {
        name.recipientService = std::string(parts[i++]);
        ok = checkServiceKind(name.recipientService, "recipient", sink) && ok;
    }
    name.sequence = std::string(parts[i++]);
    if (!isValidTimestamp(name.sequence)) {
        report(sink, Severity::Error, "filename.sequence", {{"value", name.sequence}});
        ok = false;
    }
    if (spec.image) {
        const auto branch = parts[i++];
        if (branch.size() != 4 || !allDigits(branch)) {
            report(sink, Severity::Error, "filename.image-branch", {{"value", std::string(branch)}});
            ok = false;
        } else {
            name.imageBranch = static_cast<int>(digitsValue(branch));
        }
    }
    if (!ok)
        return result;
    name.sender = *OfficeNumber::parse(sender);
    name.recipient = *OfficeNumber::parse(recipient);
    if (name.sender == name.recipient)
        report(sink, Severity::Warning, "filename.same-office", {{"value", name.sender.str()}});
    result.name = std::move(name);
    return result;
}

} // namespace cplink::spec
