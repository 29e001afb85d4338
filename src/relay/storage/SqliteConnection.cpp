#include "relay/storage/SqliteConnection.h"

#include "relay/storage/BodyLog.h"
#include "relay/storage/Storage.h"
#include "relay/storage/WalGatherVfs.h"

#include <type_traits>

namespace cplink::relay {

namespace {

// Another relay process (or a backup tool) may hold the write lock briefly; wait rather than fail.
constexpr int kBusyTimeoutMs = 10000;

// SQLite takes $n as a named parameter; ?n is its positional spelling of the same thing.
std::string positional(const char* sql) {
    std::string text(sql);
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] == '$' && text[i + 1] >= '0' && text[i + 1] <= '9')
            text[i] = '?';
    }
    return text;
}

// Resets the statement when a run ends, on every path, so that it releases its read snapshot and the
// bound values (which point into the caller's strings) are never used again.
class StatementReset {
public:
    explicit StatementReset(sqlite3_stmt* statement) : m_statement(statement) {}
    ~StatementReset() {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
    }
    StatementReset(const StatementReset&) = delete;
    StatementReset& operator=(const StatementReset&) = delete;

private:
    sqlite3_stmt* m_statement;
};

// A pointer SQLite will not mistake for NULL: an empty std::string_view may have a null data().
const char* nonNull(std::string_view bytes) {
    return bytes.data() ? bytes.data() : "";
}

int bind(sqlite3_stmt* statement, int index, const SqlParam& param) {
    return std::visit(
        [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                return sqlite3_bind_int64(statement, index, value);
            } else if constexpr (std::is_same_v<T, bool>) {
                return sqlite3_bind_int(statement, index, value ? 1 : 0);
            } else if constexpr (std::is_same_v<T, std::string_view>) {
                return sqlite3_bind_text64(statement, index, nonNull(value), value.size(), SQLITE_STATIC,
                                           SQLITE_UTF8);
            } else {
                return sqlite3_bind_blob64(statement, index, nonNull(value.bytes), value.bytes.size(),
                                           SQLITE_STATIC);
            }
        },
        param);
}

SqlValue column(sqlite3_stmt* statement, int index) {
    switch (sqlite3_column_type(statement, index)) {
    case SQLITE_NULL:
        return std::monostate{};
    case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(statement, index));
    default: {
        // Ask for the pointer first, then the size: that order gives the size of that representation.
        const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, index));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, index));
        return std::string(data ? data : "", size);
    }
    }
}

// SQLite's memory statistics (sqlite3_memory_used, soft heap limits; the relay uses neither) cost a
// global mutex around every allocation of every connection: 1.3 % of the relay's CPU under upload
// load, in the writer. They can only be switched off before SQLite initialises; if something in the
// process opened a database first, the call fails and nothing changes.
void withoutMemoryStatistics() {
    static const bool once = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)once;
}

} // namespace

SqliteConnection::SqliteConnection(const std::string& path, Role role) : m_path(path) {
    withoutMemoryStatistics();
    sqlite3* db = nullptr;
    // The writer hands each commit's WAL frames to the kernel in one write (WalGatherVfs.h).
    const char* vfs = role == Role::Writer ? walGatherVfsName() : nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs);
    m_db.reset(db);
    if (rc != SQLITE_OK) {
        const std::string reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        throw StorageError("sqlite " + m_path + ": cannot open: " + reason);
    }
    sqlite3_extended_result_codes(m_db.get(), 1);
    sqlite3_busy_timeout(m_db.get(), kBusyTimeoutMs);
    execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
    if (role == Role::Writer) {
        // WAL: readers never block the writer and a commit is one append plus one fsync. The mode is
        // stored in the file; a bounded WAL keeps a busy relay from growing it without end. The writer's
        // page cache holds the indexes of a busy day (uploads land at random places in the (sender, id)
        // index), which the 2 MiB default cannot.
        static constexpr const char* kWal = "PRAGMA journal_mode = WAL";
        if (run(kWal).rows.at(0).text(0) != "wal")
            throw StorageError("sqlite " + m_path + ": cannot switch to WAL mode");
        execute("PRAGMA journal_size_limit = 67108864; PRAGMA cache_size = -65536;");
        // Each operation of a group runs in its own SAVEPOINT, so the writer keeps a statement journal of
        // the pages it changes. Past 64 KiB SQLite spills that journal to a temporary file in /var/tmp:
        // measured 8,216 writes of 4 and 4,096 bytes in 3 s of uploads (1,754 to the WAL meanwhile), plus
        // files created and unlinked. In memory it costs only the page copies (a group's few MiB at most).
        execute("PRAGMA temp_store = MEMORY;");
    } else if (role == Role::Reader) {
        execute("PRAGMA query_only = ON;");
    }
}

void SqliteConnection::fail(const std::string& doing) const {
    throw StorageError("sqlite " + m_path + ": " + doing + ": " + sqlite3_errmsg(m_db.get()));
}

void SqliteConnection::execute(const char* sql) {
    if (sqlite3_exec(m_db.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        fail("cannot execute");
}

sqlite3_stmt* SqliteConnection::prepared(const char* sql) {
    auto found = m_statements.find(sql);
    if (found != m_statements.end())
        return found->second.get();
    const std::string text = positional(sql);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(m_db.get(), text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
        fail("cannot prepare a statement");
    }
    return m_statements.emplace(sql, SqliteStatementPtr(statement)).first->second.get();
}

SqlResult SqliteConnection::run(const char* sql, std::initializer_list<SqlParam> params) {
    sqlite3_stmt* statement = prepared(sql);
    const StatementReset reset(statement);
    int index = 1;
    for (const SqlParam& param : params) {
        if (bind(statement, index++, param) != SQLITE_OK)
            fail("cannot bind a parameter");
    }
    SqlResult result;
    const int columns = sqlite3_column_count(statement);
    while (true) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW)
            fail("statement failed");
        std::vector<SqlValue> values;
        values.reserve(static_cast<std::size_t>(columns));
        for (int i = 0; i < columns; ++i)
            values.push_back(column(statement, i));
        result.rows.emplace_back(std::move(values));
    }
    if (!sqlite3_stmt_readonly(statement))
        result.affected = sqlite3_changes64(m_db.get());
    return result;
}

std::optional<BodyRef> SqliteConnection::placeBody(std::string_view body) {
    if (!m_bodyLog)
        return std::nullopt;
    return m_bodyLog->place(body);
}

std::string SqliteConnection::readBody(const BodyRef& ref, std::int64_t size) {
    if (!m_bodyLog)
        return SqlSession::readBody(ref, size);
    return m_bodyLog->read(ref, size);
}

int SqliteConnection::userVersion() {
    static constexpr const char* kUserVersion = "PRAGMA user_version";
    return static_cast<int>(run(kUserVersion).rows.at(0).integer(0));
}

void SqliteConnection::bumpSchemaVersion() {
    static constexpr const char* kSchemaVersion = "PRAGMA schema_version";
    const std::int64_t current = run(kSchemaVersion).rows.at(0).integer(0);
    // PRAGMA takes no parameters; the number is SQLite's own.
    execute(("PRAGMA schema_version = " + std::to_string(current + 1)).c_str());
}

} // namespace cplink::relay
