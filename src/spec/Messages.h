#pragma once

#include "FileKind.h"
#include "Finding.h"

#include <string>
#include <vector>

namespace cplink::spec {

enum class Language { Ja, En };

struct RenderedMessage {
    std::string message; // what is wrong
    std::string hint;    // what to do about it
};

// Renders a finding in the user's language from its rule's template.
RenderedMessage renderMessage(const Finding& finding, Language language);
// True if the rule has a catalogue entry (every rule the validator emits must have one).
bool hasMessage(const std::string& rule);
std::vector<std::string> catalogueRules();

std::string kindDisplayName(FileKind kind, Language language);

} // namespace cplink::spec

namespace cplink::spec {
// "plan" -> "計画書（第1・2・3表＋利用者補足）" etc.
std::string combinationDisplayName(const std::string& combination, Language language);
} // namespace cplink::spec
