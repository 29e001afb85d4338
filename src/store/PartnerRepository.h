#pragma once

#include "store/Database.h"
#include "store/StoreTypes.h"

#include <optional>
#include <string_view>
#include <vector>

namespace cplink::store {

// Partner offices and their certificates (Store's partner operations; see Store.h).
class PartnerRepository {
public:
    explicit PartnerRepository(Database& db) : m_db(db) {}

    void save(const Partner& partner);
    std::optional<Partner> byOffice(std::string_view office);
    std::vector<Partner> matching(std::string_view query);
    void setFavourite(std::string_view office, bool favourite);
    void touch(std::string_view office, UnixTime now);

private:
    std::vector<PartnerCertificate> certificates(std::string_view office);
    std::vector<Partner> read(Query& query);

    Database& m_db;
};

} // namespace cplink::store
