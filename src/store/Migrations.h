#pragma once

// Schema versions: a list of migrations numbered from 1, applied in order in one transaction when a
// Store opens the file. The file records the last one applied in PRAGMA user_version, so reopening
// applies nothing and a crash half-way leaves the previous version intact.
#include "store/Database.h"

#include <span>

namespace cplink::store {

struct Migration {
    int version;
    const char* sql; // one or more statements
};

// The store's migrations (Schema.cpp); the last one's version is Store::kSchemaVersion.
std::span<const Migration> storeMigrations();

// Throws StoreError(NewerSchema) if the file was written by a newer version: an older one must not
// guess at a schema it does not know. Only reads the file.
void refuseNewerSchema(Database& db, int supported);

// Applies the migrations the file still needs, all in one BEGIN IMMEDIATE transaction (a second
// process opening the same new file waits and then finds nothing left to do).
void migrate(Database& db, std::span<const Migration> migrations);

} // namespace cplink::store
