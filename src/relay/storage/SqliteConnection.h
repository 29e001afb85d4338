#pragma once

#include "relay/storage/SqlSession.h"

#include <memory>
#include <sqlite3.h>
#include <string>
#include <unordered_map>

namespace cplink::relay {

class BodyLog;

namespace detail {
struct SqliteCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
} // namespace detail

using SqlitePtr = std::unique_ptr<sqlite3, detail::SqliteCloser>;
using SqliteStatementPtr = std::unique_ptr<sqlite3_stmt, detail::SqliteFinalizer>;

// One connection to the relay's SQLite file, used by one thread at a time. Durable commits
// (synchronous=FULL in WAL mode; the group-commit writer moves the sync to its barrier), foreign keys
// on, and a busy timeout for a second process on the file.
class SqliteConnection final : public SqlSession {
public:
    enum class Role { Writer, Reader, Checkpointer };

    SqliteConnection(const std::string& path, Role role);

    SqlResult run(const char* sql, std::initializer_list<SqlParam> params = {}) override;
    bool hasRowLocks() const override { return false; }
    std::optional<BodyRef> placeBody(std::string_view body) override;
    std::string readBody(const BodyRef& ref, std::int64_t size) override;
    // Bodies go to (writer) and come from (readers) this log; without one they stay in the rows.
    void useBodyLog(BodyLog* log) { m_bodyLog = log; }
    void lockHousekeeping() override {}

    // Runs statements without parameters or results (pragmas, migrations).
    void execute(const char* sql);
    // False once SQLite has rolled back the open transaction by itself (after an I/O error or a full disk).
    bool inTransaction() const { return sqlite3_get_autocommit(m_db.get()) == 0; }
    int userVersion();
    // PRAGMA schema_version + 1: tells every connection on the file to parse the schema again.
    void bumpSchemaVersion();
    sqlite3* handle() const { return m_db.get(); }

private:
    sqlite3_stmt* prepared(const char* sql);
    [[noreturn]] void fail(const std::string& doing) const;

    std::string m_path;
    SqlitePtr m_db;
    // Keyed by the address of the statement text (see SqlSession::run).
    std::unordered_map<const char*, SqliteStatementPtr> m_statements;
    BodyLog* m_bodyLog = nullptr;
};

} // namespace cplink::relay
