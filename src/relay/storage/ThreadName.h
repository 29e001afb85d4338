#pragma once

#include <pthread.h>

namespace cplink::relay {

// Names the calling thread as `top -H`, `perf` and /proc/<pid>/task/*/comm show it, so an operator can
// tell the group-commit writer from the network threads. Linux allows 15 characters.
inline void nameThisThread(const char* name) {
    pthread_setname_np(pthread_self(), name);
}

} // namespace cplink::relay
