#include "PostgresServer.h"

#include "crypto/Files.h"

#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <libpq-fe.h>
#include <memory>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cplink::test {

namespace {

namespace fs = std::filesystem;

struct PgFinisher {
    void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct PgClearer {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgFinisher>;
using PgResultPtr = std::unique_ptr<PGresult, PgClearer>;

using Fd = crypto::FileDescriptor;

class SpawnActions {
public:
    SpawnActions() { posix_spawn_file_actions_init(&m_actions); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&m_actions); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &m_actions; }

private:
    posix_spawn_file_actions_t m_actions;
};

class SpawnAttributes {
public:
    SpawnAttributes() { posix_spawnattr_init(&m_attributes); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&m_attributes); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    posix_spawnattr_t* get() { return &m_attributes; }

private:
    posix_spawnattr_t m_attributes;
};

std::string joined(const std::vector<std::string>& command) {
    std::string text;
    for (const std::string& word : command)
        text += (text.empty() ? "" : " ") + word;
    return text;
}

std::string lastLines(const std::string& path) {
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

pid_t spawn(const std::vector<std::string>& command, SpawnActions& actions, SpawnAttributes* attributes) {
    std::vector<char*> argv;
    for (const std::string& word : command)
        argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], actions.get(), attributes ? attributes->get() : nullptr,
                                argv.data(), environ);
    if (rc != 0)
        throw std::runtime_error("cannot run " + command[0] + ": " + std::strerror(rc));
    return pid;
}

int waitFor(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs a program to its end with its output appended to `logPath`, which a failure quotes.
void run(const std::vector<std::string>& command, const std::string& logPath) {
    SpawnActions actions;
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(actions.get(), 1, logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
    if (waitFor(spawn(command, actions, nullptr)) != 0)
        throw std::runtime_error(joined(command) + " failed:\n" + lastLines(logPath));
}

std::string newestBinDir() {
    std::string best;
    int bestVersion = -1;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const std::string name = entry.path().filename().string();
        int version = -1;
        std::from_chars(name.data(), name.data() + name.size(), version);
        const fs::path bin = entry.path() / "bin";
        if (version > bestVersion && fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl")) {
            bestVersion = version;
            best = bin.string();
        }
    }
    if (best.empty()) {
        throw std::runtime_error("no PostgreSQL under /usr/lib/postgresql/*/bin: install postgresql or set "
                                 "CPLINK_TEST_POSTGRES_URL");
    }
    return best;
}

// Asks the kernel for a free port. Another process could take it before the server binds it; start()
// is then retried on a new one.
int freePort() {
    const Fd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (socket.get() < 0 ||
        ::bind(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(socket.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error(std::string("cannot find a free port: ") + std::strerror(errno));
    }
    return ntohs(address.sin_port);
}

std::string runuserPath() {
    for (const char* path : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"}) {
        if (::access(path, X_OK) == 0)
            return path;
    }
    return "runuser";
}

void execute(const std::string& url, const std::string& sql) {
    const PgConnPtr connection(PQconnectdb(url.c_str()));
    if (PQstatus(connection.get()) != CONNECTION_OK)
        throw std::runtime_error(std::string("cannot connect to the test PostgreSQL: ") +
                                 PQerrorMessage(connection.get()));
    const PgResultPtr result(PQexec(connection.get(), sql.c_str()));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
        throw std::runtime_error(sql + ": " + PQerrorMessage(connection.get()));
}

} // namespace

PostgresServer::PostgresServer() {
    if (const char* url = std::getenv("CPLINK_TEST_POSTGRES_URL"); url && *url) {
        m_external = true;
        m_adminUrl = url;
        return;
    }
    m_binDir = newestBinDir();
    try {
        initialise();
        for (int attempt = 1;; ++attempt) {
            m_port = freePort();
            try {
                start();
                break;
            } catch (const std::runtime_error&) {
                if (attempt == 3)
                    throw;
            }
        }
        m_adminUrl = urlFor("postgres");
    } catch (...) {
        if (m_reaperPipe >= 0) {
            ::close(m_reaperPipe);
            waitFor(m_reaper);
        }
        throw;
    }
}

PostgresServer::~PostgresServer() {
    if (m_external) {
        for (const std::string& database : m_databases) {
            try {
                execute(m_adminUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (const std::exception&) {
                // Best effort: a leftover test database on a shared server is harmless.
            }
        }
        return;
    }
    // The reaper stops the server and removes the directory; waiting for it makes that done on return.
    ::close(m_reaperPipe);
    waitFor(m_reaper);
}

std::vector<std::string> PostgresServer::asServerUser(std::vector<std::string> command) const {
    if (::geteuid() != 0)
        return command;
    std::vector<std::string> wrapped{runuserPath(), "-u", "postgres", "--"};
    wrapped.insert(wrapped.end(), command.begin(), command.end());
    return wrapped;
}

void PostgresServer::initialise() {
    std::string pattern = (fs::temp_directory_path() / "cplink-pg-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error(std::string("mkdtemp failed: ") + std::strerror(errno));
    m_dir = pattern;
    m_dataDir = m_dir + "/data";
    if (::geteuid() == 0) {
        // initdb and postgres refuse to run as root; the directory must belong to their user.
        const passwd* user = ::getpwnam("postgres");
        if (!user || ::chown(m_dir.c_str(), user->pw_uid, user->pw_gid) != 0) {
            ::rmdir(m_dir.c_str());
            throw std::runtime_error("running as root needs a `postgres` user to own " + m_dir);
        }
    }
    spawnReaper(); // from now on the directory is removed whatever happens to this process
    // --no-sync only skips initdb's own final flush; the server itself runs with fsync on.
    run(asServerUser({m_binDir + "/initdb", "-D", m_dataDir, "-U", "postgres", "--auth=trust", "--no-sync",
                      "-E", "UTF8", "--locale=C"}),
        m_dir + "/commands.log");
}

void PostgresServer::spawnReaper() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
    const Fd readEnd(fds[0]);
    m_reaperPipe = fds[1]; // close-on-exec: no other child (nor the server) keeps it open

    SpawnActions actions;
    posix_spawn_file_actions_adddup2(actions.get(), readEnd.get(), 0);
    posix_spawn_file_actions_addopen(actions.get(), 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
    SpawnAttributes attributes;
    // Its own session: a test runner killing our process group on a timeout does not kill the reaper.
    posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSID);

    // `read` returns at end of input, i.e. when every copy of the write end is closed: by the destructor,
    // or by the kernel when this process dies in any way.
    std::vector<std::string> command{"/bin/sh", "-c", "read -r line; \"$@\"; rm -rf -- \"$0\"", m_dir};
    for (std::string& word :
         asServerUser({m_binDir + "/pg_ctl", "stop", "-D", m_dataDir, "-m", "immediate", "-w"}))
        command.push_back(std::move(word));
    m_reaper = spawn(command, actions, &attributes);
}

void PostgresServer::start() {
    if (m_external)
        throw std::logic_error("cannot start an external PostgreSQL");
    const std::string options = "-p " + std::to_string(m_port) + " -k " + m_dir +
                                " -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200";
    run(asServerUser({m_binDir + "/pg_ctl", "start", "-D", m_dataDir, "-l", m_dir + "/server.log", "-w", "-t",
                      "30", "-o", options}),
        m_dir + "/commands.log");
}

void PostgresServer::stop() {
    if (m_external)
        throw std::logic_error("cannot stop an external PostgreSQL");
    run(asServerUser({m_binDir + "/pg_ctl", "stop", "-D", m_dataDir, "-m", "fast", "-w", "-t", "30"}),
        m_dir + "/commands.log");
}

void PostgresServer::restart() {
    stop();
    start();
}

std::string PostgresServer::urlFor(const std::string& database) const {
    if (!m_external)
        return "postgresql://postgres@127.0.0.1:" + std::to_string(m_port) + "/" + database;
    // Same server and user as the given URL, another database: replace the path, keep any ?parameters.
    const std::size_t authority = m_adminUrl.find("://") + 3;
    const std::size_t path = m_adminUrl.find('/', authority);
    const std::size_t query = m_adminUrl.find('?', authority);
    const std::string base = m_adminUrl.substr(0, std::min(path, query));
    const std::string parameters = query == std::string::npos ? "" : m_adminUrl.substr(query);
    return base + "/" + database + parameters;
}

std::string PostgresServer::createDatabase() {
    const std::string name = "cplink_test_" + std::to_string(::getpid()) + "_" + std::to_string(++m_counter);
    execute(m_adminUrl, "CREATE DATABASE " + name);
    if (m_external)
        m_databases.push_back(name);
    return urlFor(name);
}

} // namespace cplink::test
