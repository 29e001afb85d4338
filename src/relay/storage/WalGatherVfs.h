#pragma once

#include <cstdint>

namespace cplink::relay {

// A SQLite VFS for the relay's writer connection that hands each transaction's WAL frames to the
// kernel in one write instead of two per frame. SQLite writes a frame as its 24-byte header and then
// its page (both into the WAL, at consecutive offsets); an upload touches five to six pages (the row
// and its indexes), so a group commit of N uploads made about 12·N pwrite() calls, each crossing into a
// second page-cache page because a frame is 24 bytes longer than a page. Measured under upload load:
// those writes were the largest part of the writer thread's kernel time.
//
// What changes and what does not:
//  - The frames a transaction appends to a WAL file are gathered in memory. A rewrite in place (the
//    frame headers SQLite gives new checksums after the commit frame, a page written again) goes
//    straight through, and it and every other call on the file (read, sync, size, truncate, lock, file
//    control, close) first write out what is gathered. So SQLite's own reads and syncs see exactly
//    what it wrote.
//  - The gathered bytes go out inside the xWrite of a transaction's commit frame (a frame header whose
//    "database size after commit" is not zero, then its page): the write error, if any, is the
//    commit's error, and the COMMIT fails as it would have before. Nothing is ever reported written
//    that is not.
//  - Other connections read frames only once the wal-index says they are committed, and SQLite updates
//    that index after the commit frame's write.
//  - When the connection releases the WAL write lock, anything still gathered belongs to a transaction
//    that rolled back, and is dropped: written later, it could overwrite frames another writer has
//    committed at those offsets in the meantime.
//  - The commit frame is recognised by the write pattern of SQLite 3.40 (Debian 12) and every later
//    3.x so far: the WAL header (32 bytes at 0), then per frame a 24-byte header and a page. A WAL
//    write of any other shape switches that file to writing straight through.
//  - The database file, the journal and every other file pass straight through.
//
// Returns the name to pass to sqlite3_open_v2 (registered once, not as the default VFS).
const char* walGatherVfsName();

// Counters for tests and benchmarks: WAL writes SQLite asked for, and writes handed to the real VFS.
struct WalGatherCounts {
    std::uint64_t requested = 0;
    std::uint64_t written = 0;
};
WalGatherCounts walGatherCounts();

} // namespace cplink::relay
