// File names come from other offices' software and from received envelopes: any string must parse
// to a kind, a set of findings, or both, without crashing.
#include "spec/FileName.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cplink::spec::FindingSink sink(4);
    const auto result =
        cplink::spec::parseFileName(std::string_view(reinterpret_cast<const char*>(data), size), sink);
    if (result.name && result.name->unitKey().empty())
        __builtin_trap();
    return 0;
}
