#include "relay/storage/BodyLog.h"

#include "relay/storage/Storage.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <optional>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cplink::relay {

namespace {

// O_DIRECT wants offsets, lengths and buffers aligned to the device's block; 4 KiB covers them all.
constexpr std::size_t kAlignment = 4096;
constexpr std::size_t kMaxReadDescriptors = 64;
constexpr const char* kSuffix = ".seg";

std::size_t aligned(std::size_t size) {
    return (size + kAlignment - 1) / kAlignment * kAlignment;
}

[[noreturn]] void fail(const std::string& what, int error) {
    throw StorageError("sqlite body log: " + what + ": " + std::strerror(error));
}

// A positive 63-bit number: the segment's name, unique among processes without coordination.
std::int64_t randomSegmentNumber() {
    static thread_local std::random_device device;
    const std::uint64_t high = device();
    const std::uint64_t low = device();
    const std::uint64_t value = ((high << 32) | low) & 0x7fff'ffff'ffff'ffffULL;
    return value == 0 ? 1 : static_cast<std::int64_t>(value);
}

std::optional<std::int64_t> segmentNumberOf(const std::string& name) {
    const std::size_t suffix = std::strlen(kSuffix);
    if (name.size() != 16 + suffix || name.compare(16, suffix, kSuffix) != 0)
        return std::nullopt;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        const char c = name[i];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0)
            return std::nullopt;
        value = value * 16 + static_cast<std::uint64_t>(digit);
    }
    if (value == 0 || value > 0x7fff'ffff'ffff'ffffULL) // not a name we give: leave the file alone
        return std::nullopt;
    return static_cast<std::int64_t>(value);
}

void syncDirectory(const std::string& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fail("cannot open " + directory, errno);
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        fail("cannot sync " + directory, error);
}

void writeAll(int fd, const unsigned char* data, std::size_t length, std::int64_t offset,
              const std::string& path) {
    while (length > 0) {
        const ssize_t written = ::pwrite(fd, data, length, offset);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write " + path, errno);
        }
        if (written == 0)
            fail("cannot write " + path, EIO);
        data += written;
        length -= static_cast<std::size_t>(written);
        offset += written;
    }
}

} // namespace

// An open segment this process may still write, locked shared so that no collector removes it.
struct BodyLog::Segment {
    std::int64_t number = 0;
    std::int64_t capacity = 0;
    std::string path;
    int fd = -1;
    ~Segment() {
        if (fd >= 0)
            ::close(fd); // releases the flock
    }
};

BodyLog::BodyLog(std::string directory, std::int64_t segmentBytes)
    : m_directory(std::move(directory)), m_segmentBytes(segmentBytes), m_buffer(nullptr, &std::free) {
    if (::mkdir(m_directory.c_str(), 0700) != 0 && errno != EEXIST)
        fail("cannot create " + m_directory, errno);
    struct stat st {};
    if (::stat(m_directory.c_str(), &st) != 0)
        fail("cannot read " + m_directory, errno);
    if (!S_ISDIR(st.st_mode))
        fail(m_directory, ENOTDIR);
}

BodyLog::~BodyLog() {
    for (const auto& [number, fd] : m_readDescriptors)
        ::close(fd);
}

std::string BodyLog::pathOf(std::int64_t segment) const {
    char name[32];
    std::snprintf(name, sizeof name, "%016llx%s", static_cast<unsigned long long>(segment), kSuffix);
    return m_directory + "/" + name;
}

void BodyLog::startSegment(std::int64_t atLeast) {
    auto segment = std::make_shared<Segment>();
    segment->capacity =
        std::max(m_segmentBytes, static_cast<std::int64_t>(aligned(static_cast<std::size_t>(atLeast))));
    while (true) {
        segment->number = randomSegmentNumber();
        segment->path = pathOf(segment->number);
        int fd = ::open(segment->path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_DIRECT, 0600);
        if (fd < 0 && errno == EINVAL) // no O_DIRECT here (tmpfs): the page cache, synced the same way
            fd = ::open(segment->path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            fail("cannot create " + segment->path, errno);
        if (::flock(fd, LOCK_SH | LOCK_NB) != 0) { // a collector saw the new file first and removes it
            ::close(fd);
            continue;
        }
        segment->fd = fd;
        break;
    }
    // The space up front: a full disk refuses the group here, before any byte is written, and the
    // writes that follow need no block allocation.
    if (::fallocate(segment->fd, 0, 0, segment->capacity) != 0 && errno != EOPNOTSUPP) {
        const int error = errno;
        ::unlink(segment->path.c_str());
        fail("cannot reserve " + std::to_string(segment->capacity) + " bytes for " + segment->path, error);
    }
    syncDirectory(m_directory); // the rows that will point here must find the file after a crash
    if (m_current)
        m_finishing.push_back(m_current);
    m_current = std::move(segment);
    m_currentEnd = 0;
}

BodyRef BodyLog::place(std::string_view body) {
    const std::size_t length = aligned(std::max<std::size_t>(body.size(), 1));
    if (!m_current || m_currentEnd + static_cast<std::int64_t>(length) > m_current->capacity)
        startSegment(static_cast<std::int64_t>(length));
    if (m_bufferUsed + length > m_bufferSize) {
        const std::size_t size = std::max(aligned(m_bufferUsed + length), m_bufferSize * 2);
        std::unique_ptr<unsigned char, void (*)(void*)> bigger(
            static_cast<unsigned char*>(std::aligned_alloc(kAlignment, size)), &std::free);
        if (!bigger)
            throw StorageError("sqlite body log: out of memory for " + std::to_string(size) + " bytes");
        if (m_bufferUsed > 0)
            std::memcpy(bigger.get(), m_buffer.get(), m_bufferUsed);
        m_buffer = std::move(bigger);
        m_bufferSize = size;
    }
    unsigned char* target = m_buffer.get() + m_bufferUsed;
    std::memcpy(target, body.data(), body.size());
    std::memset(target + body.size(), 0, length - body.size());

    const BodyRef ref{m_current->number, m_currentEnd};
    if (!m_pending.empty() && m_pending.back().segment == m_current &&
        m_pending.back().fileOffset + static_cast<std::int64_t>(m_pending.back().length) == m_currentEnd) {
        m_pending.back().length += length; // contiguous in the file and in the buffer: one write
    } else {
        m_pending.push_back(PendingWrite{m_current, m_currentEnd, m_bufferUsed, length});
    }
    if (std::find(m_unsynced.begin(), m_unsynced.end(), m_current) == m_unsynced.end())
        m_unsynced.push_back(m_current);
    m_bufferUsed += length;
    m_currentEnd += static_cast<std::int64_t>(length);
    return ref;
}

void BodyLog::writePending() {
    for (const PendingWrite& write : m_pending)
        writeAll(write.segment->fd, m_buffer.get() + write.bufferOffset, write.length, write.fileOffset,
                 write.segment->path);
}

void BodyLog::flush() {
    writePending();
    for (const auto& segment : m_unsynced) {
        if (::fdatasync(segment->fd) != 0)
            fail("cannot sync " + segment->path, errno);
    }
    m_pending.clear();
    m_unsynced.clear();
    m_bufferUsed = 0;
}

void BodyLog::discard() {
    m_pending.clear();
    m_unsynced.clear();
    m_finishing.clear();
    m_bufferUsed = 0;
}

void BodyLog::committed() {
    m_finishing.clear();
}

int BodyLog::readDescriptor(std::int64_t segment) const {
    // Under m_readMutex.
    if (const auto found = m_readDescriptors.find(segment); found != m_readDescriptors.end())
        return found->second;
    const std::string path = pathOf(segment);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail("cannot open " + path, errno);
    if (m_readDescriptors.size() >= kMaxReadDescriptors) {
        for (const auto& [number, open] : m_readDescriptors)
            ::close(open);
        m_readDescriptors.clear();
    }
    m_readDescriptors.emplace(segment, fd);
    return fd;
}

std::string BodyLog::read(const BodyRef& ref, std::int64_t size) const {
    if (size < 0 || ref.offset < 0)
        throw StorageError("sqlite body log: a row points at a negative offset or size");
    int fd = -1;
    {
        const std::lock_guard lock(m_readMutex);
        fd = ::dup(readDescriptor(ref.segment)); // the cache may close its copy meanwhile
    }
    if (fd < 0)
        fail("cannot read segment " + pathOf(ref.segment), errno);
    std::string body(static_cast<std::size_t>(size), '\0');
    std::size_t done = 0;
    while (done < body.size()) {
        const ssize_t got =
            ::pread(fd, body.data() + done, body.size() - done, ref.offset + static_cast<std::int64_t>(done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            const int error = got < 0 ? errno : EIO;
            ::close(fd);
            fail("cannot read " + std::to_string(size) + " bytes at " + std::to_string(ref.offset) + " of " +
                     pathOf(ref.segment),
                 error);
        }
        done += static_cast<std::size_t>(got);
    }
    ::close(fd);
    return body;
}

int BodyLog::collect(const std::function<std::set<std::int64_t>()>& liveSegments) {
    // First lock every segment nobody holds, then ask which are live: a segment its writer released
    // before we locked it had its last rows committed before that, so the question sees them.
    std::map<std::int64_t, int> locked;
    if (DIR* dir = ::opendir(m_directory.c_str())) {
        while (const dirent* entry = ::readdir(dir)) {
            const auto number = segmentNumberOf(entry->d_name);
            if (!number)
                continue;
            const int fd = ::open(pathOf(*number).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
                locked.emplace(*number, fd);
            else
                ::close(fd);
        }
        ::closedir(dir);
    } else {
        fail("cannot list " + m_directory, errno);
    }
    int removed = 0;
    try {
        const std::set<std::int64_t> live = liveSegments();
        for (const auto& [number, fd] : locked) {
            if (live.count(number) == 0 && ::unlink(pathOf(number).c_str()) == 0)
                ++removed;
        }
    } catch (...) {
        for (const auto& [number, fd] : locked)
            ::close(fd);
        throw;
    }
    const std::lock_guard lock(m_readMutex);
    for (const auto& [number, fd] : locked) {
        ::close(fd);
        if (const auto cached = m_readDescriptors.find(number); cached != m_readDescriptors.end()) {
            ::close(cached->second);
            m_readDescriptors.erase(cached);
        }
    }
    return removed;
}

} // namespace cplink::relay
