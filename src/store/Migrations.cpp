#include "store/Migrations.h"

#include "store/SqliteError.h"
#include "store/Transaction.h"

#include <string>

namespace cplink::store {

void refuseNewerSchema(Database& db, int supported) {
    const int version = db.userVersion();
    if (version > supported) {
        throwStoreError(StoreError::Kind::NewerSchema, db.path(), "open the profile",
                        "it was written by a newer CarePlan Link (schema " + std::to_string(version) +
                            ", this version knows " + std::to_string(supported) + ")");
    }
}

void migrate(Database& db, std::span<const Migration> migrations) {
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    Transaction transaction(db);
    // Read again under the write lock: another process may have migrated since the first look.
    refuseNewerSchema(db, latest);
    const int current = db.userVersion();
    if (current == latest)
        return;
    for (const Migration& migration : migrations) {
        if (migration.version <= current)
            continue;
        db.execute(migration.sql, "apply schema migration " + std::to_string(migration.version));
        // PRAGMA takes no parameters; the version is our own integer, not input.
        const std::string setVersion = "PRAGMA user_version = " + std::to_string(migration.version);
        db.execute(setVersion.c_str(), "record the schema version");
    }
    transaction.commit();
}

} // namespace cplink::store
