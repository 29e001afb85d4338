#pragma once

#include "relay/storage/ConnectionPool.h"
#include "relay/storage/PgConnection.h"
#include "relay/storage/Storage.h"

namespace cplink::relay {

struct PostgresOptions {
    std::size_t poolSize = 16; // connections per relay process, opened when first needed
};

// The backend for several relay processes behind a load balancer: all of them share one PostgreSQL
// database. Rows two processes could both change are locked (SELECT … FOR UPDATE, UPDATE … WHERE
// state = 'pending'), housekeeping takes an advisory lock, and a transaction that loses a deadlock or
// finds its connection dead before COMMIT is run again from the start.
class PostgresStorage final : public Storage {
public:
    // Connects once (so a wrong URL fails here) and brings the schema to the latest version.
    explicit PostgresStorage(const std::string& url, PostgresOptions options = {});

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
    std::string backendName() const override { return "postgresql"; }

    // The highest version in the schema_version table.
    int schemaVersion();

private:
    enum class Scope { Statement, Transaction };
    template <typename Work> auto withConnection(Scope scope, Work&& work);
    template <typename Work> auto transact(Work&& work) { return withConnection(Scope::Transaction, work); }
    // Reads: a single statement is a transaction of its own.
    template <typename Work> auto read(Work&& work) { return withConnection(Scope::Statement, work); }
    // Cleans up after a failed attempt; true if running it again is safe and may succeed.
    bool mayRetry(ConnectionPool<PgConnection>::Lease& connection, bool transaction, bool committing,
                  const StorageError& error);

    ConnectionPool<PgConnection> m_pool;
};

} // namespace cplink::relay
