#pragma once

#include "store/Database.h"
#include "store/StoreTypes.h"

#include <string_view>
#include <vector>

namespace cplink::store {

// The append-only audit log (the schema itself refuses UPDATE and DELETE).
class AuditLog {
public:
    explicit AuditLog(Database& db) : m_db(db) {}

    void append(std::string_view actor, std::string_view action, std::string_view subject,
                std::string_view detail, UnixTime now);
    std::vector<AuditEntry> entries(int limit, std::int64_t afterId);

private:
    Database& m_db;
};

} // namespace cplink::store
