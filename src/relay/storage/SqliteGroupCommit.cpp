#include "relay/storage/SqliteGroupCommit.h"

#include "relay/storage/ThreadName.h"

#include <algorithm>

namespace cplink::relay {

namespace {

constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
constexpr const char* kSavepoint = "SAVEPOINT operation";
constexpr const char* kRelease = "RELEASE operation";
constexpr const char* kRollbackToSavepoint = "ROLLBACK TO operation";

// Durability moves from the COMMIT to the barrier (see the header).
std::unique_ptr<SqliteConnection> withCommitSync(std::unique_ptr<SqliteConnection> connection, bool barrier) {
    if (barrier)
        connection->execute("PRAGMA synchronous = NORMAL");
    return connection;
}

} // namespace

SqliteGroupCommit::SqliteGroupCommit(std::unique_ptr<SqliteConnection> connection, BodyLog* bodies,
                                     DurabilityBarrier barrier)
    : m_connection(withCommitSync(std::move(connection), static_cast<bool>(barrier))), m_bodies(bodies),
      m_barrier(std::move(barrier)),
      m_syncer(m_barrier ? std::thread([this] { syncLoop(); }) : std::thread()),
      m_writer([this] { writerLoop(); }) {
}

SqliteGroupCommit::~SqliteGroupCommit() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_queued.notify_one();
    m_writer.join(); // every queued group is committed and, with a barrier, handed to the syncer
    if (m_syncer.joinable()) {
        {
            const std::lock_guard lock(m_syncMutex);
            m_syncStopping = true;
        }
        m_syncQueued.notify_one();
        m_syncer.join();
    }
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
    Group group;
    std::unique_lock lock(m_mutex);
    while (true) {
        m_queued.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, and every caller has had its answer (or is with the syncer)
        group.swap(m_queue);
        lock.unlock();
        commitGroup(group);
        if (m_barrier) {
            {
                const std::lock_guard syncLock(m_syncMutex);
                for (auto& operation : group)
                    m_syncing.push_back(std::move(operation));
            }
            m_syncQueued.notify_one();
        } else {
            complete(group);
        }
        group.clear();
        lock.lock();
    }
}

void SqliteGroupCommit::syncLoop() {
    nameThisThread("relay-walsync");
    Group committed;
    std::unique_lock lock(m_syncMutex);
    while (true) {
        m_syncQueued.wait(lock, [&] { return m_syncStopping || !m_syncing.empty(); });
        if (m_syncing.empty())
            return;                // stopping, and every caller has had its answer
        committed.swap(m_syncing); // every group committed since the last barrier: one sync for all
        lock.unlock();
        makeDurable(committed);
        complete(committed);
        committed.clear();
        lock.lock();
    }
}

void SqliteGroupCommit::makeDurable(const Group& committed) {
    const bool anyStored = std::any_of(committed.begin(), committed.end(),
                                       [](const auto& operation) { return !operation->error; });
    if (!anyStored)
        return; // refusals and failed groups have nothing to make durable
    try {
        m_barrier();
    } catch (...) {
        // Committed but perhaps not durable: the callers hear of a failure. A sender that tries again
        // gets the stored answer (idempotent upload), so nothing is lost or doubled by saying so.
        for (const auto& operation : committed) {
            if (!operation->error)
                operation->error = std::current_exception();
        }
    }
}

void SqliteGroupCommit::complete(const Group& group) {
    for (const auto& operation : group) {
        try {
            operation->done(operation->error);
        } catch (...) {
            // A completion only hands the result on; one that fails must not stop the writer.
        }
    }
}

void SqliteGroupCommit::commitGroup(const Group& group) {
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
