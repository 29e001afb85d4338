#pragma once

#include "store/Database.h"
#include "store/StoreTypes.h"

#include <optional>
#include <string_view>
#include <vector>

namespace cplink::store {

// Our own office identities (Store's identity operations).
class IdentityRepository {
public:
    explicit IdentityRepository(Database& db) : m_db(db) {}

    void add(const OwnIdentity& identity);
    std::vector<OwnIdentity> all();
    std::optional<OwnIdentity> byOffice(std::string_view office);

private:
    Database& m_db;
};

} // namespace cplink::store
