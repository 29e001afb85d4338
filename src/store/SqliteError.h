#pragma once

#include "store/Store.h"

#include <string>
#include <string_view>

namespace cplink::store {

// Which StoreError a SQLite result code is: what the engine and the UI react to (a full disk is shown
// differently from a locked profile or a damaged file). `message` is sqlite3_errmsg, needed to tell a
// duplicate message from other constraint failures.
StoreError::Kind errorKind(int extendedCode, std::string_view message);

// "store PATH: cannot DOING: REASON" — names the file and what failed, never the values involved.
[[noreturn]] void throwStoreError(StoreError::Kind kind, const std::string& path, std::string_view doing,
                                  std::string_view reason);

} // namespace cplink::store
