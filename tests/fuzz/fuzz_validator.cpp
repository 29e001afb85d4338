// Throws arbitrary bytes at the whole validation path: name parsing, MS932 checks, CSV splitting with
// every buffer size, field and record rules, and report rendering. Any crash, leak, hang or sanitizer
// report is a bug; findings are the expected outcome.
#include "spec/FileKind.h"
#include "spec/ReportFormat.h"
#include "spec/Validator.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

std::string nameFor(std::uint8_t selector) {
    using namespace cplink::spec;
    // Bits 0-4 pick the kind, bit 5 the V3 name form, bit 6 the plan-bound 000000 month.
    const auto kind = static_cast<FileKind>((selector & 0x1F) % kFileKindCount);
    std::string name(fileKindId(kind));
    const bool v3 = (selector & 0x20) != 0;
    if (kind == FileKind::UpHosoku)
        name += (selector & 0x40) ? "_000000" : "_202504";
    else if (kind == FileKind::UpPlan || kind == FileKind::UpJsk || kind == FileKind::UpSikyu ||
             kind == FileKind::DltPlan || kind == FileKind::DltJsk)
        name += "_202504";
    name += v3 ? "_0300000100_0300000005" : "_0300000100_43_0300000005_11";
    name += "_20250320093000";
    name += kind == FileKind::UpKihonImage ? "_0001.JPG" : ".CSV";
    return name;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    cplink::spec::ValidationOptions options;
    options.reader.chunkSize = 1 + data[1] % 97; // small, odd buffers cut records everywhere
    options.reader.maxRecordBytes = 1u << 16;
    options.perRuleLimit = 8;
    const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);
    cplink::spec::BatchReport batch;
    batch.files.push_back(cplink::spec::validateBytes(nameFor(data[0]), bytes, options));
    cplink::spec::validateUnits(batch);
    const auto json = cplink::spec::reportToJson(batch, cplink::spec::Language::Ja);
    const auto text = cplink::spec::reportToText(batch, cplink::spec::Language::En);
    return json.empty() || text.empty() ? -1 : 0;
}
