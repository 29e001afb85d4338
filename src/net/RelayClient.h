#pragma once

#include "crypto/Certificate.h"
#include "crypto/Clock.h"
#include "crypto/Crl.h"
#include "crypto/Identity.h"
#include "net/ConnectionSettings.h"
#include "net/RelayError.h"
#include "net/RelayTypes.h"
#include "net/RetryPolicy.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cplink::net {

struct RelayClientConfig {
    ConnectionSettings connection;
    // The network's trust anchors: the relay's certificate must chain to one of them (nothing else is
    // trusted, not the system's CAs), and carry the host name of connection.baseUrl.
    std::vector<crypto::Certificate> trustAnchors;
    // Optional: with CRLs, a revoked relay certificate is refused. A missing or stale CRL is not an
    // error here, so an office whose CRL ran out can still fetch a fresh one with crl().
    std::vector<crypto::Crl> crls;
    RetryPolicy retry;
    Sleeper sleeper;                      // empty: the calling thread sleeps
    const crypto::Clock* clock = nullptr; // our certificate's validity, to name an expiry; null: system
    // One line per failed attempt that is retried (metadata only: operation, category, status,
    // delay). Empty: silent. The final failure is the RelayError the call throws.
    std::function<void(std::string_view line)> log;
};

// The office's client for the relay API (docs/protocol.md "Relay API (as built)") over mutual TLS.
//
// The office identity goes into each TLS handshake from memory; the private key is never written
// anywhere. One libcurl handle per client keeps the connection to the relay open between calls, so a
// RelayClient is used from one thread at a time (make one per thread if needed; they are cheap).
//
// Every call retries transient failures (RelayError::transient()) with exponential backoff and
// jitter, honouring Retry-After, and sends the identical request each time. A call either returns
// what the relay answered or throws RelayError carrying the category, the attempts made and the
// last failure. Answers are checked: malformed JSON, a wrong hash or a foreign message id is a
// ProtocolError, never data passed on.
class RelayClient {
public:
    // Throws RelayError(Internal) for an unusable configuration (not https, no anchors).
    RelayClient(RelayClientConfig config, const crypto::Identity& identity);
    ~RelayClient();
    RelayClient(RelayClient&&) noexcept;
    RelayClient& operator=(RelayClient&&) noexcept;
    RelayClient(const RelayClient&) = delete;
    RelayClient& operator=(const RelayClient&) = delete;

    // POST /v1/messages. Idempotent: a retry of the same id and bytes gets the same receipt. `kind` is
    // Envelope or Receipt. Checks that the relay stored exactly these bytes under this id.
    UploadReceipt upload(std::string_view recipientOffice, std::string_view messageId, MessageKind kind,
                         std::string_view envelope);
    // GET /v1/inbox: pending messages for this office, oldest first; limit 1–1000.
    std::vector<InboxEntry> inbox(int limit = 1000);
    // GET /v1/messages/{id}; NotFound if it is not (or no longer) pending for us.
    DownloadedMessage download(std::string_view messageId);
    // DELETE /v1/messages/{id}, after the message is stored durably: true if acknowledged now, false if
    // the relay no longer had it (acknowledged before, e.g. by a retry whose answer was lost: harmless).
    bool acknowledge(std::string_view messageId);
    // GET /v1/offices/{number}: the directory entry and current certificates; NotFound if unknown.
    OfficeEntry office(std::string_view officeNumber);
    // GET /v1/crl: the relay's CRL as PEM, nullopt if the relay has none configured.
    std::optional<std::string> crl();
    // GET /healthz.
    Health health();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace cplink::net
