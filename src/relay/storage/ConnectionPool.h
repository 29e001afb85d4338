#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace cplink::relay {

// A bounded pool of connections, opened lazily, shared by the request threads: SQLite read connections
// and PostgreSQL connections. A caller that finds all `capacity` connections in use waits for one.
// A connection found broken is discarded by its lease and a fresh one is opened on a later acquire.
template <typename Connection> class ConnectionPool {
public:
    using Factory = std::function<std::unique_ptr<Connection>()>;

    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
            : m_pool(&pool), m_connection(std::move(connection)) {}
        ~Lease() {
            if (m_pool)
                m_pool->giveBack(std::move(m_connection));
        }
        Lease(Lease&& other) noexcept
            : m_pool(std::exchange(other.m_pool, nullptr)), m_connection(std::move(other.m_connection)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;

        Connection& operator*() const { return *m_connection; }
        Connection* operator->() const { return m_connection.get(); }
        // Closes the connection instead of returning it (it failed in a way that may leave it unusable).
        void discard() { m_connection.reset(); }

    private:
        ConnectionPool* m_pool;
        std::unique_ptr<Connection> m_connection;
    };

    ConnectionPool(std::size_t capacity, Factory factory)
        : m_capacity(capacity), m_factory(std::move(factory)) {}
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    Lease acquire() {
        std::unique_lock lock(m_mutex);
        m_available.wait(lock, [&] { return !m_idle.empty() || m_open < m_capacity; });
        if (!m_idle.empty()) {
            std::unique_ptr<Connection> connection = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(*this, std::move(connection));
        }
        ++m_open; // reserved before the (slow) connect, made outside the lock
        lock.unlock();
        try {
            return Lease(*this, m_factory());
        } catch (...) {
            giveBack(nullptr);
            throw;
        }
    }

    // Hands an open connection to the pool, e.g. the one a constructor used for migrations.
    void adopt(std::unique_ptr<Connection> connection) {
        {
            const std::lock_guard lock(m_mutex);
            ++m_open;
        }
        giveBack(std::move(connection));
    }

    // Closes every idle connection, e.g. after one of them turned out dead with the server restart.
    void dropIdle() {
        std::vector<std::unique_ptr<Connection>> dropped; // closed after the lock is released
        {
            const std::lock_guard lock(m_mutex);
            m_open -= m_idle.size();
            dropped.swap(m_idle);
        }
        m_available.notify_all();
    }

private:
    void giveBack(std::unique_ptr<Connection> connection) {
        {
            const std::lock_guard lock(m_mutex);
            if (connection)
                m_idle.push_back(std::move(connection));
            else
                --m_open;
        }
        m_available.notify_one();
    }

    const std::size_t m_capacity;
    const Factory m_factory;
    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<Connection>> m_idle;
    std::size_t m_open = 0; // idle + leased + being opened
};

} // namespace cplink::relay
