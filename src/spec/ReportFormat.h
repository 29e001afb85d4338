#pragma once

#include "Messages.h"
#include "Report.h"

#include <string>

namespace cplink::spec {

// The machine-readable report of `cplink validate --json` (one JSON document).
std::string reportToJson(const BatchReport& report, Language language);

// The human report: findings grouped by send unit (in import order) and file.
std::string reportToText(const BatchReport& report, Language language);

} // namespace cplink::spec
