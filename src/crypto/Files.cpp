#include "Files.h"

#include "Error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace cplink::crypto {

void FileDescriptor::reset(int fd) {
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
}

namespace {

[[noreturn]] void ioFail(const std::string& what, const std::string& path) {
    throw CryptoError(ErrorCode::Io, what + " " + path + ": " + std::strerror(errno));
}

void writeAll(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ioFail("cannot write", path);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

std::string readFile(const std::string& path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        ioFail("cannot open", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        ioFail("cannot stat", path);
    if (S_ISDIR(st.st_mode))
        throw CryptoError(ErrorCode::Io, "cannot read " + path + ": is a directory");
    std::string bytes;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            ioFail("cannot read", path);
        }
        if (n == 0)
            break;
        bytes.append(buffer, static_cast<std::size_t>(n));
    }
    return bytes;
}

AtomicFile::AtomicFile(const std::string& path, mode_t mode) : m_path(path) {
    const std::filesystem::path target(path);
    m_directory = (target.has_parent_path() ? target.parent_path() : std::filesystem::path(".")).string();
    std::string pattern =
        (std::filesystem::path(m_directory) / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    // mkstemp creates the file 0600; fchmod sets the wanted mode before any byte is written.
    m_fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (m_fd < 0)
        ioFail("cannot create a temporary file next to", path);
    m_tempPath = name.data();
    if (::fchmod(m_fd, mode) != 0) {
        discard();
        ioFail("cannot set permissions of", m_tempPath);
    }
}

AtomicFile::~AtomicFile() {
    discard();
}

void AtomicFile::discard() noexcept {
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    if (!m_committed && !m_tempPath.empty())
        ::unlink(m_tempPath.c_str());
    m_tempPath.clear();
}

void AtomicFile::write(std::string_view bytes) {
    writeAll(m_fd, bytes, m_tempPath);
}

void AtomicFile::commit() {
    if (::fsync(m_fd) != 0)
        ioFail("cannot sync", m_tempPath);
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0)
        ioFail("cannot close", m_tempPath);
    if (::rename(m_tempPath.c_str(), m_path.c_str()) != 0)
        ioFail("cannot replace", m_path);
    m_committed = true;
    // The rename is durable only once the directory entry is on disk.
    FileDescriptor dir(::open(m_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0)
        ::fsync(dir.get());
}

void writeFileAtomic(const std::string& path, std::string_view bytes, mode_t mode) {
    AtomicFile file(path, mode);
    file.write(bytes);
    file.commit();
}

void makePrivateDirectory(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec)
        throw CryptoError(ErrorCode::Io, "cannot create directory " + path + ": " + ec.message());
    if (::chmod(path.c_str(), 0700) != 0)
        ioFail("cannot set permissions of", path);
}

mode_t fileMode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        ioFail("cannot stat", path);
    return st.st_mode & 07777;
}

} // namespace cplink::crypto
