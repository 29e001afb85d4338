#pragma once

#include "relay/storage/ConnectionPool.h"
#include "relay/storage/SqliteConnection.h"
#include "relay/storage/SqliteGroupCommit.h"
#include "relay/storage/Storage.h"

namespace cplink::relay {

// The default backend: one SQLite file (mode 0600, WAL, durable commits). Writes go through one
// group-committing writer thread; reads use a small pool of their own connections, which WAL lets
// run beside the writer. Another process may open the same file; it waits for the write lock.
class SqliteStorage final : public Storage {
public:
    // Creates the file if missing and brings its schema to the latest version. Throws StorageError.
    explicit SqliteStorage(const std::string& path);

    UploadResult upload(const Upload& upload) override;
    std::vector<InboxEntry> inbox(const std::string& office, int limit) override;
    std::optional<StoredMessage> download(const std::string& office, const std::string& messageId) override;
    bool acknowledge(const std::string& office, const std::string& messageId, UnixTime now) override;

    void officeSeen(const Office& office, const OfficeCertificate& certificate) override;
    bool addOffice(const std::string& number, const std::string& name, UnixTime now) override;
    bool setOfficeEnabled(const std::string& number, bool enabled) override;
    std::optional<Office> office(const std::string& number) override;
    std::vector<Office> offices() override;
    std::vector<OfficeCertificate> officeCertificates(const std::string& number, UnixTime now) override;

    ExpiryResult expire(UnixTime now, std::chrono::seconds retention) override;
    std::int64_t pendingCount() override;
    std::string backendName() const override { return "sqlite"; }

    // PRAGMA user_version: the last migration applied.
    int schemaVersion();

private:
    template <typename Work> auto read(Work&& work);

    std::string m_path;
    SqliteGroupCommit m_writer;
    ConnectionPool<SqliteConnection> m_readers;
};

} // namespace cplink::relay
