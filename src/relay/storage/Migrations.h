#pragma once

// Schema versions: each backend has a list of migrations, numbered from 1, applied in order in one
// transaction when a relay opens the database. The database records the last one applied (SQLite:
// PRAGMA user_version; PostgreSQL: the schema_version table), so reopening applies nothing.
#include <span>

namespace cplink::relay {

struct Migration {
    int version;
    const char* sql; // one or more statements
};

std::span<const Migration> sqliteMigrations();
std::span<const Migration> postgresMigrations();

// The migrations a database at version `current` still needs, in order. Throws StorageError if the
// database was written by a newer relay: an older one must not guess at a schema it does not know.
std::span<const Migration> pendingMigrations(std::span<const Migration> all, int current);

} // namespace cplink::relay
