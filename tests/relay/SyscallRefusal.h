#pragma once

#include <linux/filter.h>
#include <vector>

namespace cplink::test {

// A seccomp filter that makes some system calls fail with EPERM, for tests of what the relay does when
// the kernel refuses something (a container's seccomp profile may refuse sched_setscheduler, say).
// The filter is built by the constructor, so that apply() in a child between fork() and exec() only
// makes two prctl() calls; it stays in force across exec().
class SyscallRefusal {
public:
    explicit SyscallRefusal(const std::vector<int>& syscallNumbers);

    // False if this kernel or architecture offers no seccomp filters.
    bool apply() const;

    // Whether refusing works here at all: tried in a child process on sched_setscheduler.
    static bool available();

private:
    std::vector<sock_filter> m_program;
};

} // namespace cplink::test
