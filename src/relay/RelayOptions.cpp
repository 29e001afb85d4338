#include "RelayOptions.h"

#include <chrono>

namespace cplink::relay {

namespace {
std::chrono::milliseconds millis(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}
} // namespace

ServerSettings RelayOptions::serverSettings() const {
    ServerSettings settings;
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw CLI::ValidationError("--listen", "expected HOST:PORT, got " + listen);
    settings.host = listen.substr(0, colon);
    if (settings.host.size() > 2 && settings.host.front() == '[' && settings.host.back() == ']')
        settings.host = settings.host.substr(1, settings.host.size() - 2); // [::1]:8443
    try {
        const int port = std::stoi(listen.substr(colon + 1));
        if (port < 0 || port > 65535)
            throw std::out_of_range("port");
        settings.port = static_cast<unsigned short>(port);
    } catch (const std::exception&) {
        throw CLI::ValidationError("--listen", "bad port in " + listen);
    }
    settings.maxBody = maxBody;
    settings.handshakeTimeout = millis(headerTimeoutSeconds);
    settings.bodyTimeout = millis(bodyTimeoutSeconds);
    settings.idleTimeout = millis(idleTimeoutSeconds);
    settings.ioThreads = ioThreads;
    settings.workerThreads = workerThreads;
    return settings;
}

void addRelayOptions(CLI::App& app, RelayOptions& o) {
    app.set_config("--config", "", "Read options from this file (key = value lines)");
    app.add_option("--listen", o.listen, "Address and port to listen on (HOST:PORT; port 0 picks a free one)")
        ->capture_default_str();
    app.add_option("--cert", o.certificate, "The relay's server certificate and key (PKCS#12)");
    app.add_option("--password-file", o.passwordFile, "File whose first line is the PKCS#12 password");
    app.add_option("--ca", o.anchors,
                   "Trust anchor(s) of the network: client certificates must chain to one");
    app.add_option("--crl", o.crl, "The network's CRL (PEM or DER); reloaded when the file changes");
    app.add_option("--db", o.database, "SQLite file, or postgresql://… for PostgreSQL")
        ->capture_default_str();
    app.add_option("--office-policy", o.officePolicy,
                   "Where certificates carry the office number: serialNumber, CN, OU or regex:PATTERN")
        ->capture_default_str();
    app.add_option("--port-file", o.portFile, "Write the port to this file once listening");
    app.add_option("--max-body", o.maxBody, "Largest accepted envelope in bytes (413 above)")
        ->capture_default_str();
    app.add_option("--rate", o.rate, "Requests per second per office (429 above; 0 = unlimited)")
        ->capture_default_str();
    app.add_option("--burst", o.burst, "Requests an office may make at once before --rate applies")
        ->capture_default_str();
    app.add_option("--retention-days", o.retentionDays, "Undelivered messages expire after this many days")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--header-timeout", o.headerTimeoutSeconds,
                   "Seconds for the TLS handshake and a request head")
        ->capture_default_str();
    app.add_option("--body-timeout", o.bodyTimeoutSeconds, "Seconds for a request body")
        ->capture_default_str();
    app.add_option("--idle-timeout", o.idleTimeoutSeconds, "Seconds an idle kept-alive connection stays open")
        ->capture_default_str();
    app.add_option("--housekeeping-interval", o.housekeepingSeconds, "Seconds between retention runs")
        ->capture_default_str();
    app.add_option("--io-threads", o.ioThreads, "Network threads")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--workers", o.workerThreads, "Worker threads for storage calls")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option(
           "--scheduling", o.scheduling,
           "How the kernel schedules the relay's threads: batch (a thread that wakes does not preempt "
           "the one running) or normal")
        ->capture_default_str()
        ->check(CLI::IsMember({"batch", "normal"}));
    app.add_flag("--quiet", o.quiet, "Log warnings and errors only");
}

} // namespace cplink::relay
