#include "exchange/FolderWatcher.h"

#include "crypto/Files.h"
#include "exchange/Engine.h"
#include "exchange/ImportFolder.h"
#include "spec/ReportFormat.h"

#include <filesystem>
#include <vector>

namespace cplink::exchange {

namespace fs = std::filesystem;

namespace {

bool ignored(const std::string& name) {
    return name.empty() || name.front() == '.' || name.ends_with(".tmp") || name.ends_with(".part") ||
           name.ends_with("~");
}

// Moves the file into `folder` under its name, numbered if the name is taken; returns the new path.
std::string moveInto(const std::string& path, const std::string& folder) {
    fs::create_directories(folder);
    const std::string name = fs::path(path).filename().string();
    for (int number = 1;; ++number) {
        const fs::path target = fs::path(folder) / numberedName(name, number);
        if (!fs::exists(target)) {
            fs::rename(path, target);
            return target.string();
        }
    }
}

std::string reportFor(const SendPlan& plan, const QueuedFile& file) {
    std::string text = file.fileName + "\n送信しませんでした (not sent): " + file.refusal + "\n\n";
    for (const auto& report : plan.report.files) {
        if (report.path != file.path)
            continue;
        spec::BatchReport one;
        one.files.push_back(report);
        text += spec::reportToText(one, spec::Language::Ja);
    }
    return text;
}

} // namespace

FolderWatcher::FolderWatcher(Engine& engine, std::string outbox)
    : m_engine(engine), m_outbox(std::move(outbox)) {
    fs::create_directories(m_outbox);
}

WatchReport FolderWatcher::scanOnce() {
    WatchReport report;
    std::map<std::string, Seen> now;
    bool changed = false;
    for (const auto& entry : fs::directory_iterator(m_outbox)) {
        const std::string name = entry.path().filename().string();
        std::error_code ec;
        if (ignored(name) || !entry.is_regular_file(ec))
            continue;
        const Seen seen{entry.file_size(ec),
                        static_cast<std::int64_t>(entry.last_write_time(ec).time_since_epoch().count())};
        now[entry.path().string()] = seen;
        const auto before = m_seen.find(entry.path().string());
        if (before == m_seen.end() || before->second.size != seen.size ||
            before->second.modified != seen.modified)
            changed = true;
    }
    m_seen = now;
    if (changed || now.empty()) {
        report.waiting = static_cast<int>(now.size());
        if (!now.empty())
            return report; // something is still being written: take the unit together next time
        m_engine.sendPending();
        return report;
    }
    std::vector<std::string> paths;
    for (const auto& [path, seen] : now)
        paths.push_back(path);
    const SendPlan plan = m_engine.plan(paths);
    for (const QueuedFile& file : m_engine.queue(plan)) {
        if (file.id != 0) { // queued now, or the same bytes were queued before (a scan after a crash)
            moveInto(file.path, m_outbox + "/sent");
            ++report.queued;
        } else if (file.retryLater) {
            ++report.waiting; // stays in the outbox: the next scan tries again
        } else {
            const std::string moved = moveInto(file.path, m_outbox + "/failed");
            crypto::writeFileAtomic(moved + ".report.txt", reportFor(plan, file), 0644);
            ++report.refused;
        }
    }
    m_seen.clear();
    m_engine.sendPending();
    return report;
}

} // namespace cplink::exchange
