#pragma once

#include <string>

namespace cplink::relay {

// How the relay's threads ask the kernel to schedule them (`--scheduling`).
//
// "batch" (the default) is Linux's SCHED_BATCH: the same fair share of CPU as a normal thread, but a
// thread that wakes up does not preempt the one running. An upload wakes three of the relay's own
// threads in turn (network → group-commit writer → WAL sync → network); as normal threads each wake-up
// preempted whatever ran on that core, often another relay thread halfway through its work, and on a
// loaded machine the switches cost more than the wake-up latency saves (docs/benchmarks.md, tenth look).
// "normal" leaves the threads as started (SCHED_OTHER).
//
// Must run before the relay starts any thread: threads inherit the policy of the thread that creates
// them. Changing between these two policies needs no privilege (and systemd's RestrictRealtime= only
// forbids the real-time ones).
enum class SchedulingPolicy { Batch, Normal };

// "batch" or "normal"; throws std::invalid_argument otherwise.
SchedulingPolicy schedulingPolicyFromString(const std::string& name);

// Applies the policy to the calling thread. Returns an empty string, or why it could not (the relay
// then runs on as it was: the policy is a tuning, not a requirement).
std::string applySchedulingPolicy(SchedulingPolicy policy);

} // namespace cplink::relay
