#include "store/SqliteError.h"

#include <sqlite3.h>

namespace cplink::store {

StoreError::Kind errorKind(int extendedCode, std::string_view message) {
    switch (extendedCode & 0xff) {
    case SQLITE_FULL:
        return StoreError::Kind::DiskFull;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return StoreError::Kind::Busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return StoreError::Kind::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        return StoreError::Kind::Io;
    case SQLITE_CONSTRAINT:
        // Only the (direction, message id, peer) key of messages is a duplicate the engine expects
        // (receiving is idempotent by it); any other constraint failing is a bug, not a duplicate.
        if (extendedCode == SQLITE_CONSTRAINT_UNIQUE &&
            message.find("UNIQUE constraint failed: messages.") != std::string_view::npos)
            return StoreError::Kind::Duplicate;
        return StoreError::Kind::Other;
    default:
        return StoreError::Kind::Other;
    }
}

void throwStoreError(StoreError::Kind kind, const std::string& path, std::string_view doing,
                     std::string_view reason) {
    std::string what = "store ";
    what.append(path).append(": cannot ").append(doing).append(": ").append(reason);
    throw StoreError(kind, what);
}

} // namespace cplink::store
