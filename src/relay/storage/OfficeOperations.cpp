#include "relay/storage/SqlOperations.h"
#include "relay/storage/StorageSql.h"

namespace cplink::relay::ops {

namespace {

Office officeFromRow(const SqlRow& row) {
    return Office{row.text(0), row.text(1), row.flag(2), row.integer(3), row.integer(4)};
}

} // namespace

void officeSeen(SqlSession& session, const Office& office, const OfficeCertificate& certificate) {
    session.run(sql::kOfficeSeen, {office.number, office.name, office.lastSeen});
    if (certificate.fingerprint.empty())
        return;
    session.run(sql::kCertificateSeen, {office.number, certificate.fingerprint, certificate.pem,
                                        certificate.notAfter, certificate.seenAt});
}

bool addOffice(SqlSession& session, const std::string& number, const std::string& name, UnixTime now) {
    if (!session.run(sql::kAddOffice, {number, name, now}).rows.empty())
        return true;
    session.run(sql::kRenameOffice, {number, name});
    return false;
}

bool setOfficeEnabled(SqlSession& session, const std::string& number, bool enabled) {
    return session.run(sql::kSetOfficeEnabled, {number, enabled}).affected > 0;
}

std::optional<Office> office(SqlSession& session, const std::string& number) {
    const SqlResult result = session.run(sql::kOffice, {number});
    if (result.rows.empty())
        return std::nullopt;
    return officeFromRow(result.rows.front());
}

std::vector<Office> offices(SqlSession& session) {
    const SqlResult result = session.run(sql::kOffices);
    std::vector<Office> all;
    for (const SqlRow& row : result.rows)
        all.push_back(officeFromRow(row));
    return all;
}

std::vector<OfficeCertificate> officeCertificates(SqlSession& session, const std::string& number,
                                                  UnixTime now) {
    const SqlResult result = session.run(sql::kOfficeCertificates, {number, now});
    std::vector<OfficeCertificate> certificates;
    for (const SqlRow& row : result.rows)
        certificates.push_back(OfficeCertificate{row.text(0), row.text(1), row.integer(2), row.integer(3)});
    return certificates;
}

} // namespace cplink::relay::ops
