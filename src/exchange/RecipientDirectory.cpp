#include "exchange/RecipientDirectory.h"

#include "crypto/CertificateResolver.h"
#include "exchange/EngineContext.h"
#include "net/RelayError.h"

namespace cplink::exchange {

namespace {

constexpr store::UnixTime kCacheSeconds = 24 * 3600;
// How long a choice made in this process is reused without looking again (a `watch` runs for weeks).
constexpr store::UnixTime kChosenSeconds = 600;

std::optional<crypto::Certificate> newestValid(EngineContext& context, const std::string& office,
                                               const std::vector<crypto::Certificate>& candidates,
                                               std::string& whyNot) {
    crypto::CertificateResolver resolver(context.trust, context.policy, *context.clock);
    for (const auto& certificate : candidates)
        resolver.add(certificate);
    if (auto chosen = resolver.forEncryption(office))
        return chosen;
    for (const auto& certificate : candidates) {
        const crypto::TrustResult check = resolver.checkFor(certificate, office);
        whyNot =
            std::string(crypto::toString(check.status)) + (check.detail.empty() ? "" : ": " + check.detail);
    }
    return std::nullopt;
}

std::vector<crypto::Certificate> cachedCertificates(const store::Partner& partner) {
    std::vector<crypto::Certificate> certificates;
    for (const auto& cached : partner.certificates)
        certificates.push_back(crypto::Certificate::fromPem(cached.pem));
    return certificates;
}

store::Partner toPartner(const net::OfficeEntry& entry, store::UnixTime now) {
    store::Partner partner;
    partner.office = entry.office;
    partner.name = entry.name;
    partner.certificatesAt = now;
    for (const auto& certificate : entry.certificates) {
        partner.certificates.push_back({certificate.sha256Fingerprint(), certificate.toPem(),
                                        crypto::toTimeT(certificate.notBefore()),
                                        crypto::toTimeT(certificate.notAfter())});
    }
    return partner;
}

} // namespace

namespace {

crypto::Certificate resolve(EngineContext& context, const std::string& sender, const std::string& recipient) {
    std::string whyNot;
    const auto cached = context.store->partner(recipient);
    if (cached && !cached->certificates.empty() && context.now() - cached->certificatesAt < kCacheSeconds) {
        if (auto chosen = newestValid(context, recipient, cachedCertificates(*cached), whyNot))
            return *chosen;
    }
    try {
        const net::OfficeEntry entry = context.relay(sender).office(recipient);
        if (!entry.enabled)
            throw RecipientError(RecipientError::Reason::Unknown,
                                 "送信先 " + recipient +
                                     " はリレーで無効にされています (recipient disabled on the relay)");
        context.store->savePartner(toPartner(entry, context.now()));
        if (auto chosen = newestValid(context, recipient, entry.certificates, whyNot))
            return *chosen;
        throw RecipientError(RecipientError::Reason::NoValidCertificate,
                             "送信先 " + recipient + " に有効な証明書がありません (no valid certificate: " +
                                 whyNot + ")。相手の事業所に証明書の更新を確認してください。");
    } catch (const net::RelayError& e) {
        if (e.category() == net::RelayErrorCategory::NotFound)
            throw RecipientError(
                RecipientError::Reason::Unknown,
                "送信先 " + recipient +
                    " はリレーに登録されていません (unknown recipient)。事業所番号を確認してください。");
        if (cached && !cached->certificates.empty()) {
            if (auto chosen = newestValid(context, recipient, cachedCertificates(*cached), whyNot))
                return *chosen;
        }
        throw RecipientError(RecipientError::Reason::Unreachable,
                             "送信先 " + recipient + " の証明書を取得できません: " + e.userMessage());
    }
}

} // namespace

crypto::Certificate recipientCertificate(EngineContext& context, const std::string& sender,
                                         const std::string& recipient) {
    if (const auto chosen = context.chosenCertificates.find(recipient);
        chosen != context.chosenCertificates.end() && context.now() - chosen->second.second < kChosenSeconds)
        return chosen->second.first;
    crypto::Certificate certificate = resolve(context, sender, recipient);
    context.chosenCertificates.insert_or_assign(recipient, std::make_pair(certificate, context.now()));
    return certificate;
}

} // namespace cplink::exchange
