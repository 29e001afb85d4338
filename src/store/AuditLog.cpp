#include "store/AuditLog.h"

#include "store/Transaction.h"

#include <algorithm>

namespace cplink::store {

void AuditLog::append(std::string_view actor, std::string_view action, std::string_view subject,
                      std::string_view detail, UnixTime now) {
    Transaction transaction(m_db);
    Query(m_db, "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
          "append to the audit log")
        .bind(1, now)
        .bind(2, actor)
        .bind(3, action)
        .bind(4, subject)
        .bind(5, detail)
        .run();
    transaction.commit();
}

std::vector<AuditEntry> AuditLog::entries(int limit, std::int64_t afterId) {
    // A negative LIMIT means "no limit" to SQLite; a caller asking for fewer than none gets none.
    Query query(
        m_db,
        "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2",
        "read the audit log");
    query.bind(1, afterId).bind(2, std::max(limit, 0));
    std::vector<AuditEntry> out;
    while (query.next())
        out.push_back(AuditEntry{query.int64(0), query.int64(1), query.text(2), query.text(3), query.text(4),
                                 query.text(5)});
    return out;
}

} // namespace cplink::store
