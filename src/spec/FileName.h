#pragma once

#include "FileKind.h"
#include "FindingSink.h"
#include "OfficeNumber.h"

#include <optional>
#include <string>
#include <string_view>

namespace cplink::spec {

// Which naming convention a file name follows: V4.1 carries the service kinds of both offices,
// V3 does not.
enum class NameForm { V41, V3 };

// Everything the standard puts into a file name.
struct StandardFileName {
    FileKind kind{};
    NameForm form = NameForm::V41;
    std::string month; // YYYYMM, "000000" (plan-bound 利用者補足), or empty for kinds without one
    OfficeNumber sender;
    std::string senderService; // empty for V3 names
    OfficeNumber recipient;
    std::string recipientService; // empty for V3 names
    std::string sequence;         // YYYYMMDDHHMMSS, shared by every file of a send unit
    std::optional<int> imageBranch;

    // The send unit this file belongs to: every file with the same parties and sequence.
    std::string unitKey() const;
};

struct FileNameResult {
    std::optional<FileKind> kind; // known as soon as the prefix is recognised
    std::optional<NameForm> form;
    std::optional<StandardFileName> name; // only when every part is valid
};

// Parses a base file name (no directory) and reports every problem with it into `sink`.
FileNameResult parseFileName(std::string_view fileName, FindingSink& sink);

} // namespace cplink::spec
