#pragma once

#include "Certificate.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cplink::crypto {

// Where a network's certificates carry the office number (事業所番号, ten digits). Ours put it in the
// subject serialNumber (DESIGN.md §3); the national issuer's layout is not public, so the place is
// configuration of the network, written as one of:
//   "serialNumber"      the subject serialNumber attribute (default)
//   "CN" / "OU"         that attribute, whose whole value must be the ten digits
//   "regex:PATTERN"     a POSIX extended regex over subject() ("CN=…,O=…" in RFC 2253 form); the first
//                       capture group (or the whole match if there is none) must be ten digits,
//                       e.g. "regex:CN=[^,]*\(([0-9]{10})\)"
// An attribute that appears several times with different office numbers yields none: ambiguous
// identity is no identity.
class OfficeNumberPolicy {
public:
    enum class Source { SerialNumber, CommonName, OrganizationalUnit, SubjectRegex };

    OfficeNumberPolicy() = default;
    static OfficeNumberPolicy subjectRegex(const std::string& pattern);
    // Throws CryptoError(Usage) on an unknown source or a pattern that does not compile.
    static OfficeNumberPolicy parse(std::string_view config);

    Source source() const { return m_source; }
    // The configuration string this policy was made from (round-trips through parse()).
    std::string describe() const;

    std::optional<std::string> officeNumber(const Certificate& certificate) const;
    // officeNumber() or CryptoError(NoOfficeNumber).
    std::string requireOfficeNumber(const Certificate& certificate) const;

private:
    struct CompiledRegex;
    Source m_source = Source::SerialNumber;
    std::string m_pattern;
    std::shared_ptr<const CompiledRegex> m_regex; // shared: the policy is copied into many places
};

// Exactly ten ASCII digits.
bool isOfficeNumber(std::string_view text);

} // namespace cplink::crypto
