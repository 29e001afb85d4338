#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cplink::spec {

// A 事業所番号: exactly ten half-width digits. The identity of an office everywhere in the product.
class OfficeNumber {
public:
    OfficeNumber() = default;
    static std::optional<OfficeNumber> parse(std::string_view text);
    bool empty() const { return m_digits.empty(); }
    const std::string& str() const { return m_digits; }
    auto operator<=>(const OfficeNumber&) const = default;

private:
    explicit OfficeNumber(std::string digits) : m_digits(std::move(digits)) {}
    std::string m_digits;
};

} // namespace cplink::spec
