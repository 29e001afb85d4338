#include "Scheduling.h"

#include <cerrno>
#include <cstring>
#include <sched.h>
#include <stdexcept>

namespace cplink::relay {

SchedulingPolicy schedulingPolicyFromString(const std::string& name) {
    if (name == "batch")
        return SchedulingPolicy::Batch;
    if (name == "normal")
        return SchedulingPolicy::Normal;
    throw std::invalid_argument("unknown scheduling policy '" + name + "' (batch or normal)");
}

std::string applySchedulingPolicy(SchedulingPolicy policy) {
    if (policy == SchedulingPolicy::Normal)
        return {};
    sched_param parameters{};
    parameters.sched_priority = 0; // the only priority SCHED_BATCH has
    if (sched_setscheduler(0, SCHED_BATCH, &parameters) != 0)
        return std::string("sched_setscheduler(SCHED_BATCH): ") + std::strerror(errno);
    return {};
}

} // namespace cplink::relay
