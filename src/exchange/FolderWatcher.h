#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cplink::exchange {

class Engine;

struct WatchReport {
    int queued = 0;
    int refused = 0; // moved to failed/ with a report
    int waiting = 0; // files still being written
};

// A watched outbox folder (DESIGN.md §6): the care software exports CSV files into it; a file is taken
// once it is complete — its size and modification time unchanged between two scans, and the whole
// folder quiet, so that a send unit is taken together — then validated, sealed and queued, and moved to
// `sent/` (the store now holds it and sends it, retrying as needed). A file that cannot be sent goes to
// `failed/` with "<name>.report.txt" next to it saying why. Hidden files and *.tmp / *.part are ignored,
// so the safe way for a program to export is to write "NAME.tmp" and rename it: a writer that pauses
// longer than two scans mid-file could otherwise have a truncated file taken (validation catches most
// truncations, not one cut exactly at a record boundary).
class FolderWatcher {
public:
    FolderWatcher(Engine& engine, std::string outbox);
    // One scan; then uploads what is queued.
    WatchReport scanOnce();

private:
    struct Seen {
        std::uintmax_t size = 0;
        std::int64_t modified = 0;
    };
    Engine& m_engine;
    std::string m_outbox;
    std::map<std::string, Seen> m_seen;
};

} // namespace cplink::exchange
