#!/usr/bin/env bash
# Client engine benchmark (docs/benchmarks.md "Client engine: a care manager's month"). Prints the numbers
# for docs/benchmarks.md and how they were made.
#  One care manager's month through the real engine (src/exchange) and a real cplink-relay on SQLite, all
#  on this machine: 300 usage-slip send units (UPPLAN + UPSIKYU + UPHOSOKU = 900 files) to 60 partner
#  offices. Phases, each timed: (1) plan (validate), (2) queue (directory lookups, seal, commit),
#  (3) sendPending (upload), (4) every partner's receive (download, verify, save, receipt, acknowledge),
#  (5) the care manager's receive (900 receipts → delivered). Target: (1)+(2)+(3)+(4) < 10 s.
#  bench_month checks afterwards that every file arrived byte-identical and every message is delivered.
# Usage: tests/bench/run_exchange.sh   after cmake --preset release && cmake --build --preset release
#        (or --target bench_month cplink-relay). CPLINK_BUILD_DIR=DIR takes the binaries from DIR
#        instead of build/release.
# Tunables (defaults as recorded): EXCHANGE_BENCH_RUNS=3 EXCHANGE_BENCH_UNITS=300 EXCHANGE_BENCH_PARTNERS=60
#   EXCHANGE_BENCH_TMP=/tmp (where the fresh work directories go: the profiles' and the relay's SQLite
#   files are there, so its disk is part of the result).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CPLINK_BUILD_DIR:-build/release}
runs=${EXCHANGE_BENCH_RUNS:-3}
units=${EXCHANGE_BENCH_UNITS:-300}
partners=${EXCHANGE_BENCH_PARTNERS:-60}
tmp=${EXCHANGE_BENCH_TMP:-/tmp}
relay=$bin/src/relay/cplink-relay
bench=$bin/tests/bench/exchange/bench_month

die() { echo "run_exchange.sh: $*" >&2; exit 2; }

[[ -x $bench ]] || die "missing $bench (cmake --build --preset release --target bench_month)"
[[ -x $relay ]] || die "missing $relay (cmake --build --preset release --target cplink-relay)"
command -v jq >/dev/null || die "jq is needed for the summary (apt-get install jq)"

# --- cleanup of everything started here ----------------------------------------------------------------
# bench_month stops its relay itself (also on errors); this covers an interrupted script.
work=$(mktemp -d "$tmp/cplink-exchange-bench.XXXXXX")
bench_pid=""
cleanup() {
    if [[ -n $bench_pid ]]; then
        kill -TERM "$bench_pid" 2>/dev/null || true
        wait "$bench_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- machine -------------------------------------------------------------------------------------------
lscpu_field() { lscpu | sed -n "s/^$1:[[:space:]]*//p" | head -n1; }
cpu_model=$(lscpu_field 'Model name')
cores=$(($(lscpu_field 'Core(s) per socket') * $(lscpu_field 'Socket(s)')))
tmp_source=$(findmnt -no SOURCE -T "$tmp")
tmp_fs=$(findmnt -no FSTYPE -T "$tmp")
tmp_disk=$(lsblk -dno NAME,ROTA,SIZE "$tmp_source" 2>/dev/null | awk '{ printf "%s, ROTA %s, %s", $1, $2, $3 }' || true)
hypervisor=$(lscpu_field 'Hypervisor vendor')
machine="$cpu_model${hypervisor:+ ($hypervisor guest)},"
machine+=" $cores cores, nproc $(nproc), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
kernel=$(uname -sr)
disk="$tmp: $tmp_fs on $tmp_source${tmp_disk:+ ($tmp_disk)}"
echo "machine: $machine"
echo "kernel: $kernel; $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "disk: $disk"
# Every engine step is a durable SQLite commit (synchronous=FULL) and every received file is fsynced
# with its directory, so the disk's flush latency is part of the result: measured before each run.
dsync_probe() {
    local seconds
    seconds=$(dd if=/dev/zero of="$work/dsync-probe" bs=4k count=500 oflag=dsync 2>&1 |
        awk -F', ' '/copied/ { sub(/ s$/, "", $3); print $3 }')
    rm -f "$work/dsync-probe"
    awk -v s="${seconds:-0}" 'BEGIN { printf "%.2f ms per 4 KiB O_DSYNC write (500 writes)", s / 500 * 1000 }'
}
echo "binaries: $bin; work dirs under $work"
echo "disk flush latency of $tmp: $(dsync_probe)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- runs ----------------------------------------------------------------------------------------------
command_line="$bench --relay-exe $relay --work DIR --units $units --partners $partners"
failed=0
for run in $(seq "$runs"); do
    dir=$work/run-$run
    echo
    echo "=== run $run of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg); $(dsync_probe))"
    rc=0
    # In the background so that a signal to this script reaches the trap at once.
    "$bench" --relay-exe "$relay" --work "$dir" --units "$units" --partners "$partners" >"$work/run-$run.out" &
    bench_pid=$!
    wait "$bench_pid" || rc=$?
    bench_pid=""
    grep -v '^{' "$work/run-$run.out" || true
    grep '^{' "$work/run-$run.out" | tail -n1 >"$work/run-$run.json" || true
    if ((rc != 0)) || [[ ! -s $work/run-$run.json ]]; then
        echo "  !! bench_month exit status $rc"
        [[ -s $dir/relay.log ]] && { echo "  relay log (last lines):"; tail -n 5 "$dir/relay.log" | cut -c1-300 | sed 's/^/    | /'; }
        failed=1
    fi
    echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    # Each run starts from nothing: new CA, relay database, profiles and files.
    rm -rf "$dir"
done

# --- summary -------------------------------------------------------------------------------------------
echo
echo "================ summary ================"
echo "machine: $machine; $kernel; $disk"
echo "command (DIR a fresh directory per run): $command_line"
echo "$units send units, $partners partners; seconds per phase (files/s of the phase):"
printf '%-4s %6s %15s %15s %15s %15s %15s | %10s %10s %s\n' run files "(1) plan" "(2) queue" "(3) send" \
    "(4) partners" "(5) receipts" "(1)-(4)" "(1)-(5)" "checks"
for run in $(seq "$runs"); do
    f=$work/run-$run.json
    [[ -s $f ]] || { printf '%-4s  no result\n' "$run"; continue; }
    jq -r --arg run "$run" '
        def cell($k): "\(.seconds[$k] * 1000 | round / 1000) (\(.files_per_s[$k] | round))";
        [$run, (.files | tostring), cell("plan"), cell("queue"), cell("send"), cell("partners_receive"),
         cell("manager_receive"), (.seconds.end_to_end * 1000 | round / 1000 | tostring),
         (.seconds.total * 1000 | round / 1000 | tostring),
         (if .checks_passed then "passed" else "FAILED" end)] | @tsv' "$f" |
        awk -F'\t' '{ printf "%-4s %6s %15s %15s %15s %15s %15s | %10s %10s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
done
results=$(cat "$work"/run-*.json 2>/dev/null || true)
if [[ -n $results ]]; then
    echo "$results" | jq -rs '
        (map(.seconds.end_to_end) | sort) as $e |
        "end to end (1)+(2)+(3)+(4): best \($e[0] * 1000 | round / 1000) s, median \($e[length / 2 | floor] * 1000 | round / 1000) s, worst \($e[-1] * 1000 | round / 1000) s → target < \(.[0].target_s) s: \(if all(.target_met) then "met in every run" elif any(.target_met) then "met in some runs only" else "NOT met" end)"'
    echo "CPU seconds per phase (engines = this process, relay = cplink-relay):"
    echo "$results" | jq -rs 'to_entries[] | "  run \(.key + 1): " + ([.value.cpu_seconds as $c |
        ("plan", "queue", "send", "partners_receive", "manager_receive") |
        "\(.) \($c[.].engines * 100 | round / 100)/\($c[.].relay * 100 | round / 100)"] | join(", "))'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; other work may share the machine)"
echo "JSON results:"
for f in "$work"/run-*.json; do [[ -s $f ]] && echo "  $(cat "$f")"; done
exit "$failed"
