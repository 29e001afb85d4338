#pragma once

#include "relay/storage/SqlSession.h"
#include "relay/storage/Storage.h"

#include <libpq-fe.h>
#include <memory>
#include <string>
#include <unordered_map>

namespace cplink::relay {

namespace detail {
struct PgFinisher {
    void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct PgClearer {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
} // namespace detail

using PgConnPtr = std::unique_ptr<PGconn, detail::PgFinisher>;
using PgResultPtr = std::unique_ptr<PGresult, detail::PgClearer>;

// A failed PostgreSQL call. The SQLSTATE tells a conflict worth retrying (serialization failure,
// deadlock) from a real failure; the message is the server's primary text, which never quotes values.
class PgError : public StorageError {
public:
    PgError(const std::string& message, std::string sqlState)
        : StorageError(message), m_sqlState(std::move(sqlState)) {}
    const std::string& sqlState() const { return m_sqlState; }
    bool retryable() const { return m_sqlState == "40001" || m_sqlState == "40P01"; }

private:
    std::string m_sqlState;
};

// One libpq connection, used by one thread at a time. Statements are prepared once per connection and
// run with parameters (bodies as binary bytea) and binary results. Every session commits durably
// (synchronous_commit on), whatever the database's default.
class PgConnection final : public SqlSession {
public:
    // `url`: a libpq connection URI. Throws StorageError (the message never repeats the URI: it may hold
    // a password).
    explicit PgConnection(const std::string& url);

    SqlResult run(const char* sql, std::initializer_list<SqlParam> params = {}) override;
    bool hasRowLocks() const override { return true; }
    void lockHousekeeping() override;

    // Runs statements without parameters or results (BEGIN, COMMIT, migrations).
    void execute(const char* sql);
    // True once the server connection is gone; such a connection is discarded, never reused.
    bool broken() const { return PQstatus(m_connection.get()) != CONNECTION_OK; }

private:
    const std::string& statementName(const char* sql);
    PgResultPtr check(PgResultPtr result, const char* doing) const;

    PgConnPtr m_connection;
    // Keyed by the address of the statement text (see SqlSession::run).
    std::unordered_map<const char*, std::string> m_statementNames;
};

} // namespace cplink::relay
