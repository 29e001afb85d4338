#include "store/Database.h"

#include "store/SqliteError.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace cplink::store {

namespace {

// The CLI's `receive` and `watch` may hold the write lock for a moment; wait rather than fail.
constexpr int kBusyTimeoutMs = 10000;
// History filters make a few dozen distinct statements at most in practice; the bound keeps a long
// session from collecting every combination.
constexpr std::size_t kMaxCachedStatements = 128;

// SQLite would create a missing file with the process umask (often 0644); the store holds envelopes and
// the audit log, so it is made 0600 before SQLite sees it. The -wal and -shm files copy its mode.
void createPrivateFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throwStoreError(StoreError::Kind::Io, path, "create or open the file", std::strerror(errno));
    ::close(fd);
}

// An empty std::string_view may have a null data(), which SQLite would bind as NULL.
const char* nonNull(std::string_view bytes) {
    return bytes.data() ? bytes.data() : "";
}

} // namespace

Database::Database(std::string path) : m_path(std::move(path)) {
    createPrivateFile(m_path);
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    m_db.reset(db);
    if (rc != SQLITE_OK) {
        const char* reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        throwStoreError(errorKind(rc, reason), m_path, "open the database", reason);
    }
    sqlite3_extended_result_codes(m_db.get(), 1);
    sqlite3_busy_timeout(m_db.get(), kBusyTimeoutMs);
}

void Database::configure() {
    // WAL: readers (the history screen) never block the engine's writes; each commit is one append and
    // one fsync. synchronous=FULL makes a commit durable when the call returns (DESIGN.md §6).
    switchToWal();
    execute("PRAGMA synchronous = FULL", "set synchronous=FULL");
    execute("PRAGMA foreign_keys = ON", "enable foreign keys");
}

void Database::switchToWal() {
    // Converting a new file to WAL reads its header, then upgrades to a write to mark it. SQLite does not
    // run the busy handler for that upgrade (waiting there could deadlock two upgraders), so while another
    // connection writes, typically the one converting the file first, the switch fails at once: 8–9 % of
    // runs where four connections opened one new profile together. It is retried within the budget of
    // any other lock wait; once the file is WAL the switch is a no-op that takes no write lock.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        try {
            Query mode(*this, "PRAGMA journal_mode = WAL", "switch to WAL mode");
            if (!mode.next() || mode.text(0) != "wal")
                throwStoreError(StoreError::Kind::Io, m_path, "switch to WAL mode",
                                "the file system refused it");
            return;
        } catch (const StoreError& e) {
            if (e.kind() != StoreError::Kind::Busy || std::chrono::steady_clock::now() + pause > deadline)
                throw;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
}

void Database::execute(const char* sql, std::string_view doing) {
    if (sqlite3_exec(m_db.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(doing);
}

int Database::userVersion() {
    Query version(*this, "PRAGMA user_version", "read the schema version");
    return version.next() ? version.int32(0) : 0;
}

void Database::fail(std::string_view doing) const {
    const char* reason = sqlite3_errmsg(m_db.get());
    throwStoreError(errorKind(sqlite3_extended_errcode(m_db.get()), reason), m_path, doing, reason);
}

StatementPtr Database::prepare(std::string_view sql, std::string_view doing) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(m_db.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK)
        fail(doing);
    return StatementPtr(statement);
}

Database::CachedStatement* Database::cached(std::string_view sql, std::string_view doing) {
    auto found = m_statements.find(sql);
    if (found != m_statements.end())
        return found->second.inUse ? nullptr : &found->second;
    if (m_statements.size() >= kMaxCachedStatements)
        std::erase_if(m_statements, [](const auto& entry) { return !entry.second.inUse; });
    StatementPtr statement = prepare(sql, doing);
    return &m_statements.emplace(std::string(sql), CachedStatement{std::move(statement)}).first->second;
}

Query::Query(Database& db, std::string_view sql, std::string_view doing) : m_db(db), m_doing(doing) {
    m_cached = db.cached(sql, doing);
    if (m_cached) {
        m_cached->inUse = true;
        m_statement = m_cached->statement.get();
    } else {
        m_private = db.prepare(sql, doing);
        m_statement = m_private.get();
    }
}

Query::~Query() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    if (m_cached)
        m_cached->inUse = false;
}

Query& Query::check(int rc, const char* what) {
    if (rc != SQLITE_OK)
        m_db.fail(m_doing + " (" + what + ")");
    return *this;
}

Query& Query::bind(int index, std::int64_t value) {
    return check(sqlite3_bind_int64(m_statement, index, value), "bind");
}

Query& Query::bind(int index, std::string_view text) {
    return check(
        sqlite3_bind_text64(m_statement, index, nonNull(text), text.size(), SQLITE_STATIC, SQLITE_UTF8),
        "bind");
}

Query& Query::bindValue(int index, const SqlValue& value) {
    return std::visit([&](const auto& v) -> Query& { return bind(index, v); }, value);
}

Query& Query::bindBlob(int index, std::string_view bytes) {
    return check(sqlite3_bind_blob64(m_statement, index, nonNull(bytes), bytes.size(), SQLITE_STATIC),
                 "bind");
}

Query& Query::bindNull(int index) {
    return check(sqlite3_bind_null(m_statement, index), "bind");
}

Query& Query::bindAll(const std::vector<SqlValue>& values, int first) {
    for (const SqlValue& value : values)
        bindValue(first++, value);
    return *this;
}

bool Query::next() {
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        m_db.fail(m_doing);
    return false;
}

void Query::run() {
    while (next()) {
    }
}

std::int64_t Query::int64(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

int Query::int32(int column) const {
    return sqlite3_column_int(m_statement, column);
}

std::string Query::text(int column) const {
    // Pointer first, then the size: that order gives the size of the representation just produced.
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_statement, column));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column));
    return data ? std::string(data, size) : std::string();
}

bool Query::isNull(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

} // namespace cplink::store
