#include "cli/HistoryCommands.h"

#include "crypto/Clock.h"
#include "exchange/Engine.h"
#include "exchange/Evidence.h"
#include "exchange/Profile.h"
#include "store/Store.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>

namespace cplink::cli {

namespace {

std::string timeText(store::UnixTime t) {
    return t == 0 ? std::string("-") : crypto::formatUtc(crypto::fromTimeT(static_cast<std::time_t>(t)));
}

nlohmann::json recordJson(const store::MessageRecord& m) {
    return {{"id", m.id},
            {"message_id", m.messageId},
            {"direction", store::toString(m.direction)},
            {"own_office", m.ownOffice},
            {"peer_office", m.peerOffice},
            {"kind", m.kind},
            {"month", m.month},
            {"send_unit", m.sendUnit},
            {"sequence", m.sequence},
            {"file_name", m.fileName},
            {"size", m.size},
            {"sha256", m.sha256},
            {"state", store::toString(m.state)},
            {"error", m.error},
            {"finding_errors", m.findingErrors},
            {"finding_warnings", m.findingWarnings},
            {"saved_path", m.savedPath},
            {"receipt_status", store::toString(m.receiptStatus)},
            {"receipt_signer", m.receiptSigner},
            {"receipt_at", m.receiptAt},
            {"relay_received_at", m.relayReceivedAt},
            {"attempts", m.attempts},
            {"created_at", m.createdAt},
            {"updated_at", m.updatedAt}};
}

std::optional<store::MessageRecord> findRecord(store::Store& store, const std::string& id) {
    if (!id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (auto byRow = store.message(std::stoll(id)))
            return byRow;
    }
    if (auto outgoing = store.findOutgoing(id))
        return outgoing;
    store::HistoryQuery query;
    query.direction = store::Direction::Incoming;
    query.text = id;
    for (const auto& record : store.history(query).rows) {
        if (record.messageId == id)
            return record;
    }
    return std::nullopt;
}

store::HistoryQuery historyQuery(const ExchangeOptions& o) {
    store::HistoryQuery query;
    if (o.direction == "in" || o.direction == "incoming")
        query.direction = store::Direction::Incoming;
    else if (o.direction == "out" || o.direction == "outgoing")
        query.direction = store::Direction::Outgoing;
    for (const auto& state : o.states) {
        const auto parsed = store::messageStateFromString(state);
        if (!parsed)
            throw CLI::ValidationError("--state", "unknown state " + state);
        query.states.push_back(*parsed);
    }
    query.peerOffice = o.peer;
    query.month = o.month;
    query.kind = o.kind;
    query.text = o.search;
    query.problemsFirst = o.problemsFirst;
    using SortBy = store::HistoryQuery::SortBy;
    query.sortBy = o.sort == "file"    ? SortBy::FileName
                   : o.sort == "peer"  ? SortBy::Peer
                   : o.sort == "state" ? SortBy::State
                   : o.sort == "size"  ? SortBy::Size
                                       : SortBy::Time;
    query.descending = !o.ascending;
    query.limit = o.limit;
    query.offset = o.offset;
    return query;
}

int runHistory(store::Store& store, const ExchangeOptions& o, std::ostream& out) {
    const store::HistoryQuery query = historyQuery(o);
    const store::HistoryPage page = store.history(query);
    if (o.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& record : page.rows)
            rows.push_back(recordJson(record));
        out << nlohmann::json{{"messages", rows}, {"more", page.more}, {"total", store.countHistory(query)}}
                   .dump(2)
            << "\n";
        return 0;
    }
    for (const auto& m : page.rows) {
        out << std::setw(6) << m.id << "  " << timeText(m.createdAt) << "  "
            << (m.direction == store::Direction::Outgoing ? "→ " : "← ") << m.peerOffice << "  " << std::left
            << std::setw(13) << store::toString(m.state) << std::right << "  " << m.fileName;
        if (m.receiptStatus == store::ReceiptStatus::Verified)
            out << "  受領証✔";
        if (!m.error.empty())
            out << "\n        " << m.error;
        out << "\n";
    }
    out << page.rows.size() << " 件" << (page.more ? " (続きあり: --offset)" : "") << "\n";
    return 0;
}

int runShow(store::Store& store, const ExchangeOptions& o, std::ostream& out, std::ostream& err) {
    const auto record = findRecord(store, o.id);
    if (!record) {
        err << "cplink show: " << o.id << " not found\n";
        return 1;
    }
    const auto transitions = store.transitions(record->id);
    if (o.json) {
        nlohmann::json doc = recordJson(*record);
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& t : transitions)
            steps.push_back({{"state", store::toString(t.state)}, {"at", t.at}, {"detail", t.detail}});
        doc["transitions"] = steps;
        out << doc.dump(2) << "\n";
        return 0;
    }
    const auto& m = *record;
    out << "ID " << m.id << "  message id " << m.messageId << "\n"
        << (m.direction == store::Direction::Outgoing ? "送信 " : "受信 ") << m.ownOffice
        << (m.direction == store::Direction::Outgoing ? " → " : " ← ") << m.peerOffice << "\n"
        << "ファイル " << m.fileName << "  " << m.size << " bytes  SHA-256 " << m.sha256 << "\n"
        << "状態 " << store::toString(m.state) << "  受領証 " << store::toString(m.receiptStatus)
        << (m.receiptSigner.empty() ? "" : " (" + m.receiptSigner + ")") << "\n";
    if (!m.savedPath.empty())
        out << "保存先 " << m.savedPath << "\n";
    if (!m.error.empty())
        out << "理由 " << m.error << "\n";
    for (const auto& t : transitions)
        out << "  " << timeText(t.at) << "  " << store::toString(t.state) << "  " << t.detail << "\n";
    return 0;
}

int runPartners(store::Store& store, const ExchangeOptions& o, std::ostream& out) {
    const auto partners = store.partners(o.query);
    if (o.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& p : partners) {
            nlohmann::json certificates = nlohmann::json::array();
            for (const auto& c : p.certificates)
                certificates.push_back(
                    {{"fingerprint", c.fingerprint}, {"not_before", c.notBefore}, {"not_after", c.notAfter}});
            rows.push_back({{"office", p.office},
                            {"name", p.name},
                            {"favourite", p.favourite},
                            {"last_seen", p.lastSeen},
                            {"certificates", certificates}});
        }
        out << rows.dump(2) << "\n";
        return 0;
    }
    for (const auto& p : partners) {
        out << (p.favourite ? "★ " : "  ") << p.office << "  " << p.name << "  最終 " << timeText(p.lastSeen)
            << "  証明書 " << p.certificates.size() << "\n";
    }
    return 0;
}

int runCorrection(const ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out,
                  std::ostream& err) {
    exchange::EngineOptions options;
    options.profileDir = o.profile;
    options.clock = &clock;
    exchange::Engine engine(std::move(options));
    const auto record = findRecord(engine.store(), o.id);
    if (!record) {
        err << "cplink " << o.command << ": " << o.id << " not found\n";
        return 1;
    }
    const std::string actor = exchange::osUserName();
    const std::string problem =
        o.command == "cancel" ? engine.cancel(record->id, actor) : engine.resend(record->id, actor);
    if (!problem.empty()) {
        err << "cplink " << o.command << ": " << problem << "\n";
        return 1;
    }
    if (o.command == "resend") {
        const auto sent = engine.sendPending();
        out << "resent " << record->fileName << ": relayed " << sent.relayed << ", waiting " << sent.waiting
            << ", failed " << sent.failed << "\n";
    } else {
        out << "cancelled " << record->fileName << "\n";
    }
    return 0;
}

} // namespace

void addHistoryCommands(CLI::App& app, ExchangeOptions& o) {
    auto* history = app.add_subcommand("history", "Sent and received messages (履歴)");
    history->add_flag("--json", o.json, "Print JSON");
    history->add_option("--direction", o.direction, "in or out")
        ->check(CLI::IsMember({"in", "out", "incoming", "outgoing"}));
    history->add_option("--state", o.states, "Only these states (repeatable)");
    history->add_option("--peer", o.peer, "Partner office number");
    history->add_option("--month", o.month, "YYYYMM");
    history->add_option("--kind", o.kind, "File kind, e.g. UPPLAN");
    history->add_option("--search", o.search, "Text in the file name or message id");
    history->add_flag("--problems-first", o.problemsFirst, "Failed and quarantined first");
    history->add_option("--sort", o.sort, "time, file, peer, state or size")
        ->check(CLI::IsMember({"time", "file", "peer", "state", "size"}));
    history->add_flag("--asc", o.ascending, "Oldest / smallest first");
    history->add_option("--limit", o.limit, "Rows (1-1000)")->check(CLI::Range(1, 1000));
    history->add_option("--offset", o.offset, "Rows to skip")->check(CLI::NonNegativeNumber);

    for (const char* name : {"show", "resend", "cancel"}) {
        auto* command =
            app.add_subcommand(name, std::string(name) == "show"     ? "One message with every state change"
                                     : std::string(name) == "resend" ? "Queue a failed message again"
                                                                     : "Cancel a message not yet relayed");
        command->add_option("id", o.id, "Number from history, or message id")->required();
        if (std::string(name) == "show")
            command->add_flag("--json", o.json, "Print JSON");
    }

    auto* partners = app.add_subcommand("partners", "Partner offices (相手先)");
    partners->add_option("query", o.query, "Office number prefix or name");
    partners->add_flag("--json", o.json, "Print JSON");

    auto* evidence = app.add_subcommand("evidence", "Export a month's messages for an inspection (運営指導)");
    evidence->add_option("--month", o.month, "YYYYMM")->required();
    evidence->add_option("--out", o.out, "Output file")->required();
    evidence->add_option("--format", o.format, "csv or json (default: from the file name)")
        ->check(CLI::IsMember({"csv", "json"}));
}

int runHistoryCommand(const ExchangeOptions& o, const crypto::Clock& clock, std::ostream& out,
                      std::ostream& err) {
    if (o.command == "resend" || o.command == "cancel")
        return runCorrection(o, clock, out, err);
    if (!std::filesystem::exists(exchange::profile::storePath(o.profile))) {
        err << "cplink " << o.command << ": " << o.profile << ": no profile here\n";
        return 2;
    }
    store::Store store(exchange::profile::storePath(o.profile));
    if (o.command == "history")
        return runHistory(store, o, out);
    if (o.command == "show")
        return runShow(store, o, out, err);
    if (o.command == "partners")
        return runPartners(store, o, out);
    if (o.command == "evidence") {
        const bool json = o.format == "json" || (o.format.empty() && o.out.ends_with(".json"));
        const int rows = exchange::exportEvidence(
            store, o.month, o.out, json ? exchange::EvidenceFormat::Json : exchange::EvidenceFormat::Csv);
        out << "evidence " << o.month << ": " << rows << " messages → " << o.out << "\n";
        return 0;
    }
    err << "cplink: unknown command " << o.command << "\n";
    return 2;
}

} // namespace cplink::cli
