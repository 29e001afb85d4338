#pragma once

#include "crypto/Certificate.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::net {

// What a relay message carries (docs/protocol.md): a sealed file, a signed receipt, or the relay's
// notice that an undelivered message expired. Unknown: a kind this client does not know (a newer relay);
// leave such messages alone.
enum class MessageKind { Envelope, Receipt, ExpiryNotice, Unknown };

// "envelope", "receipt", "expiry-notice" — the protocol's spelling.
const char* toString(MessageKind kind);
MessageKind parseMessageKind(std::string_view text);

// The relay's answer to an accepted upload (also to an identical retry).
struct UploadReceipt {
    std::string messageId;
    std::string sha256;          // of the stored bytes, lowercase hex; checked to equal ours
    std::int64_t receivedAt = 0; // seconds since the epoch, UTC, the relay's time
};

struct InboxEntry {
    std::string messageId;
    std::string from; // sender office number, or "relay" for expiry notices
    MessageKind kind = MessageKind::Envelope;
    std::uint64_t size = 0;
    std::string sha256;
    std::int64_t receivedAt = 0; // seconds since the epoch, UTC, the relay's time
};

struct DownloadedMessage {
    std::string bytes;  // the envelope exactly as uploaded
    std::string sender; // X-Sender-Office
    MessageKind kind = MessageKind::Envelope;
    std::string sha256; // X-Content-SHA256, verified against bytes
};

struct OfficeEntry {
    std::string office;
    std::string name;
    bool enabled = false;
    std::vector<crypto::Certificate> certificates; // newest first, as the relay lists them
};

struct Health {
    std::string status;  // "ok"
    std::string storage; // "sqlite" or "postgresql"
};

// The protocol's identifier rules, checked before anything is put into a URL or header.
bool isValidMessageId(std::string_view id);        // 1–64 of [0-9A-Za-z._-]
bool isValidOfficeNumber(std::string_view number); // ten digits

} // namespace cplink::net
