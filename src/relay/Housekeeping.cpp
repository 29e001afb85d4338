#include "Housekeeping.h"

#include "Log.h"
#include "storage/ThreadName.h"

namespace cplink::relay {

Housekeeping::Housekeeping(Metrics& metrics, std::chrono::milliseconds interval)
    : m_metrics(metrics), m_interval(interval) {
}

Housekeeping::~Housekeeping() {
    stop();
}

void Housekeeping::add(Job job) {
    m_jobs.push_back(std::move(job));
}

void Housekeeping::start() {
    m_thread = std::thread([this] {
        nameThisThread("relay-housekeep");
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            lock.unlock();
            runOnce();
            lock.lock();
            m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
        }
    });
}

void Housekeeping::stop() {
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void Housekeeping::runOnce() {
    for (const auto& job : m_jobs) {
        try {
            job.run();
            m_metrics.jobRun(job.name, true);
        } catch (const std::exception& e) {
            m_metrics.jobRun(job.name, false);
            m_metrics.error("job");
            log::error("job_failed", {{"job", job.name}, {"detail", e.what()}});
        }
    }
}

Housekeeping::Job retentionJob(Storage& storage, const crypto::Clock& clock, std::chrono::seconds retention,
                               Metrics& metrics) {
    return {"retention", [&storage, &clock, retention, &metrics] {
                const auto result =
                    storage.expire(static_cast<UnixTime>(crypto::toTimeT(clock.now())), retention);
                metrics.count("cplink_relay_expired_messages_total", {},
                              static_cast<std::uint64_t>(result.expired));
                metrics.count("cplink_relay_purged_messages_total", {},
                              static_cast<std::uint64_t>(result.purged));
                if (result.expired > 0 || result.purged > 0 || result.segmentsRemoved > 0)
                    log::info("retention", {{"expired", result.expired},
                                            {"purged", result.purged},
                                            {"body_segments_removed", result.segmentsRemoved}});
            }};
}

} // namespace cplink::relay
