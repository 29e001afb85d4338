#pragma once

#include "net/RelayError.h"

#include <string_view>

namespace cplink::net {

// The care-manager-facing text for a relay failure: what happened and what to do. One table
// (RelayMessages.cpp) so translators and reviewers see every message together.
std::string_view userMessage(RelayErrorCategory category, Language language);

} // namespace cplink::net
