#include "FileKind.h"

#include <array>

namespace cplink::spec {
namespace {

constexpr std::array<std::string_view, kFileKindCount> kIds = {
    "UPHOSOKU",     "UP1KYO",        "DLT1KYO",  "UP2KYO",  "UP3KYO",     "UPPLAN",
    "UPJSK",        "DLTPLAN",       "DLTJSK",   "UPSIKYU", "UPKIHON",    "UPKIHON_SUB1",
    "UPKIHON_SUB2", "UPKIHON_IMAGE", "DLTKIHON", "UPYOBO",  "UPYOBO_SUB", "DLTYOBO"};

constexpr std::array<FileKind, kFileKindCount> kByPrefixLength = {
    FileKind::UpKihonImage, FileKind::UpKihonSub1, FileKind::UpKihonSub2, FileKind::UpYoboSub,
    FileKind::UpKihon,      FileKind::UpYobo,      FileKind::UpHosoku,    FileKind::UpSikyu,
    FileKind::DltKihon,     FileKind::DltPlan,     FileKind::DltYobo,     FileKind::Dlt1Kyo,
    FileKind::DltJsk,       FileKind::Up1Kyo,      FileKind::Up2Kyo,      FileKind::Up3Kyo,
    FileKind::UpPlan,       FileKind::UpJsk};

} // namespace

std::string_view fileKindId(FileKind kind) {
    return kIds[static_cast<std::size_t>(kind)];
}

std::optional<FileKind> fileKindFromId(std::string_view id) {
    for (std::size_t i = 0; i < kIds.size(); ++i) {
        if (kIds[i] == id)
            return static_cast<FileKind>(i);
    }
    return std::nullopt;
}

const FileKind* fileKindsByPrefixLength() {
    return kByPrefixLength.data();
}

} // namespace cplink::spec
