#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

namespace cplink::crypto {

// Whole file into memory (certificates, PKCS#12, CRLs are small). Throws CryptoError(Io).
std::string readFile(const std::string& path);

// Replaces path with bytes so that a reader sees either the old file or the complete new one, never a
// half-written one: temp file in the same directory (created with `mode`, so a key is never readable by
// others even for a moment) → write → fsync → rename → fsync of the directory.
void writeFileAtomic(const std::string& path, std::string_view bytes, mode_t mode = 0600);

// Creates a directory with mode 0700 (parents as needed). An existing directory is tightened to 0700.
void makePrivateDirectory(const std::string& path);

// Permission bits of a file (for checks and tests); throws CryptoError(Io) if it does not exist.
mode_t fileMode(const std::string& path);

} // namespace cplink::crypto
