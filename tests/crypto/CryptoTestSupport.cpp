#include "CryptoTestSupport.h"

#include <array>
#include <cstdio>
#include <sys/wait.h>

namespace cplink::test {

crypto::TimePoint testEpoch() {
    return crypto::fromTimeT(1743465600);
}

int openssl(const std::string& arguments, std::string* log) {
    const std::string command = std::string(CPLINK_OPENSSL_EXE) + " " + arguments + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr)
        return -1;
    std::array<char, 4096> buffer{};
    std::string output;
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    if (log != nullptr)
        *log = output;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Network::Network(const crypto::KeySpec& caKey, const std::string& name) : m_clock(testEpoch()) {
    m_ca = std::make_unique<crypto::TestCa>(crypto::TestCa::create(path("ca"), name, caKey, m_clock));
}

crypto::Identity Network::office(const std::string& number, const std::string& name,
                                 const crypto::KeySpec& key, int days) {
    return m_ca->issueOffice({number, name, key, days});
}

std::string Network::passwordFile(const std::string& name, const std::string& password) {
    return m_dir.write(name, password + "\n");
}

} // namespace cplink::test
