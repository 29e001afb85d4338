#include "store/Settings.h"

#include "store/Transaction.h"

namespace cplink::store {

void Settings::set(std::string_view key, std::string_view value) {
    Transaction transaction(m_db);
    Query(m_db,
          "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = "
          "excluded.value",
          "save a setting")
        .bind(1, key)
        .bind(2, value)
        .run();
    transaction.commit();
}

std::optional<std::string> Settings::get(std::string_view key) {
    Query query(m_db, "SELECT value FROM settings WHERE key = ?1", "read a setting");
    if (!query.bind(1, key).next())
        return std::nullopt;
    return query.text(0);
}

} // namespace cplink::store
