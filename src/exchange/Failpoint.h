#pragma once

#include <string_view>

namespace cplink::exchange {

// Crash points for the crash-safety test (tests/exchange): the engine calls failpoint("name") at every
// state transition. Nothing happens unless the process was started with CPLINK_TEST_FAILPOINT set to
// "name" or "name@N": then the N-th time (default the first) the process kills itself with SIGKILL, exactly
// as a power cut or `kill -9` would stop it there. The variable is read once, at the first call.
void failpoint(std::string_view name);

} // namespace cplink::exchange
