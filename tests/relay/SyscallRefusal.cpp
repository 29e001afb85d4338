#include "SyscallRefusal.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cplink::test {

namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kArchitecture = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kArchitecture = AUDIT_ARCH_AARCH64;
#else
constexpr std::uint32_t kArchitecture = 0; // apply() refuses: the numbers would mean other calls
#endif

sock_filter statement(unsigned code, std::uint32_t k) {
    return sock_filter{static_cast<std::uint16_t>(code), 0, 0, k};
}

sock_filter jumpIfEqual(std::uint32_t k, std::uint8_t ifEqual, std::uint8_t otherwise) {
    return sock_filter{static_cast<std::uint16_t>(BPF_JMP | BPF_JEQ | BPF_K), ifEqual, otherwise, k};
}

} // namespace

SyscallRefusal::SyscallRefusal(const std::vector<int>& syscallNumbers) {
    const std::uint32_t refuse = SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(EPERM) & SECCOMP_RET_DATA);
    // Calls of another ABI (x32, i386) carry other numbers: they are let through untouched.
    m_program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
    m_program.push_back(jumpIfEqual(kArchitecture, 1, 0));
    m_program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    m_program.push_back(statement(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
    for (const int number : syscallNumbers) {
        m_program.push_back(jumpIfEqual(static_cast<std::uint32_t>(number), 0, 1));
        m_program.push_back(statement(BPF_RET | BPF_K, refuse));
    }
    m_program.push_back(statement(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

bool SyscallRefusal::apply() const {
    if (kArchitecture == 0)
        return false;
    sock_fprog program{static_cast<unsigned short>(m_program.size()),
                       const_cast<sock_filter*>(m_program.data())};
    // Without no_new_privs an unprivileged process may not install a filter.
    return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
           ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

bool SyscallRefusal::available() {
    const SyscallRefusal refusal({SYS_sched_setscheduler});
    const pid_t pid = ::fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        if (!refusal.apply())
            ::_exit(2);
        sched_param parameters{};
        const bool refused = ::sched_setscheduler(0, SCHED_BATCH, &parameters) != 0 && errno == EPERM;
        ::_exit(refused ? 0 : 1);
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace cplink::test
