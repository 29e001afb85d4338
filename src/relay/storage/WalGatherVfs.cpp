#include "relay/storage/WalGatherVfs.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>
#include <sqlite3.h>
#include <string>
#include <vector>

namespace cplink::relay {

namespace {

constexpr const char* kVfsName = "cplink-wal-gather";
constexpr int kWalHeaderSize = 32;
constexpr int kFrameHeaderSize = 24;
// A bound on what one file holds back (a commit of a thousand uploads is about 24 MiB of frames).
constexpr std::size_t kGatherLimit = 8u << 20;
// The unix VFS writes at most 128 KiB − 1 bytes per call (seekAndWriteFd masks the length with
// 0x1ffff) and reports a longer write as SQLITE_FULL; so the gathered bytes go out in pieces of 31
// pages' worth.
constexpr std::size_t kLargestWrite = 31 * 4096;

std::atomic<std::uint64_t> g_requested{0};
std::atomic<std::uint64_t> g_written{0};

sqlite3_vfs* realVfs(sqlite3_vfs* vfs) {
    return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

// Our sqlite3_file, with the real VFS's file object right behind it in the same allocation.
struct GatherFile {
    sqlite3_file base; // first: SQLite sees a GatherFile* as a sqlite3_file*
    sqlite3_file* real = nullptr;
    bool wal = false;
    const char* name = nullptr; // the database's full path (database files), as SQLite passed it
    // WAL files: the frames held back, written at `gatheredAt` once the commit frame is complete.
    std::string gathered;
    sqlite3_int64 gatheredAt = 0;
    sqlite3_int64 commitPageAt = -1; // offset of the commit frame's page, once its header is gathered
    // End of the frames this transaction has appended (-1: none yet). Only appends are gathered.
    sqlite3_int64 appendedTo = -1;
    bool passThrough = false; // a write SQLite 3.40 would not make: gather nothing more
    // Both used by the one connection that owns the two files, on its thread.
    GatherFile* database = nullptr; // WAL files: the database file of the same connection
    GatherFile* walFile = nullptr;  // database files: its WAL, while open
};

GatherFile* gatherFile(sqlite3_file* file) {
    return reinterpret_cast<GatherFile*>(file);
}

// Open database files of this VFS, for their WAL to find (see gatherShmLock).
std::mutex g_openMutex;
std::vector<GatherFile*> g_openDatabases;

// Forgets what is gathered (after it is written, or when it belongs to nobody).
void dropGathered(GatherFile& file) {
    file.gathered.clear();
    file.commitPageAt = -1;
}

// Before any call that reads, syncs or measures a WAL file, and at the commit frame: the file must hold
// what SQLite wrote.
int writeOut(GatherFile& file) {
    if (file.gathered.empty())
        return SQLITE_OK;
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < file.gathered.size() && rc == SQLITE_OK;) {
        const std::size_t piece = std::min(kLargestWrite, file.gathered.size() - done);
        ++g_written;
        rc = file.real->pMethods->xWrite(file.real, file.gathered.data() + done, static_cast<int>(piece),
                                         file.gatheredAt + static_cast<sqlite3_int64>(done));
        done += piece;
    }
    // On failure too: SQLite rolls the transaction back and writes its frames again if it retries.
    dropGathered(file);
    return rc;
}

// The writes SQLite 3.40 makes to a WAL: its 32-byte header at offset 0, a frame's 24-byte header, a
// page (a power of two from 512 bytes). Anything else means a layout this file does not know, and it
// stops gathering rather than guess where a commit ends.
bool isKnownWalWrite(int amount, sqlite3_int64 offset) {
    if (amount == kWalHeaderSize && offset == 0)
        return true;
    if (amount == kFrameHeaderSize)
        return true;
    const auto size = static_cast<unsigned>(amount);
    return amount >= 512 && (size & (size - 1)) == 0;
}

std::uint32_t bigEndian32(const unsigned char* bytes) {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
           (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

int gatherClose(sqlite3_file* file) {
    GatherFile& self = *gatherFile(file);
    const int rc = self.wal ? writeOut(self) : SQLITE_OK;
    {
        const std::lock_guard lock(g_openMutex);
        if (self.wal && self.database)
            self.database->walFile = nullptr;
        if (!self.wal) {
            std::erase(g_openDatabases, &self);
            if (self.walFile)
                self.walFile->database = nullptr;
        }
    }
    const int closed = self.real->pMethods->xClose(self.real);
    self.~GatherFile();
    return rc != SQLITE_OK ? rc : closed;
}

int gatherWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    GatherFile& self = *gatherFile(file);
    if (!self.wal)
        return self.real->pMethods->xWrite(self.real, data, amount, offset);
    ++g_requested;
    if (!self.passThrough && !isKnownWalWrite(amount, offset))
        self.passThrough = true;
    if (amount == kWalHeaderSize && offset == 0)
        self.appendedTo = 0; // a new WAL header: the log starts again
    // In place: a frame header rewritten with new checksums after the commit frame, or a page of this
    // transaction written again. Straight through, after what is gathered (which it may overwrite).
    if (self.passThrough || (self.appendedTo >= 0 && offset < self.appendedTo)) {
        if (const int rc = writeOut(self); rc != SQLITE_OK)
            return rc;
        ++g_written;
        return self.real->pMethods->xWrite(self.real, data, amount, offset);
    }
    self.appendedTo = offset + amount;
    const auto end = self.gatheredAt + static_cast<sqlite3_int64>(self.gathered.size());
    if (!self.gathered.empty() && offset != end) {
        if (const int rc = writeOut(self); rc != SQLITE_OK)
            return rc;
    }
    if (self.gathered.empty())
        self.gatheredAt = offset;
    self.gathered.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    if (offset == self.commitPageAt)
        return writeOut(self); // the commit frame is complete
    // Bytes 4–7 of a frame header: the database size after the commit, zero in every other frame.
    if (amount == kFrameHeaderSize && bigEndian32(static_cast<const unsigned char*>(data) + 4) != 0)
        self.commitPageAt = offset + kFrameHeaderSize;
    if (self.gathered.size() >= kGatherLimit)
        return writeOut(self);
    return SQLITE_OK;
}

// The calls that only forward, after writing out what a WAL file holds back.
template <typename Call> int settledThen(sqlite3_file* file, Call call) {
    GatherFile& self = *gatherFile(file);
    if (self.wal) {
        if (const int rc = writeOut(self); rc != SQLITE_OK)
            return rc;
    }
    return call(self.real);
}

int gatherRead(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
    return settledThen(file, [data, amount, offset](sqlite3_file* real) {
        return real->pMethods->xRead(real, data, amount, offset);
    });
}
int gatherTruncate(sqlite3_file* file, sqlite3_int64 size) {
    return settledThen(file, [size](sqlite3_file* real) { return real->pMethods->xTruncate(real, size); });
}
int gatherSync(sqlite3_file* file, int flags) {
    return settledThen(file, [flags](sqlite3_file* real) { return real->pMethods->xSync(real, flags); });
}
int gatherFileSize(sqlite3_file* file, sqlite3_int64* size) {
    return settledThen(file, [size](sqlite3_file* real) { return real->pMethods->xFileSize(real, size); });
}
int gatherLock(sqlite3_file* file, int level) {
    return settledThen(file, [level](sqlite3_file* real) { return real->pMethods->xLock(real, level); });
}
int gatherUnlock(sqlite3_file* file, int level) {
    return settledThen(file, [level](sqlite3_file* real) { return real->pMethods->xUnlock(real, level); });
}
int gatherCheckReservedLock(sqlite3_file* file, int* out) {
    return settledThen(file,
                       [out](sqlite3_file* real) { return real->pMethods->xCheckReservedLock(real, out); });
}
int gatherFileControl(sqlite3_file* file, int op, void* arg) {
    return settledThen(file,
                       [op, arg](sqlite3_file* real) { return real->pMethods->xFileControl(real, op, arg); });
}
int gatherSectorSize(sqlite3_file* file) {
    sqlite3_file* real = gatherFile(file)->real;
    return real->pMethods->xSectorSize(real);
}
int gatherDeviceCharacteristics(sqlite3_file* file) {
    sqlite3_file* real = gatherFile(file)->real;
    return real->pMethods->xDeviceCharacteristics(real);
}
int gatherShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
    sqlite3_file* real = gatherFile(file)->real;
    return real->pMethods->xShmMap(real, region, size, extend, out);
}
// Slot 0 of the wal-index locks is the WAL's write lock (WAL_WRITE_LOCK in SQLite's wal.c).
constexpr int kWalWriteLock = 0;

int gatherShmLock(sqlite3_file* file, int offset, int n, int flags) {
    GatherFile& self = *gatherFile(file);
    const bool writeLock =
        (flags & SQLITE_SHM_EXCLUSIVE) && offset <= kWalWriteLock && kWalWriteLock < offset + n;
    if (writeLock && self.walFile) {
        GatherFile& wal = *self.walFile;
        if ((flags & SQLITE_SHM_UNLOCK) && !wal.gathered.empty()) {
            // A commit writes its frames out at its commit frame, and rewrites in place go straight
            // through; so what is left when the write lock goes are frames a rolled-back transaction
            // spilled from its page cache. They lie beyond the WAL's last commit and nobody reads them;
            // written later, they could land on frames the next writer (another connection or
            // process) commits there meanwhile.
            dropGathered(wal);
        }
        wal.appendedTo = -1; // another writer may append (or start the log again) in between
    }
    return self.real->pMethods->xShmLock(self.real, offset, n, flags);
}
void gatherShmBarrier(sqlite3_file* file) {
    sqlite3_file* real = gatherFile(file)->real;
    real->pMethods->xShmBarrier(real);
}
int gatherShmUnmap(sqlite3_file* file, int deleteFlag) {
    sqlite3_file* real = gatherFile(file)->real;
    return real->pMethods->xShmUnmap(real, deleteFlag);
}
int gatherFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
    return settledThen(file, [offset, amount, out](sqlite3_file* real) {
        return real->pMethods->xFetch(real, offset, amount, out);
    });
}
int gatherUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* pointer) {
    sqlite3_file* real = gatherFile(file)->real;
    return real->pMethods->xUnfetch(real, offset, pointer);
}

const sqlite3_io_methods kGatherMethods = {
    3,
    gatherClose,
    gatherRead,
    gatherWrite,
    gatherTruncate,
    gatherSync,
    gatherFileSize,
    gatherLock,
    gatherUnlock,
    gatherCheckReservedLock,
    gatherFileControl,
    gatherSectorSize,
    gatherDeviceCharacteristics,
    gatherShmMap,
    gatherShmLock,
    gatherShmBarrier,
    gatherShmUnmap,
    gatherFetch,
    gatherUnfetch,
};

constexpr std::size_t realFileOffset() {
    return (sizeof(GatherFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) *
           alignof(std::max_align_t);
}

int gatherOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* outFlags) {
    sqlite3_vfs* real = realVfs(vfs);
    auto* self = new (file) GatherFile{};
    self->base.pMethods = nullptr; // until the real file is open: SQLite does not close a failed open
    self->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + realFileOffset());
    std::memset(static_cast<void*>(self->real), 0, static_cast<std::size_t>(real->szOsFile));
    const int rc = real->xOpen(real, name, self->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        if (self->real->pMethods)
            self->real->pMethods->xClose(self->real);
        self->~GatherFile();
        return rc;
    }
    if (self->real->pMethods->iVersion < 3) { // every VFS SQLite 3.40 ships is version 3
        self->real->pMethods->xClose(self->real);
        self->~GatherFile();
        return SQLITE_CANTOPEN;
    }
    self->wal = (flags & SQLITE_OPEN_WAL) != 0;
    const std::lock_guard lock(g_openMutex);
    if (flags & SQLITE_OPEN_MAIN_DB) {
        self->name = name;
        g_openDatabases.push_back(self);
    } else if (self->wal && name) {
        // The WAL's name leads to its database's (the same text SQLite opened that file with).
        const char* database = sqlite3_filename_database(name);
        for (auto it = g_openDatabases.rbegin(); it != g_openDatabases.rend(); ++it) {
            if (!(*it)->walFile && (*it)->name && std::strcmp((*it)->name, database) == 0) {
                self->database = *it;
                (*it)->walFile = self;
                break;
            }
        }
    }
    self->base.pMethods = &kGatherMethods;
    return SQLITE_OK;
}

// The rest of the VFS is the real one's.
int gatherDelete(sqlite3_vfs* vfs, const char* name, int syncDir) {
    return realVfs(vfs)->xDelete(realVfs(vfs), name, syncDir);
}
int gatherAccess(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return realVfs(vfs)->xAccess(realVfs(vfs), name, flags, out);
}
int gatherFullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
    return realVfs(vfs)->xFullPathname(realVfs(vfs), name, size, out);
}
void* gatherDlOpen(sqlite3_vfs* vfs, const char* name) {
    return realVfs(vfs)->xDlOpen(realVfs(vfs), name);
}
void gatherDlError(sqlite3_vfs* vfs, int size, char* out) {
    realVfs(vfs)->xDlError(realVfs(vfs), size, out);
}
void (*gatherDlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    return realVfs(vfs)->xDlSym(realVfs(vfs), handle, symbol);
}
void gatherDlClose(sqlite3_vfs* vfs, void* handle) {
    realVfs(vfs)->xDlClose(realVfs(vfs), handle);
}
int gatherRandomness(sqlite3_vfs* vfs, int size, char* out) {
    return realVfs(vfs)->xRandomness(realVfs(vfs), size, out);
}
int gatherSleep(sqlite3_vfs* vfs, int microseconds) {
    return realVfs(vfs)->xSleep(realVfs(vfs), microseconds);
}
int gatherCurrentTime(sqlite3_vfs* vfs, double* out) {
    return realVfs(vfs)->xCurrentTime(realVfs(vfs), out);
}
int gatherGetLastError(sqlite3_vfs* vfs, int size, char* out) {
    return realVfs(vfs)->xGetLastError(realVfs(vfs), size, out);
}
int gatherCurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return realVfs(vfs)->xCurrentTimeInt64(realVfs(vfs), out);
}

sqlite3_vfs makeVfs(sqlite3_vfs* real) {
    sqlite3_vfs vfs{};
    vfs.iVersion = 2; // no system-call overrides through this VFS
    vfs.szOsFile = static_cast<int>(realFileOffset()) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = kVfsName;
    vfs.pAppData = real;
    vfs.xOpen = gatherOpen;
    vfs.xDelete = gatherDelete;
    vfs.xAccess = gatherAccess;
    vfs.xFullPathname = gatherFullPathname;
    vfs.xDlOpen = gatherDlOpen;
    vfs.xDlError = gatherDlError;
    vfs.xDlSym = gatherDlSym;
    vfs.xDlClose = gatherDlClose;
    vfs.xRandomness = gatherRandomness;
    vfs.xSleep = gatherSleep;
    vfs.xCurrentTime = gatherCurrentTime;
    vfs.xGetLastError = gatherGetLastError;
    vfs.xCurrentTimeInt64 = gatherCurrentTimeInt64;
    return vfs;
}

} // namespace

const char* walGatherVfsName() {
    static const char* registered = [] {
        sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
        if (!real || real->iVersion < 2)
            return static_cast<const char*>(nullptr); // SQLite's default VFS, unchanged
        static sqlite3_vfs vfs = makeVfs(real);
        if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK)
            return static_cast<const char*>(nullptr);
        return kVfsName;
    }();
    return registered;
}

WalGatherCounts walGatherCounts() {
    return {g_requested.load(), g_written.load()};
}

} // namespace cplink::relay
