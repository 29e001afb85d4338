#include "relay/storage/ExpiryNotice.h"
#include "relay/storage/SqlOperations.h"
#include "relay/storage/StorageSql.h"

#include <algorithm>

namespace cplink::relay::ops {

ExpiryResult expire(SqlSession& session, UnixTime now, std::chrono::seconds retention) {
    session.lockHousekeeping();
    const UnixTime cutoff = now - static_cast<UnixTime>(retention.count());

    const SqlResult result = session.run(sql::kExpirePending, {now, cutoff});
    std::vector<ExpiredMessage> expired;
    expired.reserve(result.rows.size());
    for (const SqlRow& row : result.rows)
        expired.push_back(
            ExpiredMessage{row.integer(0), row.text(1), row.text(2), row.text(3), row.integer(4)});
    // RETURNING has no order; notices queue in the order the expired messages arrived.
    std::sort(expired.begin(), expired.end(), [](const auto& a, const auto& b) { return a.row < b.row; });

    for (const ExpiredMessage& message : expired) {
        // An undelivered notice just goes: nobody is told that nobody read it.
        if (message.sender == kRelaySender)
            continue;
        if (!insertPending(session, expiryNotice(message, now)))
            throw StorageError("storage: expiry notice expired." + std::to_string(message.row) +
                               " exists already");
    }

    ExpiryResult outcome;
    outcome.expired = static_cast<int>(expired.size());
    outcome.purged = static_cast<int>(session.run(sql::kPurgeSettled, {cutoff}).affected);
    return outcome;
}

std::set<std::int64_t> liveBodySegments(SqlSession& session) {
    std::set<std::int64_t> live;
    for (const SqlRow& row : session.run(sql::kLiveBodySegments).rows)
        live.insert(row.integer(0));
    return live;
}

} // namespace cplink::relay::ops
