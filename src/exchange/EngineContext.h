#pragma once

#include "crypto/Clock.h"
#include "crypto/Identity.h"
#include "crypto/OfficeNumberPolicy.h"
#include "crypto/TrustStore.h"
#include "exchange/Profile.h"
#include "net/RelayClient.h"
#include "store/Store.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace cplink::exchange {

// What every engine step works with: the profile's store and settings, our identities, the network's
// trust (anchors + the newest CRL), the clock, and one relay connection per own office (each office
// authenticates to the relay with its own certificate).
struct EngineContext {
    std::string profileDir;
    const crypto::Clock* clock = nullptr;
    std::unique_ptr<store::Store> store;
    ProfileSettings settings;
    crypto::OfficeNumberPolicy policy;
    crypto::TrustStore trust;
    std::map<std::string, crypto::Identity, std::less<>> identities; // by office number
    net::RetryPolicy retry;
    net::Sleeper sleeper;
    std::function<void(std::string_view)> log; // progress lines for people; may be empty
    std::map<std::string, std::unique_ptr<net::RelayClient>, std::less<>> relays;
    std::int64_t crlCheckedAt = 0;
    // Recipients' certificates chosen in this run (office → certificate, when chosen): a folder of 900
    // files to 60 offices verifies each office's chain once, not 15 times. Cleared when the CRL changes.
    std::map<std::string, std::pair<crypto::Certificate, store::UnixTime>, std::less<>> chosenCertificates;

    store::UnixTime now() const { return crypto::toTimeT(clock->now()); }
    const crypto::Identity* identity(std::string_view office) const;
    net::RelayClient& relay(const std::string& office);
    void say(const std::string& line) const;
    // Replaces the CRL in the trust store (and trust/crl.pem) if the relay has a newer one that our
    // anchors signed; at most every 10 minutes. Failures leave the current CRL in place.
    void refreshCrl();
};

// Loads the profile: settings, the password file, every identity, the trust anchors and CRL.
std::unique_ptr<EngineContext> loadContext(const std::string& profileDir, const crypto::Clock& clock);

} // namespace cplink::exchange
