#pragma once

// The relay's storage rules, written once against SqlSession and run by both backends inside the
// transaction they open for each Storage method (SqliteStorage: a group commit or a read connection;
// PostgresStorage: a pooled connection). Each function is the whole body of the Storage method of the
// same name; see Storage.h for what they promise.
#include "relay/storage/SqlSession.h"
#include "relay/storage/Storage.h"

#include <chrono>
#include <set>

namespace cplink::relay::ops {

UploadResult upload(SqlSession& session, const Upload& upload);
std::vector<InboxEntry> inbox(SqlSession& session, const std::string& office, int limit);
std::optional<StoredMessage> download(SqlSession& session, const std::string& office,
                                      const std::string& messageId);
bool acknowledge(SqlSession& session, const std::string& office, const std::string& messageId, UnixTime now);
std::int64_t pendingCount(SqlSession& session);

ExpiryResult expire(SqlSession& session, UnixTime now, std::chrono::seconds retention);
std::set<std::int64_t> liveBodySegments(SqlSession& session);

// `office.lastSeen` is the time of this connection; `certificate` is skipped when it has no fingerprint.
void officeSeen(SqlSession& session, const Office& office, const OfficeCertificate& certificate);
bool addOffice(SqlSession& session, const std::string& number, const std::string& name, UnixTime now);
bool setOfficeEnabled(SqlSession& session, const std::string& number, bool enabled);
std::optional<Office> office(SqlSession& session, const std::string& number);
std::vector<Office> offices(SqlSession& session);
std::vector<OfficeCertificate> officeCertificates(SqlSession& session, const std::string& number,
                                                  UnixTime now);

// Queues `message` as pending without asking whether the recipient is an office (expiry notices go to
// senders as "relay"). False if its (sender, id) or (recipient, id) is taken meanwhile.
bool insertPending(SqlSession& session, const Upload& message);

} // namespace cplink::relay::ops
