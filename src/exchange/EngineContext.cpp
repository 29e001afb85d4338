#include "exchange/EngineContext.h"

#include "crypto/Certificate.h"
#include "crypto/Crl.h"
#include "crypto/Files.h"
#include "crypto/Secret.h"

#include <filesystem>

namespace cplink::exchange {

namespace {

constexpr store::UnixTime kCrlRefreshSeconds = 600;

} // namespace

const crypto::Identity* EngineContext::identity(std::string_view office) const {
    const auto it = identities.find(office);
    return it == identities.end() ? nullptr : &it->second;
}

net::RelayClient& EngineContext::relay(const std::string& office) {
    auto it = relays.find(office);
    if (it != relays.end())
        return *it->second;
    const crypto::Identity* own = identity(office);
    if (!own)
        throw ProfileError("office " + office + " is not one of this profile's identities");
    net::RelayClientConfig config;
    config.connection.baseUrl = settings.relayUrl;
    config.trustAnchors = trust.anchors();
    config.crls = trust.crls();
    config.retry = retry;
    config.sleeper = sleeper;
    config.clock = clock;
    auto client = std::make_unique<net::RelayClient>(std::move(config), *own);
    return *relays.emplace(office, std::move(client)).first->second;
}

void EngineContext::say(const std::string& line) const {
    if (log)
        log(line);
}

void EngineContext::refreshCrl() {
    if (identities.empty() || now() - crlCheckedAt < kCrlRefreshSeconds)
        return;
    crlCheckedAt = now();
    try {
        const auto pem = relay(identities.begin()->first).crl();
        if (!pem)
            return;
        const crypto::Crl fresh = crypto::Crl::parse(*pem);
        for (const crypto::Crl& known : trust.crls()) {
            if (known.issuer() == fresh.issuer() && known.lastUpdate() >= fresh.lastUpdate())
                return;
        }
        // Only a CRL that one of our anchors signed may replace ours: try it in a copy of the store.
        crypto::TrustStore candidate;
        for (const auto& anchor : trust.anchors())
            candidate.addAnchor(anchor);
        candidate.addCrl(fresh);
        const auto check = candidate.verify(identities.begin()->second.certificate(), *clock);
        if (check.status == crypto::TrustStatus::BadSignature)
            return;
        trust.replaceCrl(fresh);
        chosenCertificates.clear();
        crypto::writeFileAtomic(profile::crlPath(profileDir), *pem, 0644);
        say("CRL updated from the relay (" + std::to_string(fresh.revokedCount()) + " revoked)");
    } catch (const std::exception& e) {
        say(std::string("CRL not refreshed: ") + e.what());
    }
}

std::unique_ptr<EngineContext> loadContext(const std::string& profileDir, const crypto::Clock& clock) {
    if (!std::filesystem::exists(profile::storePath(profileDir)))
        throw ProfileError(profileDir + ": no profile here (run `cplink --profile " + profileDir +
                           " init …`)");
    auto context = std::make_unique<EngineContext>();
    context->profileDir = profileDir;
    context->clock = &clock;
    context->store = std::make_unique<store::Store>(profile::storePath(profileDir));
    context->settings = readSettings(*context->store);
    context->policy = crypto::OfficeNumberPolicy::parse(context->settings.officeNumberFrom);
    for (const auto& anchor :
         crypto::Certificate::allFromPem(crypto::readFile(profile::anchorsPath(profileDir))))
        context->trust.addAnchor(anchor);
    if (std::filesystem::exists(profile::crlPath(profileDir)))
        context->trust.addCrl(crypto::Crl::load(profile::crlPath(profileDir)));
    const crypto::Secret password = crypto::readPasswordFile(context->settings.passwordFile);
    for (const store::OwnIdentity& own : context->store->identities()) {
        crypto::Identity identity = crypto::loadStoredIdentity(own.identityPath, password);
        for (const auto& intermediate : identity.chain())
            context->trust.addIntermediate(intermediate);
        context->identities.emplace(own.office, std::move(identity));
    }
    if (context->identities.empty())
        throw ProfileError(profileDir + ": the profile has no identity");
    return context;
}

} // namespace cplink::exchange
