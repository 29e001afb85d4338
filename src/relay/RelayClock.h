#pragma once

#include "crypto/Clock.h"

#include <memory>
#include <string>

namespace cplink::relay {

// The relay's time for retention and message times. The system clock, except under the test hook:
// when the environment variable CPLINK_RELAY_TEST_CLOCK_FILE names a file, the time is read from it
// (whole seconds since the epoch) at every call, so integration tests can move a running relay's clock
// forward (retention) without waiting. TLS certificate checks always use the real time.
std::unique_ptr<crypto::Clock> makeRelayClock();

class FileClock final : public crypto::Clock {
public:
    explicit FileClock(std::string path) : m_path(std::move(path)) {}
    crypto::TimePoint now() const override;

private:
    std::string m_path;
};

} // namespace cplink::relay
