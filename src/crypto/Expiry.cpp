#include "Expiry.h"

#include <algorithm>

namespace cplink::crypto {

namespace {

std::string days(long n) {
    return std::to_string(n) + (n == 1 ? " day" : " days");
}

} // namespace

ExpiryStatus expiryStatus(const Certificate& certificate, const Clock& clock, const ExpiryPolicy& policy) {
    ExpiryStatus status;
    const TimePoint now = clock.now();
    status.daysLeft = certificate.daysLeft(clock);
    if (now < certificate.notBefore()) {
        status.state = ExpiryState::NotYetValid;
        status.message = "not valid before " + formatUtc(certificate.notBefore());
        return status;
    }
    if (now > certificate.notAfter()) {
        status.state = ExpiryState::Expired;
        status.message =
            "expired " + days(-status.daysLeft) + " ago (" + formatUtc(certificate.notAfter()) + ")";
        return status;
    }
    std::vector<int> milestones = policy.milestones;
    std::sort(milestones.begin(), milestones.end());
    for (const int m : milestones) {
        if (status.daysLeft <= m) {
            status.milestone = m;
            break;
        }
    }
    status.state = status.daysLeft <= policy.warnDays ? ExpiryState::Warning : ExpiryState::Valid;
    status.message = (status.state == ExpiryState::Warning ? "renew soon: expires in " : "expires in ") +
                     days(status.daysLeft) + " (" + formatUtc(certificate.notAfter()) + ")";
    return status;
}

const char* toString(ExpiryState state) {
    switch (state) {
    case ExpiryState::Valid:
        return "valid";
    case ExpiryState::Warning:
        return "warning";
    case ExpiryState::Expired:
        return "expired";
    case ExpiryState::NotYetValid:
        return "not-yet-valid";
    }
    return "valid";
}

} // namespace cplink::crypto
