#pragma once

#include "Certificate.h"
#include "Clock.h"

#include <optional>
#include <string>
#include <vector>

namespace cplink::crypto {

enum class ExpiryState { Valid, Warning, Expired, NotYetValid };

// When to start warning that a certificate runs out. The national certificates last three years and are
// renewed with an overlap; DESIGN.md §3 names reminders at 90, 30 and 7 days, the warning state itself
// starts at warnDays (default 30).
struct ExpiryPolicy {
    int warnDays = 30;
    std::vector<int> milestones{90, 30, 7};
};

struct ExpiryStatus {
    ExpiryState state = ExpiryState::Valid;
    long daysLeft = 0;
    // The smallest milestone not yet passed by daysLeft (e.g. 30 when 12 days are left), so a reminder
    // is shown once per milestone; nullopt above the largest one or when expired / not yet valid.
    std::optional<int> milestone;
    // One English line for logs and `cert show` ("expires in 12 days", "expired 3 days ago", …).
    std::string message;
};

ExpiryStatus expiryStatus(const Certificate& certificate, const Clock& clock,
                          const ExpiryPolicy& policy = {});
const char* toString(ExpiryState state);

} // namespace cplink::crypto
