#!/usr/bin/env bash
# Validation benchmarks (issue: foundation). Prints the numbers recorded in docs/benchmarks.md.
#  1. 100 MiB 第6表 予定: `cplink validate` against `iconv -f CP932 -t UTF-8` (decode only) on the same
#     file, same run: wall time, MB/s, peak RSS. Target: validate >= 2x iconv, RSS < 64 MB.
#  2. A month's batch: 900 small files (300 send units to 60 partners). Target: < 0.2 s.
#  3. The Google Benchmark micro benchmarks.
# Usage: tests/bench/run.sh [MIB]   (needs a release build: cmake --preset release && cmake --build --preset release)
set -euo pipefail
cd "$(dirname "$0")/../.."
mib="${1:-100}"
bin=build/release
cplink=$bin/src/cli/cplink
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best() { sort -n | head -n 1; }
# Runs a command 5 times; prints "best_seconds max_rss_kb".
measure() {
  local times=() rss=0
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r t m < <(tail -n 1 "$work/time")
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | best)" "$rss"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "generating ${mib} MiB 第6表 予定 ..."
file="$work/UPPLAN_202504_0300000100_43_0300000005_11_20250325100000.CSV"
$bin/tests/bench/make_bench_files usage-slip "$file" "$mib"
bytes=$(stat -c %s "$file")
# Alone, the file is an incomplete send unit (no 第7表, no 補足): that unit finding is the only one allowed.
if $cplink validate --json "$file" | grep '"rule"' | grep -qv 'unit.combination'; then
  echo "generated file does not validate"; exit 1
fi

read -r it irss < <(measure iconv -f CP932 -t UTF-8 "$file" -o /dev/null)
read -r vt vrss < <(measure "$cplink" validate "$file")
mbps() { awk -v b="$bytes" -v t="$1" 'BEGIN { printf "%.0f", b / 1e6 / t }'; }
echo "file: $bytes bytes"
echo "iconv -f CP932 -t UTF-8 (decode only): ${it} s  $(mbps "$it") MB/s  peak RSS $((irss / 1024)) MiB"
echo "cplink validate:                       ${vt} s  $(mbps "$vt") MB/s  peak RSS $((vrss / 1024)) MiB"
awk -v a="$it" -v b="$vt" 'BEGIN { printf "ratio validate/iconv speed: %.2fx\n", a / b }'

echo "generating a month (900 files) ..."
mkdir "$work/month"
$bin/tests/bench/make_bench_files month "$work/month"
echo "files: $(ls "$work/month" | wc -l), $(du -sk "$work/month" | cut -f1) KiB"
$cplink validate "$work/month" >/dev/null || { echo "month batch does not validate"; exit 1; }
read -r mt mrss < <(measure "$cplink" validate "$work/month")
echo "cplink validate month batch: ${mt} s  peak RSS $((mrss / 1024)) MiB"

echo "micro benchmarks:"
$bin/tests/bench/bench_spec --benchmark_min_time=1 2>/dev/null | grep -E '^BM_'
