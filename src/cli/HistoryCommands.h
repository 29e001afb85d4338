#pragma once

#include "cli/ExchangeCommands.h"

namespace cplink::cli {

// history, show, resend, cancel, partners, evidence: the commands that read (or correct) the store.
void addHistoryCommands(CLI::App& app, ExchangeOptions& options);
int runHistoryCommand(const ExchangeOptions& options, const crypto::Clock& clock, std::ostream& out,
                      std::ostream& err);

} // namespace cplink::cli
