#include "cli/ExchangeCommands.h"

#include "cli/CryptoCliSupport.h"
#include "cli/HistoryCommands.h"
#include "crypto/Clock.h"
#include "crypto/Error.h"
#include "exchange/Engine.h"
#include "exchange/EngineContext.h"
#include "exchange/FolderWatcher.h"
#include "exchange/Profile.h"
#include "spec/ReportFormat.h"

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

namespace cplink::cli {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onStopSignal(int) {
    g_stop = true;
}

// receive / watch run until SIGINT or SIGTERM, finishing the step they are in.
void installStopHandlers() {
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
}

void sleepInterval(int seconds) {
    for (int i = 0; i < seconds * 10 && !g_stop; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

exchange::EngineOptions engineOptions(const ExchangeOptions& o, const crypto::Clock& clock,
                                      std::ostream& progress) {
    exchange::EngineOptions options;
    options.profileDir = o.profile;
    options.clock = &clock;
    options.log = [&progress](std::string_view line) {
        progress << "  " << line << "\n" << std::flush;
    };
    return options;
}

void printPlan(const exchange::SendPlan& plan, std::ostream& out) {
    int number = 0;
    for (const auto& unit : plan.units) {
        out << "送信単位 " << ++number << "/" << plan.units.size() << "  連番 " << unit.sequence << "  "
            << unit.sender << " → " << unit.recipient;
        if (!unit.combination.empty())
            out << "  " << spec::combinationDisplayName(unit.combination, spec::Language::Ja);
        out << "\n";
        for (const auto& file : unit.files) {
            out << "  " << (file.refusal.empty() ? "✔ " : "✘ ") << file.fileName << "  エラー " << file.errors
                << "  警告 " << file.warnings << "\n";
            if (!file.refusal.empty())
                out << "      " << file.refusal << "\n";
        }
    }
    for (const auto& file : plan.unnamed)
        out << "  ✘ " << file.fileName << "\n      " << file.refusal << "\n";
    if (plan.report.errorCount() + plan.report.warningCount() > 0)
        out << "\n" << spec::reportToText(plan.report, spec::Language::Ja);
    out << "送信予定 " << plan.sendable() << " 件, 送信しない " << plan.refused() << " 件\n";
}

nlohmann::json planJson(const exchange::SendPlan& plan, const std::vector<exchange::QueuedFile>& queued) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : queued) {
        files.push_back({{"path", file.path},
                         {"file_name", file.fileName},
                         {"id", file.id},
                         {"message_id", file.messageId},
                         {"queued", file.refusal.empty()},
                         {"refusal", file.refusal},
                         {"retry_later", file.retryLater}});
    }
    return {{"units", plan.units.size()},
            {"sendable", plan.sendable()},
            {"refused", plan.refused()},
            {"files", files},
            {"findings", nlohmann::json::parse(spec::reportToJson(plan.report, spec::Language::Ja))}};
}

int runInit(const ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out) {
    exchange::InitRequest request;
    request.profileDir = o.profile;
    request.relayUrl = o.relay;
    request.identityP12 = o.identity;
    request.passwordFile = o.passwordFile;
    request.trustFile = o.trust;
    request.crlFile = o.crl;
    request.importDir = o.importDir;
    request.officeNumberFrom = o.officeNumberFrom;
    const store::OwnIdentity identity = exchange::initProfile(request, clock);
    out << "profile " << o.profile << ": office " << identity.office << " " << identity.name << ", relay "
        << o.relay << ", import folder " << o.importDir << "\n";
    return 0;
}

int runSend(const ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    std::ostream& progress = o.json ? err : out;
    exchange::Engine engine(engineOptions(o, clock, progress));
    const exchange::SendPlan plan = engine.plan(o.paths);
    if (plan.report.files.empty()) {
        err << "cplink send: 送るファイルがありません (no files)\n";
        return 2;
    }
    if (!o.json)
        printPlan(plan, out);
    if (o.dryRun) {
        if (o.json)
            out << planJson(plan, {}).dump(2) << "\n";
        return plan.refused() > 0 ? 1 : 0;
    }
    const auto queued = engine.queue(plan);
    const exchange::SendReport sent = engine.sendPending();
    int notQueued = 0;
    for (const auto& file : queued)
        notQueued += file.refusal.empty() ? 0 : 1;
    if (o.json) {
        auto doc = planJson(plan, queued);
        doc["relayed"] = sent.relayed;
        doc["waiting"] = sent.waiting;
        doc["failed"] = sent.failed;
        out << doc.dump(2) << "\n";
    } else {
        for (const auto& file : queued) {
            if (!file.refusal.empty())
                out << "送信しません " << file.fileName << ": " << file.refusal << "\n";
        }
        out << "リレーへ送信 " << sent.relayed << " 件, 待機 " << sent.waiting << " 件, 失敗 " << sent.failed
            << " 件 (relayed " << sent.relayed << ", waiting " << sent.waiting << ", failed " << sent.failed
            << ")\n";
    }
    return notQueued > 0 || sent.failed > 0 ? 1 : 0;
}

nlohmann::json receiveJson(const exchange::ReceiveReport& report) {
    nlohmann::json saved = nlohmann::json::array();
    for (const auto& file : report.saved) {
        saved.push_back({{"path", file.path},
                         {"file_name", file.fileName},
                         {"sender", file.sender},
                         {"sequence", file.sequence},
                         {"flagged", file.flagged}});
    }
    return {{"saved", saved},
            {"duplicates", report.duplicates},
            {"quarantined", report.quarantined},
            {"receipts", report.receipts},
            {"bad_receipts", report.badReceipts},
            {"expired", report.expired},
            {"deferred", report.deferred}};
}

void printReceive(const exchange::ReceiveReport& report, std::ostream& out) {
    if (!report.saved.empty())
        out << "受信したファイル (取込はこの順で / import in this order):\n";
    for (const auto& file : report.saved)
        out << "  " << file.path << (file.flagged ? "  ⚠ 標準仕様のエラーあり (breaks the standard)" : "")
            << "\n";
    out << "受信 " << report.saved.size() << " 件, 受領証 " << report.receipts << " 件, 隔離 "
        << report.quarantined << " 件, 期限切れ " << report.expired << " 件, 保留 " << report.deferred
        << " 件\n";
}

int runReceive(const ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    std::ostream& progress = o.json ? err : out;
    exchange::Engine engine(engineOptions(o, clock, progress));
    const int interval = o.interval > 0 ? o.interval : engine.context().settings.pollSeconds;
    installStopHandlers();
    int status = 0;
    do {
        engine.sendPending(); // queued sends (and receipts' originals) go out on the same beat
        const exchange::ReceiveReport report = engine.receive();
        if (o.json)
            out << receiveJson(report).dump() << "\n" << std::flush;
        else if (o.once || !report.saved.empty() || report.receipts + report.quarantined + report.expired > 0)
            printReceive(report, out);
        status = report.quarantined + report.badReceipts > 0 ? 1 : 0;
        if (o.once)
            break;
        sleepInterval(interval);
    } while (!g_stop);
    return status;
}

int runWatch(const ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out) {
    exchange::Engine engine(engineOptions(o, clock, out));
    exchange::FolderWatcher watcher(engine, o.outbox);
    const int interval = o.interval > 0 ? o.interval : 2;
    installStopHandlers();
    out << "watching " << o.outbox << " (Ctrl+C to stop)\n" << std::flush;
    do {
        const exchange::WatchReport report = watcher.scanOnce();
        if (report.queued + report.refused > 0)
            out << "送信 " << report.queued << " 件, 送信不可 " << report.refused << " 件 (failed/ に理由)\n"
                << std::flush;
        const exchange::ReceiveReport received = engine.receive();
        if (!received.saved.empty() || received.receipts > 0)
            printReceive(received, out);
        if (o.once)
            break;
        sleepInterval(interval);
    } while (!g_stop);
    return 0;
}

} // namespace

bool isExchangeCommand(const std::string& name) {
    static const char* const kNames[] = {"init", "send",   "receive", "watch",    "history",
                                         "show", "resend", "cancel",  "partners", "evidence"};
    for (const char* known : kNames) {
        if (name == known)
            return true;
    }
    return false;
}

void addExchangeCommands(CLI::App& app, ExchangeOptions& o) {
    if (const char* env = std::getenv("CPLINK_PROFILE"))
        o.profile = env;
    app.add_option("--profile", o.profile, "Profile folder (or $CPLINK_PROFILE)");

    auto* init = app.add_subcommand("init", "Create a profile or add an office identity to it");
    init->add_option("--relay", o.relay, "Relay URL (https://host:port)")->required();
    init->add_option("--identity", o.identity, "Office certificate and key (PKCS#12)")->required();
    init->add_option("--password-file", o.passwordFile, "PKCS#12 password file")->required();
    init->add_option("--trust", o.trust, "The network's CA certificate(s), PEM")->required();
    init->add_option("--crl", o.crl, "CRL, PEM");
    init->add_option("--import-dir", o.importDir, "Folder the care software imports from")->required();
    init->add_option("--office-number-from", o.officeNumberFrom,
                     "Where certificates carry the office number");

    auto* send = app.add_subcommand("send", "Validate, seal and send CSV files (送信)");
    send->add_option("paths", o.paths, "Files or folders")->required();
    send->add_flag("--dry-run", o.dryRun, "Show the plan only");
    send->add_flag("--json", o.json, "Print JSON");

    auto* receive = app.add_subcommand("receive", "Receive files into the import folder (受信)");
    receive->add_flag("--once", o.once, "Poll once and exit");
    receive->add_option("--interval", o.interval, "Seconds between polls");
    receive->add_flag("--json", o.json, "Print one JSON line per poll");

    auto* watch = app.add_subcommand("watch", "Send what appears in an outbox folder; receive meanwhile");
    watch->add_option("--outbox", o.outbox, "Outbox folder")->required();
    watch->add_flag("--once", o.once, "Scan once and exit");
    watch->add_option("--interval", o.interval, "Seconds between scans (default 2)");

    addHistoryCommands(app, o);
}

int runExchange(ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out, std::ostream& err) {
    if (o.profile.empty()) {
        err << "cplink " << o.command << ": --profile DIR is required (or set CPLINK_PROFILE)\n";
        return 2;
    }
    try {
        if (o.command == "init")
            return runInit(o, clock, out);
        if (o.command == "send")
            return runSend(o, clock, out, err);
        if (o.command == "receive")
            return runReceive(o, clock, out, err);
        if (o.command == "watch")
            return runWatch(o, clock, out);
        return runHistoryCommand(o, clock, out, err);
    } catch (const exchange::ProfileError& e) {
        err << "cplink " << o.command << ": " << e.what() << "\n";
        return 2;
    } catch (const crypto::CryptoError& e) {
        return reportError(o.command, e, err); // wrong password, expired certificate: 1; unreadable file: 2
    } catch (const store::StoreError& e) {
        err << "cplink " << o.command << ": " << e.what() << "\n";
        return 2;
    }
}

} // namespace cplink::cli
