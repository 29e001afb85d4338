#include "StorageTestSupport.h"

#include "crypto/Digest.h"
#include "relay/storage/PgConnection.h"
#include "relay/storage/PostgresStorage.h"
#include "relay/storage/SqliteConnection.h"
#include "relay/storage/SqliteStorage.h"

#include <array>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdexcept>

namespace cplink::relay {

void PrintTo(UploadOutcome outcome, std::ostream* out) {
    switch (outcome) {
    case UploadOutcome::Stored:
        *out << "Stored";
        return;
    case UploadOutcome::Duplicate:
        *out << "Duplicate";
        return;
    case UploadOutcome::Conflict:
        *out << "Conflict";
        return;
    case UploadOutcome::UnknownRecipient:
        *out << "UnknownRecipient";
        return;
    case UploadOutcome::RecipientDisabled:
        *out << "RecipientDisabled";
        return;
    case UploadOutcome::SenderDisabled:
        *out << "SenderDisabled";
        return;
    }
    *out << "UploadOutcome(" << static_cast<int>(outcome) << ")";
}

void PrintTo(MessageKind kind, std::ostream* out) {
    *out << toString(kind);
}

} // namespace cplink::relay

namespace cplink::test {

void PrintTo(Backend backend, std::ostream* out) {
    *out << (backend == Backend::Sqlite ? "Sqlite" : "Postgres");
}

std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

PostgresServer& postgresServer() {
    static PostgresServer server;
    return server;
}

std::string sha256Of(const std::string& bytes) {
    return crypto::sha256Hex(bytes);
}

relay::Upload envelope(const std::string& from, const std::string& to, const std::string& id,
                       const std::string& body, relay::UnixTime now) {
    relay::Upload upload;
    upload.sender = from;
    upload.recipient = to;
    upload.messageId = id;
    upload.kind = relay::MessageKind::Envelope;
    upload.body = body;
    upload.sha256 = sha256Of(body);
    upload.now = now;
    return upload;
}

namespace {

bool isPostgresLocation(const std::string& location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

relay::PgResultPtr pgQuery(const std::string& url, const std::string& sql) {
    const relay::PgConnPtr connection(PQconnectdb(url.c_str()));
    if (PQstatus(connection.get()) != CONNECTION_OK)
        throw std::runtime_error(std::string("connect: ") + PQerrorMessage(connection.get()));
    relay::PgResultPtr result(PQexec(connection.get(), sql.c_str()));
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error(sql + ": " + PQerrorMessage(connection.get()));
    return result;
}

relay::SqlitePtr sqliteOpen(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    relay::SqlitePtr handle(db);
    if (rc != SQLITE_OK)
        throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(handle.get(), 10000);
    return handle;
}

// sqlite3_exec on a connection of its own; `take` (if any) sees each row.
void sqliteExec(const std::string& path, const std::string& sql,
                int (*take)(void*, int, char**, char**) = nullptr, void* out = nullptr) {
    const auto db = sqliteOpen(path);
    if (sqlite3_exec(db.get(), sql.c_str(), take, out, nullptr) != SQLITE_OK)
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db.get()));
}

} // namespace

void executeRaw(const std::string& location, const std::string& sql) {
    if (isPostgresLocation(location)) {
        pgQuery(location, sql);
        return;
    }
    sqliteExec(location, sql);
}

long long queryRawInteger(const std::string& location, const std::string& sql) {
    if (isPostgresLocation(location)) {
        const auto result = pgQuery(location, sql);
        return std::stoll(PQgetvalue(result.get(), 0, 0));
    }
    long long value = 0;
    const auto take = [](void* out, int, char** values, char**) {
        *static_cast<long long*>(out) = std::stoll(values[0]);
        return 0;
    };
    sqliteExec(location, sql, take, &value);
    return value;
}

std::vector<std::string> queryRawSqliteTexts(const std::string& path, const std::string& sql) {
    std::vector<std::string> texts;
    const auto take = [](void* out, int columns, char** values, char**) {
        static_cast<std::vector<std::string>*>(out)->emplace_back(values[columns - 1] ? values[columns - 1]
                                                                                      : "");
        return 0;
    };
    sqliteExec(path, sql, take, &texts);
    return texts;
}

int schemaVersionOf(relay::Storage& storage) {
    if (auto* sqlite = dynamic_cast<relay::SqliteStorage*>(&storage))
        return sqlite->schemaVersion();
    if (auto* postgres = dynamic_cast<relay::PostgresStorage*>(&storage))
        return postgres->schemaVersion();
    throw std::logic_error("unknown storage backend");
}

void Failures::add(const std::string& what) {
    const std::lock_guard lock(m_mutex);
    m_messages.push_back(what);
}

std::size_t Failures::count() const {
    const std::lock_guard lock(m_mutex);
    return m_messages.size();
}

std::string Failures::summary() const {
    const std::lock_guard lock(m_mutex);
    std::string text;
    for (const std::string& message : m_messages)
        text += message + "\n";
    return text;
}

std::string StorageTest::freshLocation() {
    if (GetParam() == Backend::Postgres)
        return postgresServer().createDatabase();
    return dir.path() + "/relay-" + std::to_string(++m_files) + ".db";
}

void StorageTest::SetUp() {
    location = freshLocation();
    storage = relay::openStorage(location);
    ASSERT_TRUE(storage->addOffice(kSakura, "さくら居宅", 10));
    ASSERT_TRUE(storage->addOffice(kHimawari, "ひまわり", 10));
    ASSERT_TRUE(storage->addOffice(kTsubaki, "つばき", 10));
}

std::unique_ptr<relay::Storage> StorageTest::openAgain() const {
    return relay::openStorage(location);
}

void StorageTest::reopen() {
    storage.reset();
    storage = relay::openStorage(location);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         backendName);

} // namespace cplink::test
