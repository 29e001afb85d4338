#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace cplink::test {

// A real PostgreSQL for tests, isolated by database: createDatabase() gives each test an empty one.
//
// If CPLINK_TEST_POSTGRES_URL is set (a libpq URI of a user allowed to CREATE DATABASE), that server is
// used and the databases made are dropped at the end. Otherwise a private server is started from
// /usr/lib/postgresql/<newest>/bin: initdb into a temporary directory (as the `postgres` user when we
// are root: PostgreSQL refuses to run as root), listening on a free 127.0.0.1 port with its socket in
// that directory, fsync on because tests check durability. Startup takes well under a second.
//
// The server is stopped and its directory removed by the destructor, and also if the test process
// dies without running it: a small detached shell waits for the process to go away and cleans up.
class PostgresServer {
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // A new, empty database; returns its postgresql:// URL.
    std::string createDatabase();

    // True when CPLINK_TEST_POSTGRES_URL points at a server this object does not control: then
    // stop/start/restart are not available (they throw) and tests needing them should skip.
    bool external() const { return m_external; }
    // For tests that restart the server (our own server only): its binaries, port and data directory.
    const std::string& binDir() const { return m_binDir; }
    int port() const { return m_port; }
    const std::string& dataDir() const { return m_dataDir; }

    // Fast shutdown / start on the same port and data; connections of the old server break.
    void stop();
    void start();
    void restart();

private:
    void initialise();
    std::vector<std::string> asServerUser(std::vector<std::string> command) const;
    void spawnReaper();
    std::string urlFor(const std::string& database) const;

    bool m_external = false;
    std::string m_adminUrl;
    std::vector<std::string> m_databases; // made on an external server, dropped at the end
    int m_counter = 0;

    std::string m_binDir;
    std::string m_dir; // temporary: data directory, socket and log
    std::string m_dataDir;
    int m_port = 0;
    int m_reaperPipe = -1; // write end; closing it (or dying) lets the reaper clean up
    pid_t m_reaper = -1;
};

} // namespace cplink::test
