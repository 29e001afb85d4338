#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace cplink::relay {

// The relay's counters and gauges, rendered in the Prometheus text format (0.0.4) by /metrics.
// Counters are keyed by name and label text ("route=\"upload\",status=\"201\""); a mutex is plenty at
// a few thousand requests per second and keeps the rendering consistent.
class Metrics {
public:
    void count(const std::string& name, const std::string& labels = {}, std::uint64_t by = 1);
    void request(const std::string& route, int status, std::uint64_t requestBytes,
                 std::uint64_t responseBytes);
    void jobRun(const std::string& job, bool ok);
    void error(const std::string& kind) { count("cplink_relay_errors_total", "kind=\"" + kind + "\""); }

    std::atomic<std::int64_t> openConnections{0};

    std::uint64_t value(const std::string& name, const std::string& labels = {}) const;
    // `pending` is asked at render time (from storage); it may throw, which the caller reports.
    std::string render(const std::function<std::int64_t()>& pending) const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::map<std::string, std::uint64_t>> m_counters;
};

} // namespace cplink::relay
