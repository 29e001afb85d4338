#include "OfficeNumberPolicy.h"

#include "Error.h"

#include <algorithm>
#include <regex.h>

namespace cplink::crypto {

// POSIX regex rather than std::regex: byte-wise on UTF-8, no locale, and no template code that trips
// GCC 12's -Wmaybe-uninitialized under the sanitizers.
struct OfficeNumberPolicy::CompiledRegex {
    regex_t regex{};
    explicit CompiledRegex(const std::string& pattern) {
        const int rc = ::regcomp(&regex, pattern.c_str(), REG_EXTENDED);
        if (rc != 0) {
            char message[256];
            ::regerror(rc, &regex, message, sizeof message);
            throw CryptoError(ErrorCode::Usage, "bad office number pattern: " + std::string(message));
        }
    }
    ~CompiledRegex() { ::regfree(&regex); }
    CompiledRegex(const CompiledRegex&) = delete;
    CompiledRegex& operator=(const CompiledRegex&) = delete;
};

bool isOfficeNumber(std::string_view text) {
    return text.size() == 10 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

OfficeNumberPolicy OfficeNumberPolicy::subjectRegex(const std::string& pattern) {
    OfficeNumberPolicy policy;
    policy.m_source = Source::SubjectRegex;
    policy.m_pattern = pattern;
    policy.m_regex = std::make_shared<const CompiledRegex>(pattern);
    return policy;
}

OfficeNumberPolicy OfficeNumberPolicy::parse(std::string_view config) {
    OfficeNumberPolicy policy;
    if (config == "serialNumber" || config.empty())
        return policy;
    if (config == "CN") {
        policy.m_source = Source::CommonName;
        return policy;
    }
    if (config == "OU") {
        policy.m_source = Source::OrganizationalUnit;
        return policy;
    }
    constexpr std::string_view kRegex = "regex:";
    if (config.substr(0, kRegex.size()) == kRegex)
        return subjectRegex(std::string(config.substr(kRegex.size())));
    throw CryptoError(ErrorCode::Usage, "unknown office number source '" + std::string(config) +
                                            "' (serialNumber, CN, OU or regex:PATTERN)");
}

std::string OfficeNumberPolicy::describe() const {
    switch (m_source) {
    case Source::SerialNumber:
        return "serialNumber";
    case Source::CommonName:
        return "CN";
    case Source::OrganizationalUnit:
        return "OU";
    case Source::SubjectRegex:
        return "regex:" + m_pattern;
    }
    return "serialNumber";
}

std::optional<std::string> OfficeNumberPolicy::officeNumber(const Certificate& certificate) const {
    std::vector<std::string> candidates;
    if (m_source == Source::SubjectRegex) {
        const std::string subject = certificate.subject();
        regmatch_t match[2]{};
        if (::regexec(&m_regex->regex, subject.c_str(), 2, match, 0) != 0)
            return std::nullopt;
        const regmatch_t& m = match[1].rm_so >= 0 ? match[1] : match[0];
        candidates.push_back(
            subject.substr(static_cast<std::size_t>(m.rm_so), static_cast<std::size_t>(m.rm_eo - m.rm_so)));
    } else {
        const int nid = m_source == Source::SerialNumber ? NID_serialNumber
                        : m_source == Source::CommonName ? NID_commonName
                                                         : NID_organizationalUnitName;
        candidates = certificate.subjectValues(nid);
    }
    std::optional<std::string> found;
    for (const auto& candidate : candidates) {
        if (!isOfficeNumber(candidate))
            continue;
        if (found && *found != candidate)
            return std::nullopt; // two different office numbers: ambiguous
        found = candidate;
    }
    return found;
}

std::string OfficeNumberPolicy::requireOfficeNumber(const Certificate& certificate) const {
    if (auto number = officeNumber(certificate))
        return *number;
    throw CryptoError(ErrorCode::NoOfficeNumber,
                      "no office number (" + describe() + ") in certificate " + certificate.subject());
}

} // namespace cplink::crypto
