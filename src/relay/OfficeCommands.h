#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace cplink::relay {

// `cplink-relay office list|add|disable|enable`: administrators manage the offices the relay knows,
// directly in its database (the relay may be running; both backends allow that). `database` is read
// when the command runs, so --db may come before or after the subcommand. `exitCode` receives the
// result (0 done, 1 no such office, 2 storage error).
void addOfficeCommands(CLI::App& app, const std::string& database, int& exitCode);

} // namespace cplink::relay
