#pragma once

#include "crypto/Files.h"

#include <mutex>
#include <string>

namespace cplink::relay {

// The durability barrier of a WAL database whose commits do not sync (synchronous=NORMAL): one
// fdatasync of `<db>-wal` makes every commit appended before it durable, whichever connection wrote it.
// SQLite's NORMAL mode keeps the file consistent on its own (it syncs around checkpoints and when the
// WAL starts over); only the last commits' durability is left to this barrier.
class WalSync {
public:
    // `<databasePath>-wal` is opened at the first sync: SQLite creates it once a connection is in WAL mode.
    explicit WalSync(std::string databasePath);

    // Makes every commit written so far durable. Any thread. Throws StorageError (no WAL, I/O error).
    void operator()();

private:
    void open();

    std::string m_walPath;
    std::mutex m_mutex; // the writer's sync thread and housekeeping both sync
    crypto::FileDescriptor m_fd;
};

} // namespace cplink::relay
