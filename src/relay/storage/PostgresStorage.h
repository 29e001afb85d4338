#pragma once

#include "relay/storage/ConnectionPool.h"
#include "relay/storage/PgConnection.h"
#include "relay/storage/SqlStorage.h"

namespace cplink::relay {

struct PostgresOptions {
    std::size_t poolSize = 16; // connections per relay process, opened when first needed
};

// The backend for several relay processes behind a load balancer: all of them share one PostgreSQL
// database. Rows two processes could both change are locked (SELECT … FOR UPDATE, UPDATE … WHERE
// state = 'pending'), housekeeping takes an advisory lock, and a transaction that loses a deadlock or
// finds its connection dead before COMMIT is run again from the start.
class PostgresStorage final : public SqlStorage {
public:
    // Connects once (so a wrong URL fails here) and brings the schema to the latest version.
    explicit PostgresStorage(const std::string& url, PostgresOptions options = {});

    std::string backendName() const override { return "postgresql"; }

    // The highest version in the schema_version table.
    int schemaVersion();

protected:
    void readSession(const SessionWork& work) override;
    void writeTransaction(const SessionWork& work) override;

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
