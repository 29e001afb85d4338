// Send-unit checks (本文 2.4 / 3.4): files that share parties and the 14-digit sequence travel and are
// imported together, in sequence order; only the listed combinations exist, and the child files of a
// unit refer to records of its parent file by 保険者番号, 被保険者番号 and a date or month.
#include "Validator.h"

#include <algorithm>
#include <map>
#include <set>

namespace cplink::spec {
namespace {

std::string kindList(const std::vector<FileKind>& kinds) {
    std::string out;
    for (auto k : kinds)
        out += (out.empty() ? "" : ", ") + std::string(fileKindId(k));
    return out;
}

struct Relation {
    FileKind parent;
    std::vector<FileKind> children;
};

const std::vector<Relation>& relations() {
    static const std::vector<Relation> list = {
        {FileKind::Up1Kyo, {FileKind::Up2Kyo, FileKind::Up3Kyo, FileKind::UpHosoku}},
        {FileKind::UpPlan, {FileKind::UpSikyu, FileKind::UpHosoku}},
        {FileKind::UpKihon, {FileKind::UpKihonSub1, FileKind::UpKihonSub2}},
        {FileKind::UpYobo, {FileKind::UpYoboSub}},
    };
    return list;
}

// Image names are compared as Windows does, without case: the standard itself writes both .jpg and .JPG.
std::string foldCase(std::string text) {
    for (auto& c : text) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
}

// Readable form of a unit key "insurer|insured|date" for messages.
std::string displayKey(const std::string& key) {
    std::string out = key;
    std::replace(out.begin(), out.end(), '|', ' ');
    return out;
}

class UnitCheck {
public:
    UnitCheck(BatchReport& batch, UnitReport& unit) : m_batch(batch), m_unit(unit) {
        for (auto index : unit.files)
            m_byKind[*batch.files[index].kind].push_back(index);
    }

    void run() {
        checkDuplicates();
        if (!checkNameForms())
            return;
        matchCombination();
        checkMonths();
        checkVersions();
        for (const auto& relation : relations())
            checkKeys(relation);
        checkImages();
    }

private:
    FileReport& file(std::size_t index) { return m_batch.files[index]; }
    const std::vector<std::size_t>* filesOf(FileKind kind) const {
        auto it = m_byKind.find(kind);
        return it == m_byKind.end() ? nullptr : &it->second;
    }

    // Adds a unit finding to the given files (or to all files of the unit) and to the unit itself.
    void report(Severity severity, const char* rule, MessageArgs args,
                const std::vector<std::size_t>& files = {},
                std::optional<std::uint64_t> line = std::nullopt) {
        Finding f;
        f.severity = severity;
        f.rule = rule;
        f.line = line;
        f.args = std::move(args);
        for (auto index : files.empty() ? m_unit.files : files)
            file(index).findings.add(f);
        m_unit.findings.push_back(std::move(f));
    }

    void checkDuplicates() {
        for (const auto& [kind, files] : m_byKind) {
            if (kind != FileKind::UpKihonImage && files.size() > 1)
                report(Severity::Error, "unit.duplicate-kind", {{"kind", std::string(fileKindId(kind))}},
                       files);
        }
    }

    bool checkNameForms() {
        std::set<NameForm> forms;
        for (auto index : m_unit.files)
            forms.insert(file(index).name->form);
        if (forms.size() > 1) {
            report(Severity::Error, "unit.mixed-name-forms", {});
            return false;
        }
        m_layout = *forms.begin() == NameForm::V41 ? LayoutId::V4 : LayoutId::V3;
        return true;
    }

    void matchCombination() {
        std::set<FileKind> present;
        for (const auto& [kind, files] : m_byKind)
            present.insert(kind);
        const UnitCombination* best = nullptr;
        std::size_t bestOverlap = 0;
        for (const auto& combination : Schema::instance().unitCombinations(m_layout)) {
            std::set<FileKind> allowed(combination.required.begin(), combination.required.end());
            allowed.insert(combination.optional.begin(), combination.optional.end());
            const bool hasRequired = std::all_of(combination.required.begin(), combination.required.end(),
                                                 [&](FileKind k) { return present.count(k) > 0; });
            const bool onlyAllowed =
                std::all_of(present.begin(), present.end(), [&](FileKind k) { return allowed.count(k) > 0; });
            if (hasRequired && onlyAllowed) {
                m_unit.combination = combination.name;
                checkCompanions();
                return;
            }
            // Optional kinds count too: a lone UPKIHON_SUB1 still points at the UPKIHON it lacks.
            const auto overlap = static_cast<std::size_t>(std::count_if(
                present.begin(), present.end(), [&](FileKind k) { return allowed.count(k) > 0; }));
            if (overlap > bestOverlap) {
                bestOverlap = overlap;
                best = &combination;
            }
        }
        std::vector<FileKind> missing;
        std::vector<FileKind> extra;
        if (best) {
            std::set<FileKind> allowed(best->required.begin(), best->required.end());
            allowed.insert(best->optional.begin(), best->optional.end());
            for (auto k : best->required) {
                if (!present.count(k))
                    missing.push_back(k);
            }
            for (auto k : present) {
                if (!allowed.count(k))
                    extra.push_back(k);
            }
        }
        report(Severity::Error, "unit.combination",
               {{"present", kindList({present.begin(), present.end()})},
                {"missing", kindList(missing)},
                {"extra", kindList(extra)},
                {"expected", best ? kindList(best->required) : std::string()}});
    }

    void checkCompanions() {
        for (const auto& [kind, files] : m_byKind) {
            for (auto companion : Schema::instance().expectedCompanions(kind)) {
                if (!filesOf(companion))
                    report(Severity::Warning, "unit.companion-missing",
                           {{"kind", std::string(fileKindId(kind))},
                            {"companion", std::string(fileKindId(companion))}},
                           files);
            }
        }
    }

    void checkMonths() {
        // Every file with a month must name the same one, except a plan-bound 利用者補足 (000000).
        // The reference is the main file's month (第6表 etc.), so an odd supplement is the one blamed.
        std::string month;
        std::size_t monthFile = 0;
        for (auto index : m_unit.files) {
            const auto& name = *file(index).name;
            if (!name.month.empty() && name.month != "000000" &&
                (month.empty() || name.kind != FileKind::UpHosoku)) {
                month = name.month;
                monthFile = index;
                if (name.kind != FileKind::UpHosoku)
                    break;
            }
        }
        for (auto index : m_unit.files) {
            const auto& name = *file(index).name;
            if (name.month.empty() || name.month == "000000")
                continue;
            if (name.month != month) {
                report(Severity::Error, "unit.month-mismatch",
                       {{"value", name.month}, {"expected", month}, {"other", file(monthFile).fileName}},
                       {index});
            }
        }
        const auto* supplements = filesOf(FileKind::UpHosoku);
        if (!supplements)
            return;
        for (auto index : *supplements) {
            const bool planBound = file(index).name->month == "000000";
            if (m_unit.combination == "plan" && !planBound)
                report(Severity::Error, "unit.supplement-form", {{"expected", "000000"}}, {index});
            if (m_unit.combination == "usage" && planBound)
                report(Severity::Error, "unit.supplement-form", {{"expected", month}}, {index});
        }
    }

    void checkVersions() {
        std::set<std::string> versions;
        for (auto index : m_unit.files) {
            if (!file(index).csvVersion.empty())
                versions.insert(file(index).csvVersion);
        }
        if (versions.size() > 1) {
            std::string list;
            for (const auto& v : versions)
                list += (list.empty() ? "" : ", ") + v;
            report(Severity::Warning, "unit.version-mixed", {{"values", list}});
        }
    }

    void checkKeys(const Relation& relation) {
        const auto* parents = filesOf(relation.parent);
        if (!parents || parents->size() != 1)
            return;
        const FileReport& parent = file(parents->front());
        for (auto childKind : relation.children) {
            const auto* children = filesOf(childKind);
            if (!children)
                continue;
            for (auto index : *children) {
                std::set<std::string> childKeys;
                for (const auto& [key, line] : file(index).unitKeys) {
                    childKeys.insert(key);
                    if (!parent.unitKeys.count(key))
                        report(
                            Severity::Error, "unit.key-not-in-parent",
                            {{"key", displayKey(key)}, {"parent", std::string(fileKindId(relation.parent))}},
                            {index}, line);
                }
                if (childKind != FileKind::UpHosoku)
                    continue;
                for (const auto& [key, line] : parent.unitKeys) {
                    if (!childKeys.count(key))
                        report(Severity::Warning, "unit.supplement-missing-for-user",
                               {{"key", displayKey(key)}}, {parents->front()}, line);
                }
            }
        }
    }

    void checkImages() {
        const auto* basics = filesOf(FileKind::UpKihon);
        const auto* images = filesOf(FileKind::UpKihonImage);
        std::set<std::string> present;
        if (images) {
            for (auto index : *images)
                present.insert(foldCase(file(index).fileName));
        }
        std::set<std::string> referenced;
        if (basics) {
            for (auto index : *basics) {
                for (const auto& [image, line] : file(index).imageRefs) {
                    referenced.insert(foldCase(image));
                    if (!present.count(foldCase(image)))
                        report(Severity::Warning, "unit.image-missing", {{"value", image}}, {index}, line);
                }
            }
        }
        if (images) {
            for (auto index : *images) {
                if (!referenced.count(foldCase(file(index).fileName)))
                    report(Severity::Warning, "unit.image-unreferenced", {{"value", file(index).fileName}},
                           {index});
            }
        }
    }

    BatchReport& m_batch;
    UnitReport& m_unit;
    std::map<FileKind, std::vector<std::size_t>> m_byKind;
    LayoutId m_layout = LayoutId::V4;
};

} // namespace

void validateUnits(BatchReport& batch) {
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>>
        groups; // (sequence, key) -> files
    std::vector<std::size_t> v3Names;
    for (std::size_t i = 0; i < batch.files.size(); ++i) {
        const auto& f = batch.files[i];
        if (f.name && f.ioError.empty()) {
            if (f.name->form == NameForm::V3)
                v3Names.push_back(i);
            else
                groups[{f.name->sequence, f.name->unitKey()}].push_back(i);
        }
    }
    // A V3 name has no service kinds, so its unit key never equals a V4.1 one: let it join the V4.1
    // unit of the same offices and sequence, where unit.mixed-name-forms reports it.
    for (auto i : v3Names) {
        const auto& name = *batch.files[i].name;
        auto target = std::find_if(groups.begin(), groups.end(), [&](const auto& group) {
            const auto& other = *batch.files[group.second.front()].name;
            return other.form == NameForm::V41 && other.sequence == name.sequence &&
                   other.sender == name.sender && other.recipient == name.recipient;
        });
        if (target == groups.end())
            target = groups.try_emplace({name.sequence, name.unitKey()}).first;
        target->second.push_back(i);
    }
    batch.units.clear();
    for (auto& [id, files] : groups) {
        std::sort(files.begin(), files.end(), [&](std::size_t a, std::size_t b) {
            return *batch.files[a].kind < *batch.files[b].kind ||
                   (*batch.files[a].kind == *batch.files[b].kind &&
                    batch.files[a].fileName < batch.files[b].fileName);
        });
        UnitReport unit;
        unit.sequence = id.first;
        unit.key = id.second;
        unit.files = files;
        batch.units.push_back(std::move(unit));
    }
    for (auto& unit : batch.units)
        UnitCheck(batch, unit).run();
}

} // namespace cplink::spec
