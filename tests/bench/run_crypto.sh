#!/usr/bin/env bash
# Envelope benchmarks (issue 3). Prints the numbers recorded in docs/benchmarks.md.
#  1. seal + open of a typical 30 KB file (EC P-256 and RSA-3072), ops/s — Google Benchmark.
#  2. streaming seal throughput on 50 MB, as a ratio to `openssl speed -evp aes-256-gcm` (16 KiB
#     blocks) in the same run; `openssl speed -evp sha256` for reference (the signature digests
#     every byte too).
#  3. peak RSS of `cplink seal` and `cplink open` on a 50 MB file.
# Usage: tests/bench/run_crypto.sh   (after cmake --preset release && cmake --build --preset release)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
$bin/tests/bench/bench_crypto --benchmark_min_time=2 2>/dev/null | grep -E '^BM_'
gcm=$(openssl speed -evp aes-256-gcm -bytes 16384 -seconds 3 2>/dev/null | awk '/^AES-256-GCM/ {print $2}' | tr -d k)
sha=$(openssl speed -evp sha256 -bytes 16384 -seconds 3 2>/dev/null | awk '/^sha256/ {print $2}' | tr -d k)
echo "openssl speed -evp aes-256-gcm (16 KiB): $(awk -v k="$gcm" 'BEGIN { printf "%.0f", k * 1000 / 1e6 }') MB/s"
echo "openssl speed -evp sha256 (16 KiB):      $(awk -v k="$sha" 'BEGIN { printf "%.0f", k * 1000 / 1e6 }') MB/s"

cplink=$bin/src/cli/cplink
echo secret >"$work/pw"
$cplink ca init --dir "$work/ca" --name "Bench CA" >/dev/null
$cplink ca issue --dir "$work/ca" --office 0300000100 --name A --out "$work/a.p12" --password-file "$work/pw" >/dev/null
$cplink ca issue --dir "$work/ca" --office 0300000005 --name B --out "$work/b.p12" --password-file "$work/pw" >/dev/null
openssl pkcs12 -in "$work/b.p12" -passin "file:$work/pw" -nokeys -clcerts 2>/dev/null | openssl x509 -out "$work/b.pem"
head -c 52428800 /dev/urandom >"$work/big.CSV"
/usr/bin/time -f "cplink seal 50 MB: %e s, peak RSS %M KB" $cplink seal --identity "$work/a.p12" \
  --password-file "$work/pw" --to "$work/b.pem" "$work/big.CSV" "$work/env.der" >/dev/null
/usr/bin/time -f "cplink open 50 MB: %e s, peak RSS %M KB" $cplink open --identity "$work/b.p12" \
  --password-file "$work/pw" --trust "$work/ca/ca.pem" "$work/env.der" "$work/out.CSV" >/dev/null
cmp "$work/big.CSV" "$work/out.CSV" && echo "round trip: identical"
