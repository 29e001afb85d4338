#include "exchange/Evidence.h"

#include "crypto/Clock.h"
#include "crypto/Files.h"
#include "store/Store.h"

#include <nlohmann/json.hpp>

namespace cplink::exchange {

namespace {

std::string timeText(store::UnixTime t) {
    return t == 0 ? std::string() : crypto::formatUtc(crypto::fromTimeT(static_cast<std::time_t>(t)));
}

// RFC 4180 field: quoted when it holds a comma, quote or line break.
std::string csvField(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (const char c : value) {
        quoted += c;
        if (c == '"')
            quoted += '"';
    }
    return quoted + "\"";
}

const char* const kColumns[] = {"message_id", "direction",  "own_office", "peer_office",    "file_name",
                                "kind",       "month",      "send_unit",  "size",           "sha256",
                                "state",      "created_at", "relayed_at", "receipt_status", "receipt_signer",
                                "receipt_at", "updated_at", "error"};

std::vector<std::string> values(const store::MessageRecord& m) {
    return {m.messageId,
            store::toString(m.direction),
            m.ownOffice,
            m.peerOffice,
            m.fileName,
            m.kind,
            m.month,
            m.sendUnit,
            std::to_string(m.size),
            m.sha256,
            store::toString(m.state),
            timeText(m.createdAt),
            timeText(m.relayReceivedAt),
            store::toString(m.receiptStatus),
            m.receiptSigner,
            timeText(m.receiptAt),
            timeText(m.updatedAt),
            m.error};
}

} // namespace

int exportEvidence(store::Store& store, std::string_view month, const std::string& path,
                   EvidenceFormat format) {
    const auto messages = store.monthMessages(month);
    std::string out;
    if (format == EvidenceFormat::Csv) {
        out = "\xEF\xBB\xBF";
        for (std::size_t i = 0; i < std::size(kColumns); ++i)
            out += (i ? "," : "") + std::string(kColumns[i]);
        out += "\r\n";
        for (const auto& message : messages) {
            const auto row = values(message);
            for (std::size_t i = 0; i < row.size(); ++i)
                out += (i ? "," : "") + csvField(row[i]);
            out += "\r\n";
        }
    } else {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& message : messages) {
            const auto row = values(message);
            nlohmann::json object;
            for (std::size_t i = 0; i < row.size(); ++i)
                object[kColumns[i]] = row[i];
            object["size"] = message.size;
            rows.push_back(std::move(object));
        }
        out = nlohmann::json{{"month", std::string(month)}, {"messages", rows}}.dump(2) + "\n";
    }
    crypto::writeFileAtomic(path, out, 0600);
    return static_cast<int>(messages.size());
}

} // namespace cplink::exchange
