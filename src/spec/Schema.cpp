#include "Schema.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cplink::resources {
std::string_view schemaJson();
}

namespace cplink::spec {
namespace {

using nlohmann::json;

FieldType parseFieldType(const std::string& name) {
    static const std::map<std::string, FieldType> types = {
        {"ym6", FieldType::Ym6},
        {"ym6OrZero", FieldType::Ym6OrZero},
        {"date8", FieldType::Date8},
        {"date8OrZero", FieldType::Date8OrZero},
        {"time4", FieldType::Time4},
        {"time4Or9999", FieldType::Time4Or9999},
        {"numeric", FieldType::Numeric},
        {"integer", FieldType::Integer},
        {"insurerNo", FieldType::InsurerNo},
        {"insuredNo", FieldType::InsuredNo},
        {"officeNo", FieldType::OfficeNo},
        {"serviceCode6", FieldType::ServiceCode6},
        {"serviceKind2", FieldType::ServiceKind2},
        {"taisCode", FieldType::TaisCode},
        {"flags31", FieldType::Flags31},
        {"zip", FieldType::Zip},
        {"phone", FieldType::Phone},
        {"text", FieldType::Text},
        {"code", FieldType::Code},
        {"decimal", FieldType::Decimal},
        {"unused", FieldType::Unused},
    };
    auto it = types.find(name);
    if (it == types.end())
        throw std::runtime_error("schema: unknown field type " + name);
    return it->second;
}

Severity parseSeverity(const std::string& name) {
    if (name == "error")
        return Severity::Error;
    if (name == "warning")
        return Severity::Warning;
    throw std::runtime_error("schema: unknown severity " + name);
}

FieldSpec parseField(const json& j) {
    FieldSpec f;
    f.no = j.at("no").get<int>();
    f.name = j.at("name").get<std::string>();
    f.type = parseFieldType(j.at("type").get<std::string>());
    if (j.contains("max"))
        f.maxBytes = j["max"].get<int>();
    if (j.contains("required"))
        f.required = parseSeverity(j["required"].get<std::string>());
    f.needed = j.value("needed", false);
    f.codeTable = j.value("codes", std::string());
    if (j.contains("range"))
        f.range = std::make_pair(j["range"][0].get<long>(), j["range"][1].get<long>());
    if (j.contains("typeSeverity"))
        f.typeSeverity = parseSeverity(j["typeSeverity"].get<std::string>());
    if (j.contains("lengthSeverity"))
        f.lengthSeverity = parseSeverity(j["lengthSeverity"].get<std::string>());
    f.quoted = j.value("quoted", false);
    return f;
}

std::vector<FileKind> parseKinds(const json& list) {
    std::vector<FileKind> kinds;
    for (const auto& id : list) {
        auto kind = fileKindFromId(id.get<std::string>());
        if (!kind)
            throw std::runtime_error("schema: unknown kind " + id.get<std::string>());
        kinds.push_back(*kind);
    }
    return kinds;
}

std::vector<UnitCombination> parseUnits(const json& list) {
    std::vector<UnitCombination> units;
    for (const auto& u : list)
        units.push_back(
            {u.at("name").get<std::string>(), parseKinds(u.at("required")), parseKinds(u.at("optional"))});
    return units;
}

} // namespace

const std::vector<FieldSpec>* KindSpec::layout(LayoutId layoutId) const {
    auto it = layouts.find(layoutId);
    return it == layouts.end() ? nullptr : &it->second;
}

const Schema& Schema::instance() {
    static const Schema schema = fromJson(resources::schemaJson());
    return schema;
}

Schema Schema::fromJson(std::string_view text) {
    Schema s;
    const json doc = json::parse(text);
    s.m_standard = doc.value("standard", std::string());
    std::array<bool, kFileKindCount> seen{};
    for (const auto& k : doc.at("kinds")) {
        const auto id = k.at("id").get<std::string>();
        auto kind = fileKindFromId(id);
        if (!kind)
            throw std::runtime_error("schema: unknown kind " + id);
        KindSpec& spec = s.m_kinds[static_cast<std::size_t>(*kind)];
        spec.kind = *kind;
        spec.id = id;
        spec.name = k.at("name").get<std::string>();
        spec.nameEn = k.value("nameEn", id);
        spec.hasMonth = k.value("month", false);
        spec.v4Only = k.value("v4Only", false);
        spec.image = k.value("image", false);
        if (k.contains("layouts")) {
            for (const auto& [layoutName, fields] : k["layouts"].items()) {
                const LayoutId layout = layoutName == "v3" ? LayoutId::V3 : LayoutId::V4;
                auto& out = spec.layouts[layout];
                for (const auto& f : fields)
                    out.push_back(parseField(f));
            }
        }
        seen[static_cast<std::size_t>(*kind)] = true;
    }
    for (bool present : seen) {
        if (!present)
            throw std::runtime_error("schema: a file kind is missing");
    }
    for (const auto& [value, v] : doc.at("csvVersions").items()) {
        s.m_versions[value] =
            CsvVersionSpec{value, v.at("layout") == "v3" ? LayoutId::V3 : LayoutId::V4,
                           v.at("appliesFrom").get<std::string>(), v.at("status").get<std::string>()};
    }
    s.m_codeTables = doc.at("codeTables").get<std::map<std::string, std::map<std::string, std::string>>>();
    const auto& kinds = doc.at("serviceKinds");
    auto flag = [&](const char* list, std::uint8_t bit) {
        for (const auto& k : kinds.at(list)) {
            const int slot = serviceKindSlot(k.get<std::string>());
            if (slot < 0)
                throw std::runtime_error("schema: bad service kind " + k.get<std::string>());
            s.m_serviceKinds[static_cast<std::size_t>(slot)] |= bit;
        }
    };
    flag("inScope", kInScope);
    flag("outOfScope", kOutOfScope);
    flag("senderCareManagement", kCareManagement);
    const auto& units = doc.at("sendUnits");
    s.m_unitsV4 = parseUnits(units.at("v4"));
    s.m_unitsV3 = parseUnits(units.at("v3"));
    for (const auto& [parent, list] : units.at("expectedCompanions").items())
        s.m_companions[*fileKindFromId(parent)] = parseKinds(list);
    return s;
}

const CsvVersionSpec* Schema::csvVersion(std::string_view value) const {
    auto it = m_versions.find(std::string(value));
    return it == m_versions.end() ? nullptr : &it->second;
}

const std::map<std::string, std::string>* Schema::codeTable(const std::string& name) const {
    auto it = m_codeTables.find(name);
    return it == m_codeTables.end() ? nullptr : &it->second;
}

int Schema::serviceKindSlot(std::string_view kind) {
    auto digit = [](char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
    };
    if (kind.size() != 2 || digit(kind[0]) < 0 || digit(kind[1]) < 0)
        return -1;
    return digit(kind[0]) * 36 + digit(kind[1]);
}

const std::vector<FileKind>& Schema::expectedCompanions(FileKind kind) const {
    static const std::vector<FileKind> none;
    auto it = m_companions.find(kind);
    return it == m_companions.end() ? none : it->second;
}

} // namespace cplink::spec
