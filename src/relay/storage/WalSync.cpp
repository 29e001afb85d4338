#include "relay/storage/WalSync.h"

#include "relay/storage/Storage.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cplink::relay {

WalSync::WalSync(std::string databasePath) : m_walPath(std::move(databasePath) + "-wal") {
}

void WalSync::open() {
    // Read-only is enough: on Linux fdatasync flushes the file's pages whatever the descriptor's mode.
    m_fd.reset(::open(m_walPath.c_str(), O_RDONLY | O_CLOEXEC));
    if (m_fd.get() < 0)
        throw StorageError("sqlite " + m_walPath +
                           ": cannot open the write-ahead log: " + std::strerror(errno));
}

void WalSync::operator()() {
    const std::lock_guard lock(m_mutex);
    // SQLite removes the WAL only when the last connection closes (after copying it into the database
    // and syncing that), which the writer's open connection prevents while the relay runs; but a file
    // replaced behind our back must not be synced in vain.
    struct stat st {};
    if (m_fd.get() < 0 || ::fstat(m_fd.get(), &st) != 0 || st.st_nlink == 0)
        open();
    if (::fdatasync(m_fd.get()) != 0)
        throw StorageError("sqlite " + m_walPath +
                           ": cannot sync the write-ahead log: " + std::strerror(errno));
}

} // namespace cplink::relay
