#pragma once

#include "store/Database.h"

#include <optional>
#include <string>
#include <string_view>

namespace cplink::store {

// Key-value settings of the profile.
class Settings {
public:
    explicit Settings(Database& db) : m_db(db) {}

    void set(std::string_view key, std::string_view value);
    std::optional<std::string> get(std::string_view key);

private:
    Database& m_db;
};

} // namespace cplink::store
