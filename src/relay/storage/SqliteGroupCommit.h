#pragma once

#include "relay/storage/BodyLog.h"
#include "relay/storage/SqliteConnection.h"

#include <condition_variable>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace cplink::relay {

// Group commit: a durable SQLite commit costs one fsync, and one fsync per request would cap the relay
// at the disk's fsync rate. So all writes go to one writer thread that owns the only write connection;
// it takes every operation queued meanwhile, runs each in its own SAVEPOINT inside one
// BEGIN IMMEDIATE … COMMIT (one failing operation is undone alone), and then tells the callers. A call
// returns (or its completion runs) only after the COMMIT that contains it, so "returned" still means
// "durable". Completions run on the writer thread and must only hand the result on (post it to a
// network strand): the next group waits for them.
//
// With a durability barrier the COMMIT itself does not sync (synchronous=NORMAL): the writer hands the
// committed group to a sync thread and starts the next group at once, and the sync thread calls the
// barrier (one fdatasync of the WAL, WalSync.h) for every group handed over meanwhile before it tells
// their callers. The device's flush then overlaps the next group's statements instead of holding the
// writer. "Returned" still means "durable"; what changes is that other connections may read a commit a
// moment before it is durable. After a power loss in that moment the row is gone again, but nobody was
// told it was stored: its sender sends it again under the same id, and a recipient that saw it already
// is idempotent by (sender, message id) (LESSONS.md).
class SqliteGroupCommit {
public:
    using DurabilityBarrier = std::function<void()>;

    // With a body log, the bodies the group placed are synced just before its COMMIT.
    explicit SqliteGroupCommit(std::unique_ptr<SqliteConnection> connection, BodyLog* bodies = nullptr,
                               DurabilityBarrier barrier = {});
    ~SqliteGroupCommit();
    SqliteGroupCommit(const SqliteGroupCommit&) = delete;
    SqliteGroupCommit& operator=(const SqliteGroupCommit&) = delete;

    // Runs `work(session)` in the next group and returns its result once committed; rethrows what it
    // threw, or a StorageError if the group's commit failed.
    template <typename Work> auto run(Work&& work) -> std::invoke_result_t<Work&, SqlSession&> {
        using Result = std::invoke_result_t<Work&, SqlSession&>;
        if constexpr (std::is_void_v<Result>) {
            submit([&](SqlSession& session) { work(session); });
        } else {
            std::optional<Result> result;
            submit([&](SqlSession& session) { result.emplace(work(session)); });
            return std::move(*result);
        }
    }

    // Queues `work` for the next group and returns at once; `done` runs after that group's COMMIT, with
    // what `work` threw or the commit's error (null: committed).
    using Completion = std::function<void(std::exception_ptr)>;
    void submitAsync(std::function<void(SqlSession&)> work, Completion done);

private:
    struct Operation {
        std::function<void(SqlSession&)> work;
        Completion done;
        std::exception_ptr error;
    };

    using Group = std::vector<std::unique_ptr<Operation>>;

    void submit(std::function<void(SqlSession&)> work);
    template <typename Process>
    static void drain(std::mutex& mutex, std::condition_variable& queued, Group& queue, const bool& stopping,
                      Process process);
    void writerLoop();
    void commitGroup(const Group& group);
    void runInSavepoint(Operation& operation);
    void handOverToSyncer(Group& committed);
    void syncLoop();
    void makeDurable(const Group& committed);
    static void complete(const Group& group);

    std::unique_ptr<SqliteConnection> m_connection;
    BodyLog* m_bodies;
    DurabilityBarrier m_barrier;
    std::mutex m_mutex;
    std::condition_variable m_queued;
    Group m_queue;
    bool m_stopping = false;
    // Committed, waiting for the barrier (with a barrier only).
    std::mutex m_syncMutex;
    std::condition_variable m_syncQueued;
    Group m_syncing;
    bool m_syncStopping = false;
    std::thread m_syncer; // last two: start after everything they use exists
    std::thread m_writer;
};

} // namespace cplink::relay
