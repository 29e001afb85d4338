#pragma once

#include "relay/storage/SqlSession.h"
#include "relay/storage/Storage.h"

#include <functional>
#include <optional>
#include <type_traits>

namespace cplink::relay {

// The Storage operations, written once over SqlSession (SqlOperations.h). A backend says only how a
// read runs and how a durable write transaction runs; everything the relay stores is the same SQL on
// both (StorageSql.h).
class SqlStorage : public Storage {
public:
    UploadResult upload(const Upload& upload) override;
    std::vector<InboxEntry> inbox(const std::string& office, int limit) override;
    std::optional<StoredMessage> download(const std::string& office, const std::string& messageId) override;
    bool acknowledge(const std::string& office, const std::string& messageId, UnixTime now) override;

    void officeSeen(const Office& office, const OfficeCertificate& certificate) override;
    bool addOffice(const std::string& number, const std::string& name, UnixTime now) override;
    bool setOfficeEnabled(const std::string& number, bool enabled) override;
    std::optional<Office> office(const std::string& number) override;
    std::vector<Office> offices() override;
    std::vector<OfficeCertificate> officeCertificates(const std::string& number, UnixTime now) override;

    ExpiryResult expire(UnixTime now, std::chrono::seconds retention) override;
    std::int64_t pendingCount() override;

protected:
    using SessionWork = std::function<void(SqlSession&)>;
    // Runs `work` on a connection for reading (one consistent snapshot per statement at least).
    virtual void readSession(const SessionWork& work) = 0;
    // Runs `work` in one transaction and returns once it is durably committed. `work` may run more
    // than once (a backend may retry a transaction it lost); it must start from scratch each time.
    virtual void writeTransaction(const SessionWork& work) = 0;

private:
    template <typename Work> auto read(Work&& work) { return through(&SqlStorage::readSession, work); }
    template <typename Work> auto write(Work&& work) { return through(&SqlStorage::writeTransaction, work); }
    template <typename Work> auto through(void (SqlStorage::*runner)(const SessionWork&), Work& work) {
        using Result = std::invoke_result_t<Work&, SqlSession&>;
        if constexpr (std::is_void_v<Result>) {
            (this->*runner)(work);
        } else {
            std::optional<Result> result;
            (this->*runner)([&](SqlSession& session) { result.emplace(work(session)); });
            return std::move(*result);
        }
    }
};

} // namespace cplink::relay
