#pragma once

#include <string>
#include <string_view>

namespace cplink::exchange {

// A received file name made safe for the import folder: the base name only (no directory part, no
// "..", no control characters, no separators of any platform), at most 200 bytes, never empty or hidden.
// Standard names pass unchanged; anything else a hostile sender signed cannot leave the folder.
std::string sanitisedFileName(std::string_view signedName);

// "name (2).CSV" for number 2, the name itself for 1.
std::string numberedName(const std::string& name, int number);

// Writing a received file into the import folder so that it appears exactly once, complete, even if
// the process dies at any instant (DESIGN.md §6):
//   stage()   writes the bytes to a hidden temporary file in the folder and fsyncs it;
//   publish() links it under its final name — never over an existing file — and removes the temporary.
// The engine commits `saving` (with the final path) between the two, so after a crash it knows whether
// the file may already be visible (then it is never written again: the care software may have
// imported and removed it).
class ImportFolder {
public:
    explicit ImportFolder(std::string directory);

    // The final path for a file: the sanitised name, or "name (2).CSV", "name (3).CSV", … when a file
    // with other content already has the name. A file with the same name and the same SHA-256 is the one
    // we wrote before: its path is returned (`sameContent` set).
    std::string choosePath(std::string_view signedName, std::string_view sha256, bool& sameContent) const;
    // Hidden temporary file for the message, e.g. ".UPPLAN_….CSV.<message id>.part".
    std::string stagingPath(const std::string& finalPath, const std::string& messageId) const;
    // Throws std::system_error (ENOSPC for a full disk) after removing what it wrote.
    void stage(const std::string& stagingPath, std::string_view bytes) const;
    // True when the file is at finalPath afterwards (published now or before); false, with the staged
    // file kept, when another file took the name meanwhile (choose a new path and publish again).
    bool publish(const std::string& stagingPath, const std::string& finalPath) const;

    const std::string& directory() const { return m_directory; }

private:
    std::string m_directory;
};

} // namespace cplink::exchange
