#pragma once

#include "HttpTypes.h"
#include "crypto/Identity.h"
#include "crypto/OfficeNumberPolicy.h"
#include "crypto/TrustStore.h"

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>

namespace cplink::relay {

// The relay's TLS: TLS 1.2 or newer, the relay's own certificate, and a client certificate that is
// required and verified during the handshake — chain to the network's anchors, the CRL when one is
// configured, clientAuth purpose, our key policy, and an office number under the network's policy.
// A client that fails any of these never gets to speak HTTP.
std::shared_ptr<boost::asio::ssl::context> makeServerTlsContext(const crypto::Identity& server,
                                                                const crypto::TrustStore& trust,
                                                                const crypto::OfficeNumberPolicy& policy);

// The caller a verified client certificate stands for; nullopt if there is none or it has no office
// number (cannot happen after a successful handshake with the context above).
std::optional<Caller> callerOf(SSL* ssl, const crypto::OfficeNumberPolicy& policy);

} // namespace cplink::relay
