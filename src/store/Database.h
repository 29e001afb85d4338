#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace cplink::store {

namespace detail {
struct ConnectionCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
} // namespace detail

using ConnectionPtr = std::unique_ptr<sqlite3, detail::ConnectionCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, detail::StatementFinalizer>;

// A parameter of SQL built at run time (history filters): always bound, never spliced into the text.
using SqlValue = std::variant<std::int64_t, std::string>;

// One connection to the store's file, used by one thread. Statements are prepared once per SQL text and
// kept; every failure becomes a StoreError that names the file and what failed.
class Database {
public:
    // Creates the file (mode 0600) if it does not exist and opens it. Nothing in the file changes yet, so
    // a file from a newer version can be refused untouched before configure().
    explicit Database(std::string path);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // WAL (recorded in the file), synchronous=FULL and foreign keys (per connection).
    void configure();

    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db.get(); }
    // False once SQLite has rolled back by itself (it may after a full disk or an I/O error).
    bool inTransaction() const { return sqlite3_get_autocommit(m_db.get()) == 0; }
    std::int64_t lastInsertId() const { return sqlite3_last_insert_rowid(m_db.get()); }
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const { return sqlite3_changes64(m_db.get()); }

    // Statements without parameters or results (schema, pragmas, BEGIN/COMMIT).
    void execute(const char* sql, std::string_view doing);
    int userVersion();

    // Throws the StoreError for the connection's last error.
    [[noreturn]] void fail(std::string_view doing) const;

private:
    friend class Query;
    struct CachedStatement {
        StatementPtr statement;
        bool inUse = false;
    };
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>{}(text);
        }
    };

    void switchToWal();
    StatementPtr prepare(std::string_view sql, std::string_view doing);
    // The cached statement for `sql`, or null when it is already in use further up the stack (the caller
    // then prepares a private one).
    CachedStatement* cached(std::string_view sql, std::string_view doing);

    std::string m_path;
    ConnectionPtr m_db;
    std::unordered_map<std::string, CachedStatement, TextHash, std::equal_to<>> m_statements;
};

// One execution of a statement: bind, step, read columns. The statement is reset when the Query ends, so
// it drops its read snapshot and the cached statement can be used again. Bound text and blobs are not
// copied: they must outlive the Query.
class Query {
public:
    Query(Database& db, std::string_view sql, std::string_view doing);
    ~Query();
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(int index, std::int64_t value);
    Query& bind(int index, std::string_view text);
    Query& bindValue(int index, const SqlValue& value);
    Query& bindBlob(int index, std::string_view bytes);
    Query& bindNull(int index);
    // Binds values to ?first, ?first+1, …
    Query& bindAll(const std::vector<SqlValue>& values, int first = 1);

    // Steps once; true when a row is available.
    bool next();
    // Steps to the end (statements whose rows, if any, are not needed).
    void run();

    std::int64_t int64(int column) const;
    int int32(int column) const;
    std::string text(int column) const;
    bool isNull(int column) const;
    const Database& database() const { return m_db; }

private:
    Query& check(int rc, const char* what);

    Database& m_db;
    std::string m_doing;
    StatementPtr m_private;
    Database::CachedStatement* m_cached = nullptr;
    sqlite3_stmt* m_statement = nullptr;
};

} // namespace cplink::store
