// Envelope benchmarks (issue 3): seal + open of a typical 30 KB file, and streaming seal throughput.
// tests/bench/run_crypto.sh runs these next to `openssl speed -evp aes-256-gcm`.
#include "TestSupport.h"
#include "crypto/Envelope.h"
#include "crypto/Keys.h"
#include "crypto/TestCa.h"

#include <benchmark/benchmark.h>
#include <memory>

using namespace cplink;

namespace {

// A test network at a fixed time: a CA, a sender and an addressee with the given key type.
struct Network {
    explicit Network(const crypto::KeySpec& key)
        : clock(crypto::fromTimeT(1743465600)),
          ca(crypto::TestCa::create(dir.path() + "/ca", "Bench CA", key, clock)),
          sender(ca.issueOffice({"0300000100", "A", key, 365})),
          addressee(ca.issueOffice({"0300000005", "B", key, 365})) {
        trust.addAnchor(ca.certificate());
        options.self = &addressee;
        options.trust = &trust;
        options.clock = &clock;
    }
    test::TempDir dir;
    crypto::FixedClock clock;
    crypto::TestCa ca;
    crypto::Identity sender;
    crypto::Identity addressee;
    crypto::TrustStore trust;
    crypto::OpenOptions options;
};

const std::string& thirtyKilobytes() {
    static const std::string bytes = [] {
        std::string s;
        while (s.size() < 30 * 1024)
            s += "202407,123456,1234567890,20250325,202504,0300000100,"
                 "\"\x8d\xb2\x93\xa1\x81\x40\x88\xea\x98\x59\",250,,"
                 "20250401,,1000,1100,1,111111,,,\"\",,0300000005,\"\x82\xd0\x82\xdc\x82\xed\x82\xe8\",,0,"
                 "0300000100,\r\n";
        return s;
    }();
    return bytes;
}

void sealOpen(benchmark::State& state, const crypto::KeySpec& key) {
    Network net(key);
    const crypto::MessageIdentity identity{"BENCH", "0300000100", "0300000005", "UPPLAN.CSV"};
    for (auto _ : state) {
        const auto envelope =
            crypto::seal({thirtyKilobytes(), identity, &net.sender, {net.addressee.certificate()}});
        const auto opened = crypto::open(envelope, net.options);
        if (opened.payload.size() != thirtyKilobytes().size())
            state.SkipWithError("round trip changed the payload");
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_SealOpen30KB_EcP256(benchmark::State& state) {
    sealOpen(state, crypto::KeySpec::ec());
}
BENCHMARK(BM_SealOpen30KB_EcP256)->Unit(benchmark::kMillisecond);

void BM_SealOpen30KB_Rsa3072(benchmark::State& state) {
    sealOpen(state, crypto::KeySpec::rsa(3072));
}
BENCHMARK(BM_SealOpen30KB_Rsa3072)->Unit(benchmark::kMillisecond);

// Streaming seal of 50 MB from memory to a discarding sink: signing digest + AES-256-GCM + encoding.
void BM_SealStream50MB(benchmark::State& state) {
    Network net(crypto::KeySpec::ec());
    const std::string payload(50u << 20, 'x');
    const crypto::MessageIdentity identity{"BENCH", "0300000100", "0300000005", "BIG.CSV"};
    for (auto _ : state) {
        auto in = crypto::memoryBio(payload);
        crypto::BioPtr out(BIO_new(BIO_s_null()));
        crypto::sealStream(in.get(), out.get(), identity, net.sender, {net.addressee.certificate()});
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(payload.size()));
}
BENCHMARK(BM_SealStream50MB)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
