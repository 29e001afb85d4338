#pragma once

#include "relay/storage/SqlSession.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::relay {

// The SQLite backend's message bodies, written once. In the database a 20 KB body is written twice
// (into the WAL, then by the checkpoint into the growing database file, whose fresh pages are the
// dearest write the kernel has: measured 35 µs of CPU per 20 KB here against 3 µs with O_DIRECT).
// So bodies go to append-only segment files beside the database, `<db>.bodies/<16 hex>.seg`, each
// preallocated, written with O_DIRECT where the file system has it, and synced before the group's
// COMMIT: a committed row always points at durable bytes, and bytes of a group that did not commit
// are never pointed at. A segment is removed once no row points into it (collect()).
//
// Several relay processes may share one database: each writes segments of its own (random numbers),
// and holds a shared flock on every segment it may still write or whose group has not committed yet;
// collect() removes only segments it can lock exclusively.
//
// place/flush/discard/committed: the writer thread only. read/collect: any thread.
class BodyLog {
public:
    // Creates the directory (mode 0700) if missing. Throws StorageError.
    explicit BodyLog(std::string directory, std::int64_t segmentBytes = kSegmentBytes);
    ~BodyLog();
    BodyLog(const BodyLog&) = delete;
    BodyLog& operator=(const BodyLog&) = delete;

    static constexpr std::int64_t kSegmentBytes = 64 << 20;

    // Copies `body` into the current group; it becomes durable with the next flush().
    BodyRef place(std::string_view body);
    // Writes and syncs everything placed since the last flush. Throws StorageError (disk full, I/O).
    void flush();
    // The group did not commit: what it placed is never referenced (the space is left unused).
    void discard();
    // The group has committed: segments it finished may now be collected.
    void committed();

    // The `size` bytes at `ref`. Throws StorageError if the segment is gone or short.
    std::string read(const BodyRef& ref, std::int64_t size) const;

    // Removes every segment that `liveSegments` (asked after the segments are locked) does not name.
    // Returns how many were removed.
    int collect(const std::function<std::set<std::int64_t>()>& liveSegments);

    const std::string& directory() const { return m_directory; }

private:
    struct Segment;
    struct PendingWrite {
        std::shared_ptr<Segment> segment;
        std::int64_t fileOffset = 0;
        std::size_t bufferOffset = 0;
        std::size_t length = 0;
    };

    void startSegment(std::int64_t atLeast);
    void writePending(); // pwrite of every pending write, without sync
    std::string pathOf(std::int64_t segment) const;
    int readDescriptor(std::int64_t segment) const;

    std::string m_directory;
    std::int64_t m_segmentBytes;
    std::shared_ptr<Segment> m_current;
    std::int64_t m_currentEnd = 0;                     // where the next body goes in m_current
    std::vector<std::shared_ptr<Segment>> m_unsynced;  // written in this group, not yet synced
    std::vector<std::shared_ptr<Segment>> m_finishing; // finished in this group: held until committed
    std::vector<PendingWrite> m_pending;
    std::unique_ptr<unsigned char, void (*)(void*)> m_buffer;
    std::size_t m_bufferSize = 0;
    std::size_t m_bufferUsed = 0;

    mutable std::mutex m_readMutex;
    mutable std::map<std::int64_t, int> m_readDescriptors;
};

} // namespace cplink::relay
