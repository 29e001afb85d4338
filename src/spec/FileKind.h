#pragma once

#include <optional>
#include <string_view>

namespace cplink::spec {

// The file kinds of the standard, named by their file-name prefix.
enum class FileKind {
    UpHosoku,     // UPHOSOKU 利用者補足情報
    Up1Kyo,       // UP1KYO 居宅サービス計画1表
    Dlt1Kyo,      // DLT1KYO 1表_削除
    Up2Kyo,       // UP2KYO 居宅サービス計画2表
    Up3Kyo,       // UP3KYO 居宅サービス計画3表 (V4)
    UpPlan,       // UPPLAN 第6表 予定
    UpJsk,        // UPJSK 第6表 実績
    DltPlan,      // DLTPLAN 予定_削除
    DltJsk,       // DLTJSK 実績_削除
    UpSikyu,      // UPSIKYU 第7表 別表
    UpKihon,      // UPKIHON 利用者基本情報 (介護予防, V4)
    UpKihonSub1,  // UPKIHON_SUB1 別表1
    UpKihonSub2,  // UPKIHON_SUB2 別表2
    UpKihonImage, // UPKIHON_IMAGE 家族構成画像 (JPEG)
    DltKihon,     // DLTKIHON 利用者基本情報_削除
    UpYobo,       // UPYOBO 介護予防サービス・支援計画書
    UpYoboSub,    // UPYOBO_SUB 同 別表
    DltYobo,      // DLTYOBO 計画書_削除
};

inline constexpr int kFileKindCount = 18;

std::string_view fileKindId(FileKind kind);
std::optional<FileKind> fileKindFromId(std::string_view id);

// Kinds in the order a file-name prefix must be tried (longer prefixes first).
const FileKind* fileKindsByPrefixLength();

} // namespace cplink::spec
