#include "relay/storage/SqliteGroupCommit.h"

#include "relay/storage/ThreadName.h"

namespace cplink::relay {

namespace {

constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
constexpr const char* kSavepoint = "SAVEPOINT operation";
constexpr const char* kRelease = "RELEASE operation";
constexpr const char* kRollbackToSavepoint = "ROLLBACK TO operation";

} // namespace

SqliteGroupCommit::SqliteGroupCommit(std::unique_ptr<SqliteConnection> connection, BodyLog* bodies)
    : m_connection(std::move(connection)), m_bodies(bodies), m_writer([this] { writerLoop(); }) {
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
    std::promise<void> committed;
    std::future<void> answer = committed.get_future();
    submitAsync(std::move(work), [&committed](std::exception_ptr error) {
        if (error)
            committed.set_exception(error);
        else
            committed.set_value();
    });
    answer.get(); // rethrows what the work or the commit threw
}

void SqliteGroupCommit::submitAsync(std::function<void(SqlSession&)> work, Completion done) {
    auto operation = std::make_unique<Operation>(Operation{std::move(work), std::move(done), nullptr});
    {
        const std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(operation));
    }
    m_queued.notify_one();
}

void SqliteGroupCommit::writerLoop() {
    nameThisThread("relay-writer");
    std::vector<std::unique_ptr<Operation>> group;
    std::unique_lock lock(m_mutex);
    while (true) {
        m_queued.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, and every caller has had its answer
        group.swap(m_queue);
        lock.unlock();
        commitGroup(group);
        for (const auto& operation : group) {
            try {
                operation->done(operation->error);
            } catch (...) {
                // A completion only hands the result on; one that fails must not stop the writer.
            }
        }
        group.clear();
        lock.lock();
    }
}

void SqliteGroupCommit::commitGroup(const std::vector<std::unique_ptr<Operation>>& group) {
    try {
        m_connection->run(kBegin);
        for (const auto& operation : group)
            runInSavepoint(*operation);
        if (m_bodies)
            m_bodies->flush();
        m_connection->run(kCommit);
        if (m_bodies)
            m_bodies->committed();
    } catch (...) {
        if (m_bodies)
            m_bodies->discard();
        // The transaction as a whole failed: nothing of this group is committed, so every caller hears so.
        if (m_connection->inTransaction()) {
            try {
                m_connection->run(kRollback);
            } catch (...) {
                // The connection is in trouble already; the callers get the first error.
            }
        }
        for (const auto& operation : group) {
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
