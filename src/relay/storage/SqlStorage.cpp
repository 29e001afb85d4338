#include "relay/storage/SqlStorage.h"

#include "relay/storage/SqlOperations.h"

namespace cplink::relay {

UploadResult SqlStorage::upload(const Upload& upload) {
    return write([&](SqlSession& session) { return ops::upload(session, upload); });
}

std::vector<InboxEntry> SqlStorage::inbox(const std::string& office, int limit) {
    return read([&](SqlSession& session) { return ops::inbox(session, office, limit); });
}

std::optional<StoredMessage> SqlStorage::download(const std::string& office, const std::string& messageId) {
    return read([&](SqlSession& session) { return ops::download(session, office, messageId); });
}

bool SqlStorage::acknowledge(const std::string& office, const std::string& messageId, UnixTime now) {
    return write([&](SqlSession& session) { return ops::acknowledge(session, office, messageId, now); });
}

void SqlStorage::officeSeen(const Office& office, const OfficeCertificate& certificate) {
    write([&](SqlSession& session) { ops::officeSeen(session, office, certificate); });
}

bool SqlStorage::addOffice(const std::string& number, const std::string& name, UnixTime now) {
    return write([&](SqlSession& session) { return ops::addOffice(session, number, name, now); });
}

bool SqlStorage::setOfficeEnabled(const std::string& number, bool enabled) {
    return write([&](SqlSession& session) { return ops::setOfficeEnabled(session, number, enabled); });
}

std::optional<Office> SqlStorage::office(const std::string& number) {
    return read([&](SqlSession& session) { return ops::office(session, number); });
}

std::vector<Office> SqlStorage::offices() {
    return read([&](SqlSession& session) { return ops::offices(session); });
}

std::vector<OfficeCertificate> SqlStorage::officeCertificates(const std::string& number, UnixTime now) {
    return read([&](SqlSession& session) { return ops::officeCertificates(session, number, now); });
}

ExpiryResult SqlStorage::expire(UnixTime now, std::chrono::seconds retention) {
    return write([&](SqlSession& session) { return ops::expire(session, now, retention); });
}

std::int64_t SqlStorage::pendingCount() {
    return read([&](SqlSession& session) { return ops::pendingCount(session); });
}

} // namespace cplink::relay
