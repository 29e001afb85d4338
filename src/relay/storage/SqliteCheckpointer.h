#pragma once

#include "relay/storage/SqliteConnection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cplink::relay {

// Copies the WAL back into the database file on a thread of its own. SQLite does this by default in
// the committing connection (every 1,000 pages), which here is the single group-commit writer: every
// few dozen milliseconds under load it stopped committing to copy and fsync 4 MB. The writer now only
// tells this thread that the WAL has grown (sqlite3_wal_hook); PASSIVE checkpoints run beside it.
class SqliteCheckpointer {
public:
    explicit SqliteCheckpointer(std::string path);
    ~SqliteCheckpointer();
    SqliteCheckpointer(const SqliteCheckpointer&) = delete;
    SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

    // Installs the hook on the writer connection (and turns its automatic checkpoints off).
    void attach(SqliteConnection& writer);

    // Pages the WAL may hold before a checkpoint is asked for, and before the writer does one itself
    // (a safety net: if this thread cannot keep up or fails, the WAL still stays bounded). A checkpoint
    // writes each page the WAL holds once, however often it changed since the last one: uploads touch
    // index pages all over the file, and at 1,000 pages (4 MB) the checkpointer cost 22 µs of CPU per
    // upload here, at 8,000 (32 MB) about 5 µs (docs/benchmarks.md).
    static constexpr int kAskAtPages = 8000;
    static constexpr int kWriterTakesOverAtPages = 32000;

private:
    static int walHook(void* self, sqlite3* db, const char* schema, int pages);
    void loop();

    std::string m_path;
    std::unique_ptr<SqliteConnection> m_connection; // opened by the thread on first use
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_wanted = false;
    bool m_stopping = false;
    std::thread m_thread; // last: starts after everything it uses exists
};

} // namespace cplink::relay
