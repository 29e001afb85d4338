#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

namespace cplink::crypto {

// Owns a file descriptor: closed on every path out of a scope. -1 is "none".
class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1) : m_fd(fd) {}
    ~FileDescriptor() { reset(); }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return m_fd; }
    int release() {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int m_fd;
};

// Whole file into memory (certificates, PKCS#12, CRLs are small). Throws CryptoError(Io).
std::string readFile(const std::string& path);

// Replaces path with bytes so that a reader sees either the old file or the complete new one, never a
// half-written one: temp file in the same directory (created with `mode`, so a key is never readable by
// others even for a moment) → write → fsync → rename → fsync of the directory.
void writeFileAtomic(const std::string& path, std::string_view bytes, mode_t mode = 0600);

// The same for content produced piece by piece (large envelopes, decrypted files): write() as often as
// needed, then commit(). Until commit() the target is untouched; destroying an uncommitted AtomicFile
// (an exception, a refused envelope) removes the temporary file, so nothing half-written remains.
class AtomicFile {
public:
    AtomicFile(const std::string& path, mode_t mode = 0600);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    int fd() const { return m_fd; } // for writers that take a descriptor (OpenSSL file BIOs)
    const std::string& tempPath() const { return m_tempPath; }
    void write(std::string_view bytes);
    void commit();

private:
    void discard() noexcept;
    std::string m_path;
    std::string m_directory;
    std::string m_tempPath;
    int m_fd = -1;
    bool m_committed = false;
};

// Creates a directory with mode 0700 (parents as needed). An existing directory is tightened to 0700.
void makePrivateDirectory(const std::string& path);

// Permission bits of a file (for checks and tests); throws CryptoError(Io) if it does not exist.
mode_t fileMode(const std::string& path);

} // namespace cplink::crypto
