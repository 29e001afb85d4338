#pragma once

// Schema versions: each backend has a list of migrations, numbered from 1, applied in order in one
// transaction when a relay opens the database. The database records the last one applied (SQLite:
// PRAGMA user_version; PostgreSQL: the schema_version table), so reopening applies nothing.
#include <span>

namespace cplink::relay {

struct Migration {
    int version;
    const char* sql; // one or more statements
    // The migration rewrites a table's CREATE text in sqlite_schema (PRAGMA writable_schema), which
    // SQLite does not count as a schema change: the runner increments PRAGMA schema_version after it,
    // as SQLite's "other kinds of table schema changes" procedure asks, so that connections open on
    // the file load the new text instead of going on with the one they parsed.
    bool rewritesSchemaText = false;
};

std::span<const Migration> sqliteMigrations();
std::span<const Migration> postgresMigrations();

// The migrations a database at version `current` still needs, in order. Throws StorageError if the
// database was written by a newer relay: an older one must not guess at a schema it does not know.
std::span<const Migration> pendingMigrations(std::span<const Migration> all, int current);

} // namespace cplink::relay
