#include "Metrics.h"

#include <sstream>

namespace cplink::relay {

namespace {

const std::map<std::string, std::string> kHelp = {
    {"cplink_relay_requests_total", "HTTP requests answered, by route and status"},
    {"cplink_relay_request_bytes_total", "Request body bytes received"},
    {"cplink_relay_response_bytes_total", "Response body bytes sent"},
    {"cplink_relay_uploads_total", "Uploads by outcome"},
    {"cplink_relay_errors_total", "Errors by kind (storage, internal, tls_handshake, timeout, …)"},
    {"cplink_relay_job_runs_total", "Housekeeping job runs by job and result"},
    {"cplink_relay_expired_messages_total", "Undelivered messages expired by retention"},
    {"cplink_relay_purged_messages_total", "Settled messages removed after retention"},
};

} // namespace

void Metrics::count(const std::string& name, const std::string& labels, std::uint64_t by) {
    const std::lock_guard lock(m_mutex);
    m_counters[name][labels] += by;
}

void Metrics::request(const std::string& route, int status, std::uint64_t requestBytes,
                      std::uint64_t responseBytes) {
    const std::lock_guard lock(m_mutex);
    m_counters["cplink_relay_requests_total"]
              ["route=\"" + route + "\",status=\"" + std::to_string(status) + "\""] += 1;
    m_counters["cplink_relay_request_bytes_total"][""] += requestBytes;
    m_counters["cplink_relay_response_bytes_total"][""] += responseBytes;
}

void Metrics::jobRun(const std::string& job, bool ok) {
    count("cplink_relay_job_runs_total", "job=\"" + job + "\",result=\"" + (ok ? "ok" : "error") + "\"");
}

std::uint64_t Metrics::value(const std::string& name, const std::string& labels) const {
    const std::lock_guard lock(m_mutex);
    const auto series = m_counters.find(name);
    if (series == m_counters.end())
        return 0;
    const auto it = series->second.find(labels);
    return it == series->second.end() ? 0 : it->second;
}

std::string Metrics::render(const std::function<std::int64_t()>& pending) const {
    std::ostringstream out;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto& [name, series] : m_counters) {
            const auto help = kHelp.find(name);
            if (help != kHelp.end())
                out << "# HELP " << name << ' ' << help->second << '\n';
            out << "# TYPE " << name << " counter\n";
            for (const auto& [labels, value] : series)
                out << name << (labels.empty() ? "" : "{" + labels + "}") << ' ' << value << '\n';
        }
    }
    out << "# HELP cplink_relay_open_connections Client connections open now\n"
        << "# TYPE cplink_relay_open_connections gauge\n"
        << "cplink_relay_open_connections " << openConnections.load() << '\n';
    out << "# HELP cplink_relay_pending_messages Messages waiting for their addressee\n"
        << "# TYPE cplink_relay_pending_messages gauge\n"
        << "cplink_relay_pending_messages " << pending() << '\n';
    return out.str();
}

} // namespace cplink::relay
