#pragma once

#include "crypto/Error.h"

#include <iosfwd>
#include <string>

namespace cplink::cli {

// Exit status of a crypto command that failed with this error: 2 for usage and I/O problems (the
// command could not do its work), 1 for a failed operation (wrong password, expired, revoked, …).
int exitStatusFor(const crypto::CryptoError& error);

// Prints "cplink <command>: message" to err and returns exitStatusFor(error).
int reportError(const std::string& command, const crypto::CryptoError& error, std::ostream& err);

} // namespace cplink::cli
