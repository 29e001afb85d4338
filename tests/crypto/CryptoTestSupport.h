#pragma once

#include "TestSupport.h"
#include "crypto/Clock.h"
#include "crypto/Identity.h"
#include "crypto/Secret.h"
#include "crypto/TestCa.h"

#include <memory>
#include <string>
#include <vector>

namespace cplink::test {

// 2025-04-01T00:00:00Z: the moment every test network is made at, unless a test moves the clock.
crypto::TimePoint testEpoch();
constexpr auto kDay = std::chrono::hours(24);

// Runs the real openssl CLI with the arguments (passed through /bin/sh, so quote paths with spaces);
// returns its exit status. Output goes to `log` (stdout and stderr) when given.
int openssl(const std::string& arguments, std::string* log = nullptr);

// A test network in a temporary directory: a CA (EC P-256 unless asked otherwise) at testEpoch() on its
// own FixedClock, and helpers to issue office certificates quickly.
class Network {
public:
    explicit Network(const crypto::KeySpec& caKey = crypto::KeySpec::ec(),
                     const std::string& name = "Test CA");

    crypto::FixedClock& clock() { return m_clock; }
    crypto::TestCa& ca() { return *m_ca; }
    const TempDir& dir() const { return m_dir; }
    std::string path(const std::string& name) const { return m_dir.path() + "/" + name; }

    crypto::Identity office(const std::string& number, const std::string& name = "Office",
                            const crypto::KeySpec& key = crypto::KeySpec::ec(), int days = 365);
    // Writes a password file and returns its path.
    std::string passwordFile(const std::string& name, const std::string& password);

private:
    TempDir m_dir;
    crypto::FixedClock m_clock;
    std::unique_ptr<crypto::TestCa> m_ca;
};

} // namespace cplink::test
