#include "net/RelayResponses.h"

#include "crypto/Crl.h"
#include "crypto/Digest.h"
#include "crypto/Error.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace cplink::net {

namespace {

using nlohmann::json;

// Parses and reads with nlohmann's checked accessors; any type or key mistake becomes MalformedAnswer.
template <typename Read> auto readJson(std::string_view text, const char* what, Read read) {
    try {
        return read(json::parse(text));
    } catch (const json::exception& e) {
        throw MalformedAnswer(std::string(what) + ": " + e.what());
    } catch (const crypto::CryptoError& e) {
        throw MalformedAnswer(std::string(what) + ": " + e.what());
    }
}

std::string lowerHex(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return text;
}

InboxEntry inboxEntry(const json& item) {
    InboxEntry entry;
    entry.messageId = item.at("message_id").get<std::string>();
    if (!isValidMessageId(entry.messageId))
        throw MalformedAnswer("inbox: invalid message id");
    entry.from = item.at("from").get<std::string>();
    entry.kind = parseMessageKind(item.at("kind").get<std::string>());
    entry.size = item.at("size").get<std::uint64_t>();
    entry.sha256 = lowerHex(item.at("sha256").get<std::string>());
    entry.receivedAt = item.at("received_at").get<std::int64_t>();
    return entry;
}

std::string requiredHeader(const HttpResponse& response, const char* name) {
    auto value = response.header(name);
    if (!value || value->empty())
        throw MalformedAnswer(std::string("download: header ") + name + " missing");
    return std::move(*value);
}

} // namespace

UploadReceipt parseUploadReceipt(std::string_view text) {
    return readJson(text, "upload answer", [](const json& body) {
        return UploadReceipt{body.at("message_id").get<std::string>(),
                             lowerHex(body.at("sha256").get<std::string>()),
                             body.at("received_at").get<std::int64_t>()};
    });
}

std::vector<InboxEntry> parseInbox(std::string_view text) {
    return readJson(text, "inbox", [](const json& body) {
        std::vector<InboxEntry> entries;
        for (const json& item : body.at("messages"))
            entries.push_back(inboxEntry(item));
        return entries;
    });
}

OfficeEntry parseOffice(std::string_view text) {
    return readJson(text, "office", [](const json& body) {
        OfficeEntry entry;
        entry.office = body.at("office").get<std::string>();
        entry.name = body.at("name").get<std::string>();
        entry.enabled = body.at("enabled").get<bool>();
        for (const json& pem : body.at("certificates"))
            entry.certificates.push_back(crypto::Certificate::fromPem(pem.get<std::string>()));
        return entry;
    });
}

Health parseHealth(std::string_view text) {
    return readJson(text, "health", [](const json& body) {
        return Health{body.at("status").get<std::string>(), body.value("storage", std::string())};
    });
}

DownloadedMessage readDownload(HttpResponse response) {
    DownloadedMessage message;
    message.sender = requiredHeader(response, "x-sender-office");
    message.kind = parseMessageKind(response.header("x-message-kind").value_or("envelope"));
    message.sha256 = lowerHex(requiredHeader(response, "x-content-sha256"));
    const std::string actual = crypto::sha256Hex(response.body);
    if (actual != message.sha256)
        throw MalformedAnswer("download: body SHA-256 " + actual + " differs from X-Content-SHA256 " +
                              message.sha256);
    message.bytes = std::move(response.body);
    return message;
}

std::string readCrl(std::string body) {
    try {
        (void)crypto::Crl::parse(body);
    } catch (const crypto::CryptoError& e) {
        throw MalformedAnswer(std::string("crl: ") + e.what());
    }
    return body;
}

} // namespace cplink::net
