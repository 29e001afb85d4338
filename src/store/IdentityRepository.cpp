#include "store/IdentityRepository.h"

#include "store/Transaction.h"

namespace cplink::store {

namespace {

std::vector<OwnIdentity> read(Query& query) {
    std::vector<OwnIdentity> out;
    while (query.next())
        out.push_back(
            OwnIdentity{query.text(0), query.text(1), query.text(2), query.text(3), query.int64(4)});
    return out;
}

} // namespace

void IdentityRepository::add(const OwnIdentity& identity) {
    Transaction transaction(m_db);
    Query(m_db,
          "INSERT OR REPLACE INTO identities (office, name, identity_path, certificate_pem, added_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5)",
          "save an identity")
        .bind(1, identity.office)
        .bind(2, identity.name)
        .bind(3, identity.identityPath)
        .bind(4, identity.certificatePem)
        .bind(5, identity.addedAt)
        .run();
    transaction.commit();
}

std::vector<OwnIdentity> IdentityRepository::all() {
    Query query(
        m_db, "SELECT office, name, identity_path, certificate_pem, added_at FROM identities ORDER BY office",
        "list identities");
    return read(query);
}

std::optional<OwnIdentity> IdentityRepository::byOffice(std::string_view office) {
    Query query(
        m_db,
        "SELECT office, name, identity_path, certificate_pem, added_at FROM identities WHERE office = ?1",
        "read an identity");
    query.bind(1, office);
    std::vector<OwnIdentity> found = read(query);
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

} // namespace cplink::store
