#include "relay/storage/SqliteCheckpointer.h"

#include "relay/storage/Storage.h"
#include "relay/storage/ThreadName.h"

namespace cplink::relay {

SqliteCheckpointer::SqliteCheckpointer(std::string path)
    : m_path(std::move(path)), m_thread([this] { loop(); }) {
}

SqliteCheckpointer::~SqliteCheckpointer() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void SqliteCheckpointer::attach(SqliteConnection& writer) {
    writer.execute("PRAGMA wal_autocheckpoint = 0;");
    sqlite3_wal_hook(writer.handle(), &SqliteCheckpointer::walHook, this);
}

// Called by SQLite in the writer's thread after each commit, with the WAL's size in pages.
int SqliteCheckpointer::walHook(void* self, sqlite3* db, const char* schema, int pages) {
    auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
    if (pages >= kWriterTakesOverAtPages) {
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= kAskAtPages) {
        {
            const std::lock_guard lock(checkpointer->m_mutex);
            checkpointer->m_wanted = true;
        }
        checkpointer->m_wake.notify_one();
    }
    return SQLITE_OK; // the commit itself has succeeded either way
}

void SqliteCheckpointer::loop() {
    nameThisThread("relay-checkpt");
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stopping || m_wanted; });
        if (m_stopping)
            return;
        m_wanted = false;
        lock.unlock();
        try {
            if (!m_connection)
                m_connection =
                    std::make_unique<SqliteConnection>(m_path, SqliteConnection::Role::Checkpointer);
            // A failed or partial checkpoint is harmless: the frames stay in the WAL and the next one
            // (or the writer's safety net) copies them.
            sqlite3_wal_checkpoint_v2(m_connection->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                      nullptr);
        } catch (const StorageError&) {
            m_connection.reset(); // open again next time
        }
        lock.lock();
    }
}

} // namespace cplink::relay
