#include "TestSupport.h"

#include "spec/Validator.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/mount.h>

namespace cplink::test {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cplink-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& name, std::string_view bytes) const {
    const std::string path = m_path + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + path);
    return path;
}

spec::FileReport validate(std::string_view fileName, std::string_view utf8Csv) {
    return spec::validateBytes(fileName, testdata::sjis(utf8Csv));
}

spec::FileReport validateRaw(std::string_view fileName, std::string_view bytes) {
    return spec::validateBytes(fileName, bytes);
}

spec::BatchReport validateFiles(const std::vector<testdata::SampleFile>& files) {
    TempDir dir;
    for (const auto& f : files)
        dir.write(f.name, f.bytes);
    return spec::validateBatch({dir.path()});
}

std::vector<std::string> rules(const spec::FileReport& report) {
    std::vector<std::string> out;
    for (const auto& f : report.findings.findings())
        out.push_back(f.rule);
    return out;
}

std::vector<std::string> fileRules(const spec::FileReport& report) {
    std::vector<std::string> out;
    for (const auto& f : report.findings.findings()) {
        if (f.rule.rfind("unit.", 0) != 0)
            out.push_back(f.rule);
    }
    return out;
}

bool hasRule(const spec::FileReport& report, std::string_view rule) {
    return findRule(report, rule) != nullptr;
}

const spec::Finding* findRule(const spec::FileReport& report, std::string_view rule) {
    for (const auto& f : report.findings.findings()) {
        if (f.rule == rule)
            return &f;
    }
    return nullptr;
}

SmallFilesystem::SmallFilesystem(const std::string& path, const std::string& size, const std::string& mode)
    : m_path(path) {
    std::filesystem::create_directories(m_path);
    const std::string options = "size=" + size + ",mode=" + mode;
    if (::mount("tmpfs", m_path.c_str(), "tmpfs", 0, options.c_str()) == 0)
        m_mounted = true;
    else
        m_error = std::strerror(errno);
}

SmallFilesystem::~SmallFilesystem() {
    if (m_mounted)
        ::umount2(m_path.c_str(), MNT_DETACH);
}

std::string SmallFilesystem::fill() const {
    const std::string path = m_path + "/.filler";
    std::ofstream out(path, std::ios::binary);
    const std::string block(4096, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size())))
        out.flush();
    return path;
}

} // namespace cplink::test
