#include "relay/storage/PostgresStorage.h"

#include "relay/storage/Migrations.h"
#include "relay/storage/SqlOperations.h"

namespace cplink::relay {

namespace {

// A deadlock loser or a dead pooled connection gets this many tries in all.
constexpr int kAttempts = 4;

// Two relay processes starting at once: the second waits here until the first has migrated.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(4242000000000000001)";
constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
constexpr const char* kCurrentVersion = "SELECT coalesce(max(version), 0) FROM schema_version";
constexpr const char* kRecordVersion =
    "INSERT INTO schema_version (version, applied_at) VALUES ($1, extract(epoch FROM now())::bigint)";

// After a failure the transaction is undone, or the connection is dropped if even that fails.
bool rollback(PgConnection& connection) {
    try {
        connection.execute("ROLLBACK");
        return true;
    } catch (const StorageError&) {
        return false;
    }
}

int currentVersion(PgConnection& connection) {
    return static_cast<int>(connection.run(kCurrentVersion).rows.at(0).integer(0));
}

std::unique_ptr<PgConnection> openMigrated(const std::string& url) {
    auto connection = std::make_unique<PgConnection>(url);
    connection->execute("BEGIN");
    try {
        connection->execute(kLockMigrations);
        connection->execute(kCreateVersionTable);
        for (const Migration& migration :
             pendingMigrations(postgresMigrations(), currentVersion(*connection))) {
            connection->execute(migration.sql);
            connection->run(kRecordVersion, {std::int64_t{migration.version}});
        }
        connection->execute("COMMIT");
    } catch (...) {
        rollback(*connection);
        throw;
    }
    return connection;
}

} // namespace

PostgresStorage::PostgresStorage(const std::string& url, PostgresOptions options)
    : m_pool(options.poolSize == 0 ? 1 : options.poolSize,
             [url] { return std::make_unique<PgConnection>(url); }) {
    m_pool.adopt(openMigrated(url));
}

template <typename Work> auto PostgresStorage::withConnection(Scope scope, Work&& work) {
    const bool transaction = scope == Scope::Transaction;
    for (int attempt = 1;; ++attempt) {
        auto connection = m_pool.acquire();
        bool committing = false;
        try {
            if (transaction)
                connection->execute("BEGIN");
            auto result = work(*connection);
            if (transaction) {
                committing = true;
                connection->execute("COMMIT");
            }
            return result;
        } catch (const StorageError& error) {
            if (!mayRetry(connection, transaction, committing, error) || attempt == kAttempts)
                throw;
        } catch (...) {
            connection.discard(); // in an unknown state: never hand it to another caller
            throw;
        }
    }
}

bool PostgresStorage::mayRetry(ConnectionPool<PgConnection>::Lease& connection, bool transaction,
                               bool committing, const StorageError& error) {
    if (connection->broken()) {
        // Every idle connection likely died with this one (the server restarted): open fresh ones.
        connection.discard();
        m_pool.dropIdle();
        if (committing) {
            throw StorageError("postgresql: the connection was lost during COMMIT, the outcome is unknown (" +
                               std::string(error.what()) + ")");
        }
        // Nothing was committed: BEGIN (or the lone read) is where a dead connection shows first.
        return true;
    }
    if (transaction && !rollback(*connection))
        connection.discard();
    const auto* pgError = dynamic_cast<const PgError*>(&error);
    return !committing && pgError && pgError->retryable();
}

void PostgresStorage::readSession(const SessionWork& work) {
    read([&](PgConnection& connection) {
        work(connection);
        return true;
    });
}

void PostgresStorage::writeTransaction(const SessionWork& work) {
    transact([&](PgConnection& connection) {
        work(connection);
        return true;
    });
}

int PostgresStorage::schemaVersion() {
    return read([](PgConnection& connection) { return currentVersion(connection); });
}

} // namespace cplink::relay
