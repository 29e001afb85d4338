#include "ByteSource.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cplink::spec {

FileSource::FileSource(const std::string& path) : m_path(path) {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        throw IoError(path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(m_fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(m_fd);
        m_fd = -1;
        throw IoError(path + ": is a directory");
    }
}

FileSource::~FileSource() {
    if (m_fd >= 0)
        ::close(m_fd);
}

std::size_t FileSource::read(char* buffer, std::size_t capacity) {
    while (true) {
        const ssize_t n = ::read(m_fd, buffer, capacity);
        if (n >= 0)
            return static_cast<std::size_t>(n);
        if (errno != EINTR)
            throw IoError(m_path + ": " + std::strerror(errno));
    }
}

std::size_t MemorySource::read(char* buffer, std::size_t capacity) {
    const std::size_t n = std::min(capacity, m_bytes.size() - m_pos);
    std::memcpy(buffer, m_bytes.data() + m_pos, n);
    m_pos += n;
    return n;
}

} // namespace cplink::spec
