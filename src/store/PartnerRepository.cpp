#include "store/PartnerRepository.h"

#include "store/TextSearch.h"
#include "store/Transaction.h"

namespace cplink::store {

namespace {

constexpr std::string_view kColumns = "office, name, favourite, last_seen, certificates_at";

std::string selectPartners(std::string_view rest) {
    std::string sql = "SELECT ";
    sql.append(kColumns).append(" FROM partners ").append(rest);
    return sql;
}

const std::string kByOffice = selectPartners("WHERE office = ?1");
// Favourites first, then the offices worked with most recently; office number for a stable order.
const std::string kMatching = selectPartners("WHERE office LIKE ?1 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\' "
                                             "ORDER BY favourite DESC, last_seen DESC, office");

} // namespace

void PartnerRepository::save(const Partner& partner) {
    Transaction transaction(m_db);
    // A new partner takes favourite and last_seen from the argument; a known one keeps its own: they are
    // the user's choice and our history, not directory data.
    Query(
        m_db,
        "INSERT INTO partners (office, name, favourite, last_seen, certificates_at) VALUES (?1, ?2, ?3, ?4, "
        "?5) "
        "ON CONFLICT (office) DO UPDATE SET name = excluded.name, certificates_at = excluded.certificates_at",
        "save a partner")
        .bind(1, partner.office)
        .bind(2, partner.name)
        .bind(3, partner.favourite ? 1 : 0)
        .bind(4, partner.lastSeen)
        .bind(5, partner.certificatesAt)
        .run();
    Query(m_db, "DELETE FROM partner_certificates WHERE office = ?1", "replace a partner's certificates")
        .bind(1, partner.office)
        .run();
    for (const PartnerCertificate& certificate : partner.certificates) {
        // The same certificate listed twice by the directory is stored once.
        Query(m_db,
              "INSERT OR IGNORE INTO partner_certificates (office, fingerprint, pem, not_before, not_after) "
              "VALUES (?1, ?2, ?3, ?4, ?5)",
              "save a partner's certificate")
            .bind(1, partner.office)
            .bind(2, certificate.fingerprint)
            .bind(3, certificate.pem)
            .bind(4, certificate.notBefore)
            .bind(5, certificate.notAfter)
            .run();
    }
    transaction.commit();
}

std::vector<PartnerCertificate> PartnerRepository::certificates(std::string_view office) {
    Query query(m_db,
                "SELECT fingerprint, pem, not_before, not_after FROM partner_certificates WHERE office = ?1 "
                "ORDER BY id",
                "read a partner's certificates");
    query.bind(1, office);
    std::vector<PartnerCertificate> out;
    while (query.next())
        out.push_back(PartnerCertificate{query.text(0), query.text(1), query.int64(2), query.int64(3)});
    return out;
}

std::vector<Partner> PartnerRepository::read(Query& query) {
    std::vector<Partner> out;
    while (query.next()) {
        Partner p;
        p.office = query.text(0);
        p.name = query.text(1);
        p.favourite = query.int64(2) != 0;
        p.lastSeen = query.int64(3);
        p.certificatesAt = query.int64(4);
        out.push_back(std::move(p));
    }
    for (Partner& p : out)
        p.certificates = certificates(p.office);
    return out;
}

std::optional<Partner> PartnerRepository::byOffice(std::string_view office) {
    Query query(m_db, kByOffice, "read a partner");
    query.bind(1, office);
    std::vector<Partner> found = read(query);
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

std::vector<Partner> PartnerRepository::matching(std::string_view text) {
    const std::string officePrefix = likeStartingWith(text);
    const std::string nameContains = likeContaining(text);
    Query query(m_db, kMatching, "list partners");
    query.bind(1, officePrefix).bind(2, nameContains);
    return read(query);
}

void PartnerRepository::setFavourite(std::string_view office, bool favourite) {
    Transaction transaction(m_db);
    // Like touch(): an office known only by its number gets a bare entry.
    Query(m_db,
          "INSERT INTO partners (office, name, favourite, last_seen, certificates_at) VALUES (?1, '', ?2, 0, "
          "0) "
          "ON CONFLICT (office) DO UPDATE SET favourite = excluded.favourite",
          "mark a favourite partner")
        .bind(1, office)
        .bind(2, favourite ? 1 : 0)
        .run();
    transaction.commit();
}

void PartnerRepository::touch(std::string_view office, UnixTime now) {
    Transaction transaction(m_db);
    Query(m_db,
          "INSERT INTO partners (office, name, favourite, last_seen, certificates_at) VALUES (?1, '', 0, ?2, "
          "0) "
          "ON CONFLICT (office) DO UPDATE SET last_seen = excluded.last_seen",
          "record contact with a partner")
        .bind(1, office)
        .bind(2, now)
        .run();
    transaction.commit();
}

} // namespace cplink::store
