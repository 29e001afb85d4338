#include "relay/storage/SqliteStorage.h"

#include "relay/storage/Migrations.h"
#include "relay/storage/SqlOperations.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace cplink::relay {

namespace {

// Enough for the inbox polls and downloads of a busy relay; more readers would only contend for cores.
constexpr std::size_t kReadConnections = 8;

// Created here rather than by SQLite so that the file (and the -wal and -shm files, which SQLite gives
// the same mode) is readable by the relay's user only: it holds every office's pending mail.
std::string createPrivateFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw StorageError("sqlite " + path + ": cannot create the database file: " + std::strerror(errno));
    ::close(fd);
    return path;
}

std::unique_ptr<SqliteConnection> openMigrated(const std::string& path, SqliteCheckpointer& checkpointer,
                                               BodyLog& bodies) {
    auto connection = openMigratedWriter(path);
    checkpointer.attach(*connection);
    connection->useBodyLog(&bodies);
    return connection;
}

} // namespace

// All migrations in one write transaction; BEGIN IMMEDIATE makes a second process that opens the file
// at the same time wait, and it then finds the version already current.
std::unique_ptr<SqliteConnection> openMigratedWriter(const std::string& path) {
    auto connection =
        std::make_unique<SqliteConnection>(createPrivateFile(path), SqliteConnection::Role::Writer);
    connection->execute("BEGIN IMMEDIATE");
    try {
        const std::span<const Migration> pending =
            pendingMigrations(sqliteMigrations(), connection->userVersion());
        for (const Migration& migration : pending) {
            connection->execute(migration.sql);
            if (migration.rewritesSchemaText)
                connection->bumpSchemaVersion();
            // PRAGMA takes no parameters; the version is a number from our own table.
            connection->execute(("PRAGMA user_version = " + std::to_string(migration.version)).c_str());
        }
        connection->execute("COMMIT");
        // A connection reads the planner's statistics when it loads the schema, and one that changed the
        // schema itself keeps the schema it built statement by statement, without them (schema 3: its
        // lookups of a recipient's message by id would walk the recipient's inbox). So it starts again.
        if (!pending.empty())
            connection = std::make_unique<SqliteConnection>(path, SqliteConnection::Role::Writer);
    } catch (...) {
        if (connection->inTransaction())
            connection->execute("ROLLBACK");
        throw;
    }
    return connection;
}

SqliteStorage::SqliteStorage(const std::string& path)
    : m_path(path), m_checkpointer(path), m_bodies(path + ".bodies"), m_walSync(path),
      m_writer(openMigrated(path, m_checkpointer, m_bodies), &m_bodies, [this] { m_walSync(); }),
      m_readers(kReadConnections, [this] {
          auto reader = std::make_unique<SqliteConnection>(m_path, SqliteConnection::Role::Reader);
          reader->useBodyLog(&m_bodies);
          return reader;
      }) {
}

ExpiryResult SqliteStorage::expire(UnixTime now, std::chrono::seconds retention) {
    ExpiryResult result = SqlStorage::expire(now, retention);
    result.segmentsRemoved = m_bodies.collect([this] {
        std::set<std::int64_t> live;
        readSession([&](SqlSession& session) { live = ops::liveBodySegments(session); });
        // Readers see commits a moment before they are durable (SqliteGroupCommit.h). A segment whose
        // last row was acknowledged in such a commit must not go before the acknowledgement is durable:
        // after a power loss the row would be pending again and point into a removed file.
        m_walSync();
        return live;
    });
    return result;
}

void SqliteStorage::uploadAsync(Upload upload, UploadCompletion done) {
    auto result = std::make_shared<UploadResult>();
    m_writer.submitAsync(
        [upload = std::move(upload), result](SqlSession& session) { *result = ops::upload(session, upload); },
        [result, done = std::move(done)](std::exception_ptr error) {
            done(error ? UploadResult{} : std::move(*result), error);
        });
}

void SqliteStorage::readSession(const SessionWork& work) {
    auto connection = m_readers.acquire();
    work(*connection);
}

void SqliteStorage::writeTransaction(const SessionWork& work) {
    m_writer.run(work);
}

int SqliteStorage::schemaVersion() {
    auto connection = m_readers.acquire();
    return connection->userVersion();
}

} // namespace cplink::relay
