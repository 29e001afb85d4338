#pragma once

#include "Metrics.h"
#include "crypto/Clock.h"
#include "relay/storage/Storage.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cplink::relay {

// Background jobs on their own thread, every `interval`: retention (expire undelivered messages, tell
// their senders, purge settled rows) and whatever else is registered (CRL reload). A job that throws
// is logged and counted in metrics and runs again next time: one database error must not stop
// housekeeping for good (LESSONS.md).
class Housekeeping {
public:
    struct Job {
        std::string name;
        std::function<void()> run;
    };

    Housekeeping(Metrics& metrics, std::chrono::milliseconds interval);
    ~Housekeeping();
    Housekeeping(const Housekeeping&) = delete;
    Housekeeping& operator=(const Housekeeping&) = delete;

    void add(Job job);
    void start();
    void stop();
    // Runs every job once, now, on the calling thread (also what the thread does each interval).
    void runOnce();

private:
    Metrics& m_metrics;
    std::chrono::milliseconds m_interval;
    std::vector<Job> m_jobs;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

// The retention job: Storage::expire at the clock's time.
Housekeeping::Job retentionJob(Storage& storage, const crypto::Clock& clock, std::chrono::seconds retention,
                               Metrics& metrics);

} // namespace cplink::relay
