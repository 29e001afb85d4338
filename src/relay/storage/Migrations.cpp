#include "relay/storage/Migrations.h"

#include "relay/storage/Storage.h"

#include <string>

namespace cplink::relay {

std::span<const Migration> pendingMigrations(std::span<const Migration> all, int current) {
    const int latest = all.empty() ? 0 : all.back().version;
    if (current > latest) {
        throw StorageError("storage: the database has schema version " + std::to_string(current) +
                           ", newer than this relay knows (" + std::to_string(latest) + ")");
    }
    std::size_t first = 0;
    while (first < all.size() && all[first].version <= current)
        ++first;
    return all.subspan(first);
}

} // namespace cplink::relay
