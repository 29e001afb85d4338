#include "OfficeNumber.h"

#include "TextRules.h"

namespace cplink::spec {

std::optional<OfficeNumber> OfficeNumber::parse(std::string_view text) {
    if (text.size() != 10 || !allDigits(text))
        return std::nullopt;
    return OfficeNumber(std::string(text));
}

} // namespace cplink::spec
