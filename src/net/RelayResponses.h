#pragma once

#include "net/HttpTransport.h"
#include "net/RelayTypes.h"

#include <stdexcept>
#include <string_view>
#include <vector>

namespace cplink::net {

// An answer with the expected status whose content is not what docs/protocol.md promises. The client
// reports it as RelayError(ProtocolError); it is never retried (the relay would answer the same).
class MalformedAnswer : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Readers of the relay's successful answers. Each throws MalformedAnswer and nothing else.
UploadReceipt parseUploadReceipt(std::string_view json);
std::vector<InboxEntry> parseInbox(std::string_view json);
OfficeEntry parseOffice(std::string_view json);
Health parseHealth(std::string_view json);
// The envelope and its headers; the body's SHA-256 must equal X-Content-SHA256.
DownloadedMessage readDownload(HttpResponse response);
// The CRL as PEM text, checked to parse as a CRL.
std::string readCrl(std::string body);

} // namespace cplink::net
