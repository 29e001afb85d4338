#include "exchange/SendPlan.h"

#include "exchange/EngineContext.h"
#include "spec/FileKind.h"
#include "spec/Validator.h"

namespace cplink::exchange {

namespace {

PlannedFile plannedFile(const EngineContext& context, const spec::FileReport& report) {
    PlannedFile file;
    file.path = report.path;
    file.fileName = report.fileName;
    file.errors = report.findings.errorCount();
    file.warnings = report.findings.warningCount();
    file.bytes = report.bytes;
    if (report.name) {
        const spec::StandardFileName& name = *report.name;
        file.kind = std::string(spec::fileKindId(name.kind));
        file.month = name.month;
        file.sequence = name.sequence;
        file.unitKey = name.unitKey();
        file.sender = name.sender.str();
        file.recipient = name.recipient.str();
    }
    if (!report.ioError.empty())
        file.refusal = "読み込めません (cannot read): " + report.ioError;
    else if (!report.name)
        file.refusal = "ファイル名が標準仕様の形式ではありません (not a standard file name)";
    else if (file.errors > 0)
        file.refusal = "標準仕様のエラーが " + std::to_string(file.errors) + " 件あります (" +
                       std::to_string(file.errors) + " errors): 修正してから送ってください";
    else if (!context.identity(file.sender))
        file.refusal = "送信元 " + file.sender +
                       " はこのプロファイルの事業所ではありません (the sender office is not one of ours)";
    return file;
}

} // namespace

std::size_t SendPlan::sendable() const {
    std::size_t count = 0;
    for (const auto& unit : units) {
        for (const auto& file : unit.files)
            count += file.refusal.empty() ? 1u : 0u;
    }
    return count;
}

std::size_t SendPlan::refused() const {
    std::size_t count = unnamed.size();
    for (const auto& unit : units) {
        for (const auto& file : unit.files)
            count += file.refusal.empty() ? 0u : 1u;
    }
    return count;
}

SendPlan planSend(const EngineContext& context, const std::vector<std::string>& paths) {
    SendPlan plan;
    plan.report = spec::validateBatch(spec::expandPaths(paths));
    std::vector<bool> inUnit(plan.report.files.size(), false);
    for (const spec::UnitReport& unitReport : plan.report.units) {
        PlannedUnit unit;
        unit.unitKey = unitReport.key;
        unit.sequence = unitReport.sequence;
        unit.combination = unitReport.combination;
        std::string refusedFile;
        for (const std::size_t index : unitReport.files) {
            inUnit[index] = true;
            unit.files.push_back(plannedFile(context, plan.report.files[index]));
            if (!unit.files.back().refusal.empty() && refusedFile.empty())
                refusedFile = unit.files.back().fileName;
        }
        if (!unit.files.empty()) {
            unit.sender = unit.files.front().sender;
            unit.recipient = unit.files.front().recipient;
        }
        for (PlannedFile& file : unit.files) {
            if (file.refusal.empty() && !refusedFile.empty())
                file.refusal = "同じ送信単位の " + refusedFile +
                               " が送れないため、この単位は送りません (unit incomplete)";
        }
        plan.units.push_back(std::move(unit));
    }
    for (std::size_t i = 0; i < plan.report.files.size(); ++i) {
        if (inUnit[i])
            continue;
        plan.unnamed.push_back(plannedFile(context, plan.report.files[i]));
        if (plan.unnamed.back().refusal.empty())
            plan.unnamed.back().refusal = "送信単位を特定できません (no send unit)";
    }
    return plan;
}

} // namespace cplink::exchange
