// runRelay: assembles storage, TLS, the API, the server and housekeeping, and runs them until a
// signal asks to stop.
#include "Housekeeping.h"
#include "Log.h"
#include "RelayClock.h"
#include "RelayOptions.h"
#include "Scheduling.h"
#include "TlsContext.h"
#include "crypto/Error.h"
#include "crypto/Files.h"
#include "crypto/Pkcs12.h"
#include "crypto/Secret.h"

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <sys/resource.h>

namespace cplink::relay {

namespace {

// 10,000 connections need 10,000 descriptors; the soft limit is often 1,024.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// The network's CRL: loaded at start, served at /v1/crl, reloaded by housekeeping when the file
// changes (a new CRL from the CA takes effect without a restart; existing connections keep theirs).
class CrlFile {
public:
    explicit CrlFile(std::string path) : m_path(std::move(path)) {}
    bool configured() const { return !m_path.empty(); }

    // True if the file changed since the last load (or was never loaded), after loading it.
    bool reloadIfChanged() {
        if (!configured())
            return false;
        const auto stamp = std::filesystem::last_write_time(m_path);
        if (m_loaded && stamp == m_stamp)
            return false;
        const crypto::Crl crl = crypto::Crl::load(m_path); // throws on a broken file: keep the old one
        const std::lock_guard lock(m_mutex);
        m_crl = crl;
        m_pem = crl.toPem();
        m_stamp = stamp;
        m_loaded = true;
        return true;
    }
    std::optional<std::string> pem() const {
        const std::lock_guard lock(m_mutex);
        return m_loaded ? std::optional<std::string>(m_pem) : std::nullopt;
    }
    std::optional<crypto::Crl> crl() const {
        const std::lock_guard lock(m_mutex);
        return m_crl;
    }

private:
    std::string m_path;
    mutable std::mutex m_mutex;
    std::optional<crypto::Crl> m_crl;
    std::string m_pem;
    std::filesystem::file_time_type m_stamp;
    bool m_loaded = false;
};

crypto::TrustStore trustOf(const std::vector<std::string>& anchorFiles, const CrlFile& crl) {
    crypto::TrustStore trust = crypto::TrustStore::fromFiles(anchorFiles);
    if (const auto loaded = crl.crl())
        trust.addCrl(*loaded);
    return trust;
}

} // namespace

int runRelay(const RelayOptions& options) {
    log::setQuiet(options.quiet);
    if (options.certificate.empty() || options.passwordFile.empty() || options.anchors.empty()) {
        std::cerr << "cplink-relay: --cert, --password-file and --ca are required\n";
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    raiseDescriptorLimit();
    try {
        // Before the storage and the server start their threads, which inherit it.
        if (const std::string problem = applySchedulingPolicy(schedulingPolicyFromString(options.scheduling));
            !problem.empty())
            log::warning("scheduling_policy_not_applied",
                         {{"policy", options.scheduling}, {"detail", problem}});
        const auto clock = makeRelayClock();
        const crypto::SystemClock realTime;
        const crypto::Identity identity =
            crypto::loadPkcs12(options.certificate, crypto::readPasswordFile(options.passwordFile), realTime);
        const auto policy = crypto::OfficeNumberPolicy::parse(options.officePolicy);
        CrlFile crlFile(options.crl);
        crlFile.reloadIfChanged();
        const auto storage = openStorage(options.database);

        Metrics metrics;
        RateLimiter limiter(options.rate, options.burst);
        Api api(*storage, *clock, metrics, [&crlFile] { return crlFile.pem(); });
        Server server(options.serverSettings(),
                      makeServerTlsContext(identity, trustOf(options.anchors, crlFile), policy), policy, api,
                      metrics, limiter);
        server.listen();
        if (!options.portFile.empty())
            crypto::writeFileAtomic(options.portFile, std::to_string(server.port()) + "\n", 0644);
        log::info("listening", {{"address", options.listen},
                                {"port", server.port()},
                                {"storage", storage->backendName()},
                                {"retention_days", options.retentionDays},
                                {"max_body", options.maxBody},
                                {"scheduling", options.scheduling}});

        Housekeeping housekeeping(
            metrics, std::chrono::milliseconds(static_cast<long long>(options.housekeepingSeconds * 1000)));
        housekeeping.add(
            retentionJob(*storage, *clock, std::chrono::hours(24) * options.retentionDays, metrics));
        if (crlFile.configured()) {
            housekeeping.add({"crl_reload", [&] {
                                  if (!crlFile.reloadIfChanged())
                                      return;
                                  server.setTlsContext(makeServerTlsContext(
                                      identity, trustOf(options.anchors, crlFile), policy));
                                  log::info("crl_reloaded", {{"path", options.crl}});
                              }});
        }
        housekeeping.start();

        boost::asio::signal_set signals(server.ioContext(), SIGTERM, SIGINT);
        signals.async_wait([&server](const boost::system::error_code& ec, int signal) {
            if (!ec) {
                log::info("signal", {{"signal", signal}});
                server.stop();
            }
        });
        server.run();
        housekeeping.stop();
        log::info("stopped");
        return 0;
    } catch (const CLI::Error& e) {
        std::cerr << "cplink-relay: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        log::error("fatal", {{"detail", e.what()}});
        std::cerr << "cplink-relay: " << e.what() << '\n';
        return 1;
    }
}

} // namespace cplink::relay
