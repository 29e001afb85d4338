#pragma once

#include "relay/storage/BodyLog.h"
#include "relay/storage/ConnectionPool.h"
#include "relay/storage/SqlStorage.h"
#include "relay/storage/SqliteCheckpointer.h"
#include "relay/storage/SqliteConnection.h"
#include "relay/storage/SqliteGroupCommit.h"
#include "relay/storage/WalSync.h"

namespace cplink::relay {

// The default backend: one SQLite file (mode 0600, WAL, durable commits) for every row, and beside it
// the body log `<file>.bodies/` (BodyLog.h) for the message bodies. Writes go through one
// group-committing writer thread; reads use a small pool of their own connections, which WAL lets
// run beside the writer. Another process may open the same file; it waits for the write lock.
class SqliteStorage final : public SqlStorage {
public:
    // Creates the file if missing and brings its schema to the latest version. Throws StorageError.
    explicit SqliteStorage(const std::string& path);

    std::string backendName() const override { return "sqlite"; }

    // Queued to the group-commit writer; `done` runs on its sync thread once the commit is durable.
    void uploadAsync(Upload upload, UploadCompletion done) override;
    bool uploadsWithoutBlocking() const override { return true; }
    // Retention, then the body-log segments that no row points into any more are removed.
    ExpiryResult expire(UnixTime now, std::chrono::seconds retention) override;
    const BodyLog& bodyLog() const { return m_bodies; }

    // PRAGMA user_version: the last migration applied.
    int schemaVersion();

protected:
    void readSession(const SessionWork& work) override;
    void writeTransaction(const SessionWork& work) override;

private:
    std::string m_path;
    SqliteCheckpointer m_checkpointer; // before the writer, whose commits call it
    BodyLog m_bodies;                  // before the writer and readers, which use it
    WalSync m_walSync;                 // the writer's durability barrier; also expire()'s
    SqliteGroupCommit m_writer;
    ConnectionPool<SqliteConnection> m_readers;
};

// The writer's connection to `path` (created if missing, mode 0600), its schema brought to the latest
// version. What SqliteStorage starts from; tests use it to see the writer's query plans.
std::unique_ptr<SqliteConnection> openMigratedWriter(const std::string& path);

} // namespace cplink::relay
