#pragma once

#include "store/StoreTypes.h"

#include <optional>
#include <string_view>
#include <utility>

namespace cplink::store {

// [start, end) of a YYYYMM month in the machine's local time zone: the office's calendar (a Japanese
// office's PC runs on JST), which is what "created in that month" means to the people exporting it.
// None when `month` is not six digits with a month 01–12.
std::optional<std::pair<UnixTime, UnixTime>> localMonthRange(std::string_view month);

} // namespace cplink::store
