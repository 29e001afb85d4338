// In-process micro benchmarks of the spec layer (Google Benchmark). The headline numbers against
// iconv and the month batch come from tests/bench/run.sh; these catch regressions in the pieces.
#include "SampleData.h"
#include "spec/FileName.h"
#include "spec/Ms932.h"
#include "spec/Validator.h"

#include <benchmark/benchmark.h>

namespace {

const std::string& usageSlip() {
    static const std::string bytes = [] {
        std::string out;
        cplink::testdata::UsageSlipGenerator generator;
        generator.append(out, 16u << 20);
        return out;
    }();
    return bytes;
}

void BM_ValidateUsageSlip16MiB(benchmark::State& state) {
    const auto& bytes = usageSlip();
    const auto name = cplink::testdata::fileName(cplink::spec::FileKind::UpPlan, "202504");
    for (auto _ : state) {
        auto report = cplink::spec::validateBytes(name, bytes);
        if (!report.valid())
            state.SkipWithError("generated file is not valid");
        benchmark::DoNotOptimize(report);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_ValidateUsageSlip16MiB)->Unit(benchmark::kMillisecond);

void BM_Ms932Check16MiB(benchmark::State& state) {
    const auto& bytes = usageSlip();
    for (auto _ : state)
        benchmark::DoNotOptimize(cplink::spec::firstMs932Error(bytes));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_Ms932Check16MiB)->Unit(benchmark::kMillisecond);

void BM_ParseFileName(benchmark::State& state) {
    const auto name = cplink::testdata::fileName(cplink::spec::FileKind::UpSikyu, "202504");
    for (auto _ : state) {
        cplink::spec::FindingSink sink;
        benchmark::DoNotOptimize(cplink::spec::parseFileName(name, sink));
    }
}
BENCHMARK(BM_ParseFileName);

} // namespace

BENCHMARK_MAIN();
