#include "relay/storage/SqliteGroupCommit.h"

namespace cplink::relay {

namespace {

constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
constexpr const char* kSavepoint = "SAVEPOINT operation";
constexpr const char* kRelease = "RELEASE operation";
constexpr const char* kRollbackToSavepoint = "ROLLBACK TO operation";

} // namespace

SqliteGroupCommit::SqliteGroupCommit(std::unique_ptr<SqliteConnection> connection)
    : m_connection(std::move(connection)), m_writer([this] { writerLoop(); }) {
}

SqliteGroupCommit::~SqliteGroupCommit() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_queued.notify_one();
    m_writer.join();
}

void SqliteGroupCommit::submit(std::function<void(SqlSession&)> work) {
    Operation operation{std::move(work), nullptr, false};
    std::unique_lock lock(m_mutex);
    m_queue.push_back(&operation);
    m_queued.notify_one();
    m_committed.wait(lock, [&] { return operation.done; });
    if (operation.error)
        std::rethrow_exception(operation.error);
}

void SqliteGroupCommit::writerLoop() {
    std::vector<Operation*> group;
    std::unique_lock lock(m_mutex);
    while (true) {
        m_queued.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, and every caller has had its answer
        group.swap(m_queue);
        lock.unlock();
        commitGroup(group);
        lock.lock();
        for (Operation* operation : group)
            operation->done = true;
        group.clear();
        m_committed.notify_all();
    }
}

void SqliteGroupCommit::commitGroup(const std::vector<Operation*>& group) {
    try {
        m_connection->run(kBegin);
        for (Operation* operation : group)
            runInSavepoint(*operation);
        m_connection->run(kCommit);
    } catch (...) {
        // The transaction as a whole failed: nothing of this group is committed, so every caller hears so.
        if (m_connection->inTransaction()) {
            try {
                m_connection->run(kRollback);
            } catch (...) {
                // The connection is in trouble already; the callers get the first error.
            }
        }
        for (Operation* operation : group) {
            if (!operation->error)
                operation->error = std::current_exception();
        }
    }
}

void SqliteGroupCommit::runInSavepoint(Operation& operation) {
    m_connection->run(kSavepoint);
    try {
        operation.work(*m_connection);
    } catch (...) {
        operation.error = std::current_exception();
        // After an I/O error or a full disk SQLite may have rolled back the whole transaction: then the
        // group's earlier work is gone too, and the group fails with this error.
        if (!m_connection->inTransaction())
            throw;
        m_connection->run(kRollbackToSavepoint);
    }
    m_connection->run(kRelease);
}

} // namespace cplink::relay
