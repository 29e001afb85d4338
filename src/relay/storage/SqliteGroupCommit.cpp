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
std::unique_ptr<SqliteConnection> withoutCommitSync(std::unique_ptr<SqliteConnection> connection,
                                                    bool barrier) {
    if (barrier)
        connection->execute("PRAGMA synchronous = NORMAL");
    return connection;
}

} // namespace

SqliteGroupCommit::SqliteGroupCommit(std::unique_ptr<SqliteConnection> connection, BodyLog* bodies,
                                     DurabilityBarrier barrier)
    : m_connection(withoutCommitSync(std::move(connection), static_cast<bool>(barrier))), m_bodies(bodies),
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

// Runs `process` on everything queued, batch after batch, until `stopping` is set and nothing is left.
template <typename Process>
void SqliteGroupCommit::drain(std::mutex& mutex, std::condition_variable& queued, Group& queue,
                              const bool& stopping, Process process) {
    Group batch;
    std::unique_lock lock(mutex);
    while (true) {
        queued.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty())
            return; // stopping, and every caller has had its answer (or is further down the line)
        batch.swap(queue);
        lock.unlock();
        process(batch);
        batch.clear();
        lock.lock();
    }
}

void SqliteGroupCommit::writerLoop() {
    nameThisThread("relay-writer");
    drain(m_mutex, m_queued, m_queue, m_stopping, [this](Group& group) {
        commitGroup(group);
        if (m_barrier)
            handOverToSyncer(group);
        else
            complete(group);
    });
}

void SqliteGroupCommit::handOverToSyncer(Group& committed) {
    {
        const std::lock_guard lock(m_syncMutex);
        for (auto& operation : committed)
            m_syncing.push_back(std::move(operation));
    }
    m_syncQueued.notify_one();
}

void SqliteGroupCommit::syncLoop() {
    nameThisThread("relay-walsync");
    // Every group committed since the last barrier: one sync for all of them.
    drain(m_syncMutex, m_syncQueued, m_syncing, m_syncStopping, [this](Group& committed) {
        makeDurable(committed);
        complete(committed);
    });
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
