#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cplink::spec {

// A failure to read input (missing file, permission, I/O error). Not a finding about the content.
class IoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Where the CSV reader gets its bytes from. Reads are sequential; 0 means end of input.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
};

// Reads a file through a plain descriptor (no stdio buffering: the reader has its own buffer).
class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::string& path);
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::size_t read(char* buffer, std::size_t capacity) override;

private:
    int m_fd = -1;
    std::string m_path;
};

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string_view bytes) : m_bytes(bytes) {}
    std::size_t read(char* buffer, std::size_t capacity) override;

private:
    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

} // namespace cplink::spec
