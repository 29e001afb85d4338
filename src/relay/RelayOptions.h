#pragma once

#include "Server.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace cplink::relay {

// Everything `cplink-relay` is configured with. Flags, or the same names in a config file
// (`--config FILE`, "key = value" lines, CLI11's INI/TOML subset); flags win over the file.
struct RelayOptions {
    std::string listen = "127.0.0.1:8443";
    std::string certificate;  // server PKCS#12
    std::string passwordFile; // its password
    std::vector<std::string> anchors;
    std::string crl;
    std::string database = "relay.db";
    std::string officePolicy = "serialNumber";
    std::string portFile; // written once listening (tests, scripts: --listen HOST:0)
    std::size_t maxBody = 16u << 20;
    double rate = 200;  // requests per second per office
    double burst = 400; // bucket size
    int retentionDays = 30;
    double headerTimeoutSeconds = 10;
    double bodyTimeoutSeconds = 60;
    double idleTimeoutSeconds = 120;
    double housekeepingSeconds = 60;
    int ioThreads = 2;
    int workerThreads = 32;
    std::string scheduling = "batch"; // Scheduling.h
    bool quiet = false;

    ServerSettings serverSettings() const; // throws CLI::ValidationError on a bad --listen
};

// Adds the server's options to `app` (also used by tests to check parsing).
void addRelayOptions(CLI::App& app, RelayOptions& options);

// Runs the relay until SIGTERM/SIGINT; returns the process exit code.
int runRelay(const RelayOptions& options);

} // namespace cplink::relay
