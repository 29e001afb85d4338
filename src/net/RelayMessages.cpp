#include "net/RelayMessages.h"

namespace cplink::net {

namespace {

struct Entry {
    RelayErrorCategory category;
    std::string_view ja;
    std::string_view en;
};

// Written for care managers: say what happened in plain words, then what to do. Transient failures
// say the client retries on its own, so nobody re-sends by hand and creates a duplicate.
// One sentence per line (clang-format would cut Japanese mid-word), so the table reads like the messages.
// clang-format off
constexpr Entry kMessages[] = {
    {RelayErrorCategory::Offline,
     "中継サーバーに接続できません。"
     "インターネット接続を確認してください。"
     "送受信は後で自動的に再試行されます。",
     "Cannot connect to the relay server. "
     "Please check the internet connection. "
     "Sending and receiving will be retried automatically later."},
    {RelayErrorCategory::Timeout,
     "中継サーバーから時間内に応答がありませんでした。"
     "回線が混み合っている可能性があります。"
     "送受信は後で自動的に再試行されます。",
     "The relay server did not answer in time; "
     "the connection may be slow or busy. "
     "Sending and receiving will be retried automatically later."},
    {RelayErrorCategory::ConnectionLost,
     "中継サーバーとの通信が途中で切れました。"
     "送受信は後で自動的に再試行されます。"
     "何度も続く場合はインターネット接続を確認してください。",
     "The connection to the relay server broke off. "
     "Sending and receiving will be retried automatically later. "
     "If this keeps happening, please check the internet connection."},
    {RelayErrorCategory::ServerCertificateUntrusted,
     "接続先が正しい中継サーバーであることを確認できなかったため、"
     "安全のため通信を中止しました（サーバー証明書を信頼できません）。"
     "何も送受信していません。"
     "管理者に連絡してください。",
     "The relay server could not be confirmed as genuine (its certificate is not trusted), "
     "so the connection was stopped for safety. "
     "Nothing was sent or received. "
     "Please contact your administrator."},
    {RelayErrorCategory::ServerNameMismatch,
     "接続先のサーバー証明書が、設定されている中継サーバーのアドレスと一致しないため、"
     "安全のため通信を中止しました。"
     "何も送受信していません。"
     "中継サーバーのアドレス設定を管理者に確認してください。",
     "The relay server's certificate does not match the configured relay address, "
     "so the connection was stopped for safety. "
     "Nothing was sent or received. "
     "Please ask your administrator to check the relay address."},
    {RelayErrorCategory::ClientCertificateRejected,
     "中継サーバーがこの事業所の証明書を受け付けませんでした。"
     "証明書が失効しているか、このネットワークでは使えない証明書の可能性があります。"
     "管理者に連絡してください。",
     "The relay server did not accept this office's certificate. "
     "It may have been revoked or may not belong to this network. "
     "Please contact your administrator."},
    {RelayErrorCategory::ClientCertificateExpired,
     "この事業所の証明書の有効期限が切れているため、中継サーバーに接続できません。"
     "新しい証明書の登録が必要です。"
     "管理者に連絡してください。",
     "This office's certificate has expired, so the relay server cannot be used. "
     "A new certificate must be installed. "
     "Please contact your administrator."},
    {RelayErrorCategory::Conflict,
     "同じ識別番号で内容の異なるファイルがすでに中継サーバーにあるため、"
     "受け付けられませんでした。"
     "このファイルは送信されていません。"
     "管理者に連絡してください。",
     "The relay server already holds a different file under the same message id, "
     "so this one was not accepted and has not been sent. "
     "Please contact your administrator."},
    {RelayErrorCategory::UnknownRecipient,
     "送信先の事業所が中継サーバーに登録されていません。"
     "事業所番号が正しいか確認してください。"
     "送信先の事業所がまだ利用を始めていない可能性もあります。",
     "The recipient office is not registered with the relay server. "
     "Please check the office number; "
     "the recipient may not have started using the service yet."},
    {RelayErrorCategory::RecipientDisabled,
     "送信先の事業所は現在、受信を停止しています。"
     "ファイルは送信されていません。"
     "送信先の事業所に確認してください。",
     "The recipient office is currently not accepting files. "
     "Nothing was sent. "
     "Please check with the recipient office."},
    {RelayErrorCategory::SenderDisabled,
     "この事業所の中継サーバーの利用が停止されています。"
     "管理者に連絡してください。",
     "This office's use of the relay server has been suspended. "
     "Please contact your administrator."},
    {RelayErrorCategory::TooLarge,
     "ファイルが大きすぎるため、中継サーバーが受け付けませんでした。"
     "ファイルは送信されていません。"
     "管理者に連絡してください。",
     "The file is too large for the relay server and was not sent. "
     "Please contact your administrator."},
    {RelayErrorCategory::RateLimited,
     "短時間に通信が集中したため、中継サーバーが一時的に受付を制限しています。"
     "送受信は少し待ってから自動的に再試行されます。",
     "Too many requests were made in a short time, so the relay server is briefly limiting them. "
     "Sending and receiving will be retried automatically after a short wait."},
    {RelayErrorCategory::NotFound,
     "指定したデータは中継サーバーにありませんでした。"
     "すでに受信済みか、保管期限を過ぎた可能性があります。",
     "The requested item is not on the relay server. "
     "It may have been received already or have passed its retention period."},
    {RelayErrorCategory::BadRequest,
     "中継サーバーが要求を受け付けませんでした（要求の形式の誤り）。"
     "ソフトウェアの更新が必要な可能性があります。"
     "管理者に連絡してください。",
     "The relay server rejected the request as malformed. "
     "The software may need an update. "
     "Please contact your administrator."},
    {RelayErrorCategory::Unavailable,
     "中継サーバーが一時的に利用できません。"
     "送受信は後で自動的に再試行されます。",
     "The relay server is temporarily unavailable. "
     "Sending and receiving will be retried automatically later."},
    {RelayErrorCategory::ServerError,
     "中継サーバーで障害が発生しています。"
     "送受信は後で自動的に再試行されます。"
     "長く続く場合は管理者に連絡してください。",
     "The relay server has a problem. "
     "Sending and receiving will be retried automatically later. "
     "If it lasts, please contact your administrator."},
    {RelayErrorCategory::ProtocolError,
     "中継サーバーから想定外の応答があったため、処理を中止しました。"
     "受け取ったデータは使用していません。"
     "続く場合は管理者に連絡してください。",
     "The relay server gave an unexpected answer, "
     "so the operation was stopped and nothing received was used. "
     "If this continues, please contact your administrator."},
    {RelayErrorCategory::Internal,
     "中継サーバーとの通信の準備中にエラーが発生しました。"
     "中継サーバーの設定を確認するか、管理者に連絡してください。",
     "An error occurred while preparing the connection to the relay server. "
     "Please check the relay settings or contact your administrator."},
};
// clang-format on

} // namespace

std::string_view userMessage(RelayErrorCategory category, Language language) {
    for (const Entry& entry : kMessages) {
        if (entry.category == category)
            return language == Language::Ja ? entry.ja : entry.en;
    }
    return {};
}

} // namespace cplink::net
