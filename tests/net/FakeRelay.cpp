#include "FakeRelay.h"

#include "crypto/Files.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cplink::test {

namespace {

constexpr int kStartupTimeoutMs = 30000;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using Fd = crypto::FileDescriptor;

std::vector<std::string> commandLine(const FakeRelayOptions& options, const std::string& faults,
                                     const std::string& log) {
    std::vector<std::string> args = {CPLINK_PYTHON3, CPLINK_FAKE_RELAY,
                                     "--cert",       options.certificateFile,
                                     "--key",        options.keyFile,
                                     "--ca",         options.clientCaFile,
                                     "--faults",     faults,
                                     "--log",        log,
                                     "--max-body",   std::to_string(options.maxBody)};
    if (options.tls12Only) {
        args.push_back("--tls-max");
        args.push_back("1.2");
    }
    if (!options.crlFile.empty()) {
        args.push_back("--crl");
        args.push_back(options.crlFile);
    }
    for (const std::string& office : options.knownOffices) {
        args.push_back("--known");
        args.push_back(office);
    }
    for (const std::string& office : options.disabledOffices) {
        args.push_back("--disabled");
        args.push_back(office);
    }
    return args;
}

// Reads the "PORT <n>" line the relay prints once it listens.
int readPort(int fd) {
    std::string line;
    while (line.find('\n') == std::string::npos) {
        pollfd waiting{fd, POLLIN, 0};
        if (::poll(&waiting, 1, kStartupTimeoutMs) <= 0)
            throw std::runtime_error("fake relay did not start in time");
        char buffer[64];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            throw std::runtime_error("fake relay exited during startup");
        line.append(buffer, static_cast<std::size_t>(n));
    }
    if (line.rfind("PORT ", 0) != 0)
        throw std::runtime_error("unexpected fake relay output: " + line);
    return std::stoi(line.substr(5));
}

} // namespace

std::string RecordedRequest::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

FakeRelay::FakeRelay(FakeRelayOptions options)
    : m_faultsFile(m_dir.path() + "/faults.json"), m_logFile(m_dir.path() + "/requests.jsonl") {
    setFaults({});
    const std::vector<std::string> args = commandLine(options, m_faultsFile, m_logFile);
    std::vector<char*> argv;
    for (const std::string& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");
    Fd readEnd(pipeFds[0]);
    Fd writeEnd(pipeFds[1]);
    const std::string stderrFile = m_dir.path() + "/stderr.txt";

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderrFile.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int spawned = ::posix_spawn(&m_pid, CPLINK_PYTHON3, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        throw std::runtime_error("cannot start " CPLINK_PYTHON3);
    writeEnd.reset(); // so a dying relay shows up as end of file
    try {
        m_port = readPort(readEnd.get());
    } catch (const std::exception& e) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        throw std::runtime_error(std::string(e.what()) + "\n" + diagnostics());
    }
}

FakeRelay::~FakeRelay() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
}

void FakeRelay::setFaults(const std::vector<nlohmann::json>& rules) {
    // Written whole and renamed, so the relay never reads half a file.
    const std::string temporary = m_faultsFile + ".tmp";
    std::ofstream(temporary, std::ios::binary | std::ios::trunc) << nlohmann::json(rules).dump();
    std::filesystem::rename(temporary, m_faultsFile);
}

std::vector<RecordedRequest> FakeRelay::requests() const {
    std::vector<RecordedRequest> result;
    std::ifstream in(m_logFile);
    std::string line;
    while (std::getline(in, line)) {
        const nlohmann::json entry = nlohmann::json::parse(line);
        RecordedRequest request;
        request.connection = entry.at("connection").get<int>();
        request.office = entry.at("office").get<std::string>();
        request.method = entry.at("method").get<std::string>();
        request.path = entry.at("path").get<std::string>();
        request.headers = entry.at("headers").get<std::map<std::string, std::string>>();
        request.bodySize = entry.at("body_size").get<std::size_t>();
        request.bodySha256 = entry.at("body_sha256").get<std::string>();
        result.push_back(std::move(request));
    }
    return result;
}

std::vector<RecordedRequest> FakeRelay::requests(std::string_view method, std::string_view path) const {
    std::vector<RecordedRequest> matching;
    for (RecordedRequest& request : requests()) {
        if (request.method == method && request.path == path)
            matching.push_back(std::move(request));
    }
    return matching;
}

std::string FakeRelay::diagnostics() const {
    return readFile(m_dir.path() + "/stderr.txt");
}

int unusedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw std::runtime_error("socket failed");
    Fd socketFd(fd);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("cannot find a free port");
    return ntohs(address.sin_port);
}

} // namespace cplink::test
