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
class SqliteGroupCommit {
public:
    // With a body log, the bodies the group placed are synced just before its COMMIT.
    explicit SqliteGroupCommit(std::unique_ptr<SqliteConnection> connection, BodyLog* bodies = nullptr);
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

    void submit(std::function<void(SqlSession&)> work);
    void writerLoop();
    void commitGroup(const std::vector<std::unique_ptr<Operation>>& group);
    void runInSavepoint(Operation& operation);

    std::unique_ptr<SqliteConnection> m_connection;
    BodyLog* m_bodies;
    std::mutex m_mutex;
    std::condition_variable m_queued;
    std::vector<std::unique_ptr<Operation>> m_queue;
    bool m_stopping = false;
    std::thread m_writer; // last: starts after everything it uses exists
};

} // namespace cplink::relay
