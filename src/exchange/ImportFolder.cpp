#include "exchange/ImportFolder.h"

#include "crypto/Digest.h"
#include "crypto/Files.h"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace cplink::exchange {

namespace {

constexpr std::size_t kMaxNameBytes = 200;

[[noreturn]] void throwErrno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void syncDirectory(const std::string& directory) {
    const crypto::FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() >= 0)
        ::fsync(fd.get());
}

bool sameFileContent(const std::string& path, std::string_view sha256) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    try {
        return crypto::sha256Hex(crypto::readFile(path)) == sha256;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

std::string numberedName(const std::string& name, int number) {
    if (number <= 1)
        return name;
    const auto dot = name.find_last_of('.');
    const std::string stem = dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
    const std::string extension = dot == std::string::npos || dot == 0 ? "" : name.substr(dot);
    return stem + " (" + std::to_string(number) + ")" + extension;
}

std::string sanitisedFileName(std::string_view signedName) {
    // Only the last path component of either separator counts.
    const auto slash = signedName.find_last_of("/\\");
    std::string_view base = slash == std::string_view::npos ? signedName : signedName.substr(slash + 1);
    std::string name;
    for (const char c : base) {
        const auto byte = static_cast<unsigned char>(c);
        const bool forbidden = byte < 0x20 || byte == 0x7f || c == ':' || c == '*' || c == '?' || c == '"' ||
                               c == '<' || c == '>' || c == '|';
        name += forbidden ? '_' : c;
    }
    while (!name.empty() && (name.front() == '.' || name.front() == ' '))
        name.erase(name.begin()); // no hidden files, no "." or ".."
    while (!name.empty() && (name.back() == '.' || name.back() == ' '))
        name.pop_back();
    if (name.size() > kMaxNameBytes) {
        name.resize(kMaxNameBytes);
        while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80)
            name.pop_back(); // do not cut a UTF-8 character in half
        if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0)
            name.pop_back();
    }
    return name.empty() ? std::string("received.csv") : name;
}

ImportFolder::ImportFolder(std::string directory) : m_directory(std::move(directory)) {
}

std::string ImportFolder::choosePath(std::string_view signedName, std::string_view sha256,
                                     bool& sameContent) const {
    const std::string name = sanitisedFileName(signedName);
    for (int number = 1;; ++number) {
        const std::string candidate = m_directory + "/" + numberedName(name, number);
        std::error_code ec;
        if (!std::filesystem::exists(candidate, ec)) {
            sameContent = false;
            return candidate;
        }
        if (sameFileContent(candidate, sha256)) {
            sameContent = true;
            return candidate;
        }
    }
}

std::string ImportFolder::stagingPath(const std::string& finalPath, const std::string& messageId) const {
    const std::string base = std::filesystem::path(finalPath).filename().string();
    return m_directory + "/." + base + "." + messageId + ".part";
}

void ImportFolder::stage(const std::string& stagingPath, std::string_view bytes) const {
    std::filesystem::create_directories(m_directory);
    // 0640: the care software (same user or its group) reads it; the personal data is not world-readable.
    crypto::FileDescriptor fd(::open(stagingPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (fd.get() < 0)
        throwErrno("cannot create " + stagingPath);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int saved = n < 0 ? errno : ENOSPC;
            ::unlink(stagingPath.c_str());
            errno = saved;
            throwErrno("cannot write " + stagingPath);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
        const int saved = errno;
        ::unlink(stagingPath.c_str());
        errno = saved;
        throwErrno("cannot write " + stagingPath);
    }
}

bool ImportFolder::publish(const std::string& stagingPath, const std::string& finalPath) const {
    std::error_code ec;
    if (!std::filesystem::exists(stagingPath, ec))
        return true; // published before a crash (and perhaps imported and removed since)
    // link() never replaces an existing file, unlike rename().
    if (::link(stagingPath.c_str(), finalPath.c_str()) != 0) {
        if (errno != EEXIST)
            throwErrno("cannot create " + finalPath);
        // Someone put a file under that name since the path was chosen: ours only if it is identical.
        if (!sameFileContent(finalPath, crypto::sha256Hex(crypto::readFile(stagingPath))))
            return false;
    }
    ::unlink(stagingPath.c_str());
    syncDirectory(m_directory);
    return true;
}

} // namespace cplink::exchange
