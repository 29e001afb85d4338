#!/usr/bin/env bash
# Relay benchmarks (DESIGN.md §5). Prints the numbers for docs/benchmarks.md and how they were made.
#  a. cplink-relay on SQLite: 64 offices in a ring, each cycling upload → inbox → download → ack over
#     its own keep-alive mTLS connection (relay_load --mode cycle), 20 KB envelopes: msgs/s, p50/p99.
#  b. the same on a throwaway PostgreSQL 15 (initdb + pg_ctl in the temp dir, stopped at the end).
#  c. reference ceiling: nginx (Debian nginx-light) with the same mTLS setup answering 201 to every
#     POST /v1/messages without storing it; relay_load --mode upload against nginx and against the
#     relay (SQLite), alternating in rounds: requests/s and the ratio relay/nginx. (wrk cannot present a
#     client certificate.)
#  d. 10,000 authenticated idle connections held on the relay (SQLite): how many stay open, its RSS.
# Usage: tests/bench/run_relay.sh [sqlite] [postgres] [upload] [nginx] [idle]   (default: the four of
#        a.–d.; `nginx` is c. without the relay) after cmake --preset release && cmake --build --preset release.
#        CPLINK_BUILD_DIR=DIR takes the binaries from DIR instead of build/release.
# Tunables (defaults as recorded): RELAY_BENCH_DURATION=20 RELAY_BENCH_CONCURRENCY=64
#   RELAY_BENCH_SIZE=20480 RELAY_BENCH_IDLE=10000 RELAY_BENCH_HOLD=20 RELAY_BENCH_CLIENT_THREADS=1
#   RELAY_BENCH_ROUNDS=3 (part c.: alternating nginx and relay runs of RELAY_BENCH_DURATION s each,
#   nginx first in odd rounds, the relay first in even ones)
#   RELAY_BENCH_RELAY_ARGS="--workers 8" (extra relay options for part c.)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CPLINK_BUILD_DIR:-build/release}
duration=${RELAY_BENCH_DURATION:-20}
concurrency=${RELAY_BENCH_CONCURRENCY:-64}
size=${RELAY_BENCH_SIZE:-20480}
idle=${RELAY_BENCH_IDLE:-10000}
hold=${RELAY_BENCH_HOLD:-20}
client_threads=${RELAY_BENCH_CLIENT_THREADS:-1}
rounds=${RELAY_BENCH_ROUNDS:-3}
parts=" ${*:-sqlite postgres upload idle} "
relay=$bin/src/relay/cplink-relay
cplink=$bin/src/cli/cplink
load=$bin/tests/bench/relay/relay_load
pgbin=/usr/lib/postgresql/15/bin

want() { [[ $parts == *" $1 "* ]]; }
die() { echo "run_relay.sh: $*" >&2; exit 2; }

for f in "$cplink" "$load"; do
    [[ -x $f ]] || die "missing $f (cmake --preset release && cmake --build --preset release)"
done
if want sqlite || want postgres || want upload || want idle; then
    [[ -x $relay ]] || die "missing $relay (cmake --build --preset release --target cplink-relay)"
fi

# --- tools: Debian packages only ---------------------------------------------------------------------
missing=()
command -v jq >/dev/null || missing+=(jq)
if want upload || want nginx; then
    [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    command -v wrk >/dev/null || missing+=(wrk)
fi
if want postgres; then [[ -x $pgbin/initdb ]] || missing+=(postgresql-15); fi
if ((${#missing[@]})); then
    sudo=""
    [[ $EUID -eq 0 ]] || sudo=sudo
    echo "installing ${missing[*]} (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- cleanup of everything started here ----------------------------------------------------------------
work=$(mktemp -d /tmp/cplink-relay-bench.XXXXXX)
chmod 711 "$work" # the PostgreSQL server runs as `postgres` below and needs to reach $work/pg
pids=()
pg_started=""
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [[ -n $pg_started ]]; then as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        [[ -z $(ss -Hltn "sport = :$port") ]] && { echo "$port"; return; }
    done
}
commands=()
record() { commands+=("$(printf '%q ' "$@")"); }
# RSS in MiB of PID from /proc/PID/status (VmRSS or VmHWM).
mem_mib() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# CPU time (user + system, clock ticks) of the PIDs that a function prints, summed.
cpu_ticks() { # FUNCTION
    local pid sum=0
    for pid in $($1); do sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
    echo "$sum"
}
watch_relay() { echo "$relay_pid"; }
watch_nginx() { pgrep -P "$nginx_pid"; } # the workers
watch_pg() { local m; m=$(head -n1 "$work/pg/data/postmaster.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; }
aux_watch="" # another set of processes whose CPU run_load reports (PostgreSQL)

# Raise the descriptor limit for the relay and the load generator (10,000 connections each).
want_fds=$((idle + 1024))
if (($(ulimit -Hn) < want_fds)); then ulimit -Hn "$want_fds" 2>/dev/null || true; fi
ulimit -Sn "$(ulimit -Hn)"
(($(ulimit -n) >= want_fds)) || echo "warning: ulimit -n is $(ulimit -n), below $want_fds: the idle run may fail"

cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
machine="$(nproc) cores, $cpu_model, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
echo "machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binaries: $bin; work dir: $work"

# --- test network: CA, server certificate, offices (PEM for nginx and relay_load) -----------------------
echo relay-bench >"$work/pw"
$cplink ca init --dir "$work/ca" --name "Relay Bench CA" >/dev/null
$cplink ca issue-server --dir "$work/ca" --host localhost --ip 127.0.0.1 --out "$work/server.p12" \
    --password-file "$work/pw" >/dev/null
openssl pkcs12 -in "$work/server.p12" -passin "file:$work/pw" -nokeys -clcerts 2>/dev/null |
    openssl x509 -out "$work/server.crt"
openssl pkcs12 -in "$work/server.p12" -passin "file:$work/pw" -nocerts -nodes 2>/dev/null |
    openssl pkey -out "$work/server.key"
offices=$concurrency
mkdir "$work/offices"
for i in $(seq "$offices"); do
    number=$(printf '03990%05d' "$i")
    $cplink ca issue --dir "$work/ca" --office "$number" --name "Bench office $i" --out "$work/offices/$number.p12" \
        --password-file "$work/pw" >/dev/null
    openssl pkcs12 -in "$work/offices/$number.p12" -passin "file:$work/pw" -nokeys -clcerts 2>/dev/null |
        openssl x509 -out "$work/offices/$number.crt"
    openssl pkcs12 -in "$work/offices/$number.p12" -passin "file:$work/pw" -nocerts -nodes 2>/dev/null |
        openssl pkey -out "$work/offices/$number.key"
    rm "$work/offices/$number.p12"
done
echo "test network: CA, server certificate (localhost, 127.0.0.1), $offices offices ($(openssl x509 \
    -in "$work/offices/0399000001.crt" -noout -text | grep -m1 'Public Key Algorithm' | sed 's/.*: //'))"

# --- relay ---------------------------------------------------------------------------------------------
relay_pid=""
relay_port=""
start_relay() { # NAME DB [extra relay options]
    local name=$1 db=$2
    shift 2
    rm -f "$work/$name.port"
    local args=(--listen 127.0.0.1:0 --port-file "$work/$name.port" --cert "$work/server.p12"
        --password-file "$work/pw" --ca "$work/ca/ca.pem" --db "$db" --rate 0 --quiet "$@")
    record "$relay" "${args[@]}"
    "$relay" "${args[@]}" 2>"$work/$name.log" &
    relay_pid=$!
    pids+=("$relay_pid")
    for _ in $(seq 300); do
        [[ -s $work/$name.port ]] && break
        kill -0 "$relay_pid" 2>/dev/null || { cat "$work/$name.log" >&2; die "relay ($name) exited at start"; }
        sleep 0.1
    done
    [[ -s $work/$name.port ]] || die "relay ($name) did not write its port file in 30 s"
    relay_port=$(cat "$work/$name.port")
    echo "relay ($name) pid $relay_pid on port $relay_port, RSS $(mem_mib "$relay_pid" VmRSS) MiB"
}
stop_relay() { # NAME
    local name=$1 rc=0
    echo "relay ($name): VmHWM $(mem_mib "$relay_pid" VmHWM) MiB; stopping"
    kill -TERM "$relay_pid"
    wait "$relay_pid" || rc=$?
    echo "relay ($name) exit status $rc; stderr: $(wc -l <"$work/$name.log") lines"
    if [[ -s $work/$name.log ]]; then
        jq -Rr 'fromjson? // {level: "raw", event: .} | "\(.level) \(.event)"' "$work/$name.log" | sort | uniq -c | sed 's/^/    /'
        tail -n 5 "$work/$name.log" | cut -c1-400 | sed 's/^/    | /'
        cp "$work/$name.log" "/tmp/run_relay.$name.log"
        echo "    (full log copied to /tmp/run_relay.$name.log)"
    fi
    relay_pid=""
}

# relay_load with its CPU time; the JSON line (the last line of its output) goes to $work/NAME.json.
# While it runs, the relay's CPU time is taken from /proc (cores used = CPU seconds / wall seconds).
run_load() { # NAME WATCH-FUNCTION relay_load options…
    local name=$1 watch=$2 rc=0 t0 t1 c0 c1 a0=0 a1=0 hz
    shift 2
    hz=$(getconf CLK_TCK)
    record "$load" "$@"
    c0=$(cpu_ticks "$watch")
    [[ -z $aux_watch ]] || a0=$(cpu_ticks "$aux_watch")
    t0=$(date +%s.%N)
    # In the background so that a signal to this script is handled at once (see the traps above).
    "$load" "$@" >"$work/$name.out" &
    local load_pid=$!
    pids+=("$load_pid")
    wait "$load_pid" || rc=$?
    t1=$(date +%s.%N)
    c1=$(cpu_ticks "$watch")
    [[ -z $aux_watch ]] || a1=$(cpu_ticks "$aux_watch")
    grep -v '^{' "$work/$name.out" || true
    grep '^{' "$work/$name.out" | tail -n1 >"$work/$name.json" || true
    [[ -s $work/$name.json ]] || die "relay_load ($name) printed no result (exit $rc)"
    local cu cs cm
    cu=$(j "$name" .client_cpu_user_s)
    cs=$(j "$name" .client_cpu_sys_s)
    cm=$(j "$name" .client_max_rss_kib)
    local server_cores client_cores
    server_cores=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
        'BEGIN { printf "%.2f", (b - a) / hz / (t1 - t0) }')
    if [[ -n $aux_watch ]]; then
        awk -v a="$a0" -v b="$a1" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
            'BEGIN { printf "%.2f", (b - a) / hz / (t1 - t0) }' >"$work/$name.aux_cores"
        echo "  CPU of $aux_label: $(cat "$work/$name.aux_cores") cores"
    fi
    client_cores=$(awk -v u="${cu:-0}" -v s="${cs:-0}" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.2f", (u + s) / (t1 - t0) }')
    cut -d' ' -f1 /proc/loadavg >"$work/$name.load"
    echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  CPU over the whole run (incl. setup): server $server_cores cores, relay_load $client_cores cores" \
        "(user ${cu:-?} s, sys ${cs:-?} s, peak RSS $((${cm:-0} / 1024)) MiB); relay_load exit status $rc"
    echo "$server_cores" >"$work/$name.server_cores"
    echo "$client_cores" >"$work/$name.client_cores"
    ((rc == 0)) || echo "  !! relay_load ($name) reported errors or non-2xx answers (exit $rc), see above"
}
j() { jq -r "$2" "$work/$1.json"; } # NAME FILTER

cycle_run() { # NAME (relay running)
    local name=$1 url="https://127.0.0.1:$relay_port"
    echo "--- $name: warm-up (every office connects once, 2 s of cycles)"
    run_load "$name-warmup" watch_relay --url "$url" --ca "$work/ca/ca.pem" --offices "$work/offices" \
        --mode cycle --concurrency "$concurrency" --duration 2 --size "$size" --threads "$client_threads" \
        --label "$name warm-up"
    echo "--- $name: cycle, $concurrency offices, $duration s"
    run_load "$name" watch_relay --url "$url" --ca "$work/ca/ca.pem" --offices "$work/offices" \
        --mode cycle --concurrency "$concurrency" --duration "$duration" --size "$size" \
        --threads "$client_threads" --label "$name"
}

# --- a. SQLite -----------------------------------------------------------------------------------------
if want sqlite; then
    echo "=== a. relay on SQLite: cycle"
    start_relay sqlite "$work/relay-cycle.db"
    cycle_run sqlite
    stop_relay sqlite
    echo "  database after the run: $(du -sh "$work"/relay-cycle.db* | awk '{ print $1, $2 }' | tr '\n' ' ')"
fi

# --- b. PostgreSQL 15 ------------------------------------------------------------------------------------
if want postgres; then
    echo "=== b. relay on PostgreSQL 15: cycle"
    [[ -x $pgbin/initdb ]] || die "no PostgreSQL 15 in $pgbin"
    mkdir -p "$work/pg"
    [[ $EUID -ne 0 ]] || chown postgres: "$work/pg"
    pgport=$(free_port)
    as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale >"$work/pg/initdb.log"
    record "$pgbin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale
    pg_started=yes
    pgopts="-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200"
    record "$pgbin/pg_ctl" -D "$work/pg/data" -o "$pgopts" -w start
    as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -o "$pgopts" -w -t 60 start >/dev/null
    as_pg "$pgbin/psql" -h "$work/pg" -p "$pgport" -U postgres -d postgres -qc 'CREATE DATABASE relay_bench'
    pgversion=$(as_pg "$pgbin/psql" -h "$work/pg" -p "$pgport" -U postgres -d relay_bench -Atc \
        "SELECT current_setting('server_version') || ', fsync ' || current_setting('fsync') || \
        ', synchronous_commit ' || current_setting('synchronous_commit') || ', shared_buffers ' || \
        current_setting('shared_buffers')")
    echo "PostgreSQL $pgversion on port $pgport"
    start_relay postgres "postgresql://postgres@127.0.0.1:$pgport/relay_bench"
    aux_watch=watch_pg aux_label="PostgreSQL (postmaster and backends)"
    cycle_run postgres
    aux_watch=""
    stop_relay postgres
    as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null
    pg_started=""
    # (pg_ctl stop -m fast logs "terminating connection due to administrator command" for backends
    # that have not yet noticed the relay's exit: that is this script, not the relay.)
    pg_errors=$(grep -E 'ERROR|FATAL|PANIC' "$work/pg/server.log" | grep -v 'due to administrator command' |
        sed -E 's/^[0-9-]+ [0-9:.]+ [A-Z]+ \[[0-9]+\] //' | sort | uniq -c | sort -rn | head -n 10 | cut -c1-300 || true)
    [[ -z $pg_errors ]] || { echo "  PostgreSQL log errors:"; echo "$pg_errors"; }
fi

# --- c. nginx reference ceiling and the relay, uploads only ---------------------------------------------
if want upload || want nginx; then
    echo "=== c. uploads only: nginx (mTLS, 201 without storing) and the relay (SQLite)"
    ngx=$work/nginx
    mkdir -p "$ngx/tmp"
    ngxport=$(free_port)
    cat >"$ngx/nginx.conf" <<EOF
worker_processes 2;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/json;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    keepalive_timeout 600s;
    keepalive_requests 100000000;
    client_max_body_size 16m;
    client_body_buffer_size 32k;
    server {
        listen 127.0.0.1:$ngxport ssl;
        ssl_certificate $work/server.crt;
        ssl_certificate_key $work/server.key;
        ssl_client_certificate $work/ca/ca.pem;
        ssl_verify_client on;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache off;
        ssl_session_tickets off;
        # "return" discards the body: nginx still receives and decrypts every byte, then drops it.
        location = /v1/messages { return 201 '{}'; }
        location = /healthz { return 200 '{"status":"ok"}'; }
        location / { return 404 '{"error":"not_found"}'; }
    }
}
EOF
    /usr/sbin/nginx -p "$ngx" -c "$ngx/nginx.conf" -t -q 2>&1 | grep -v 'could not open error log' || true
    record /usr/sbin/nginx -p "$ngx" -c "$ngx/nginx.conf" -g 'daemon off;'
    /usr/sbin/nginx -p "$ngx" -c "$ngx/nginx.conf" -g 'daemon off;' 2>>"$ngx/stderr.log" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for _ in $(seq 100); do [[ -n $(ss -Hltn "sport = :$ngxport") ]] && break; sleep 0.1; done
    [[ -n $(ss -Hltn "sport = :$ngxport") ]] || { cat "$ngx/error.log" "$ngx/stderr.log" >&2; die "nginx did not start"; }
    echo "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///') (master pid $nginx_pid) on port $ngxport"
    if wrk --help 2>&1 | grep -qiE 'cert|key'; then
        echo "wrk: has client-certificate options, but this script does not drive it"
    else
        echo "wrk: skipped: wrk $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }') has no option for a client" \
            "certificate, and both servers refuse connections without one"
    fi
    url="https://127.0.0.1:$ngxport"
    upload_load() { # NAME WATCH-FUNCTION URL SECONDS LABEL
        run_load "$1" "$2" --url "$3" --ca "$work/ca/ca.pem" --offices "$work/offices" --mode upload \
            --concurrency "$concurrency" --duration "$4" --size "$size" --threads "$client_threads" --label "$5"
    }
    upload_load nginx-warmup watch_nginx "$url" 2 "nginx warm-up"
    if want upload; then
        start_relay upload "$work/relay-upload.db" ${RELAY_BENCH_RELAY_ARGS:-}
        upload_load upload-warmup watch_relay "https://127.0.0.1:$relay_port" 2 "relay upload warm-up"
    fi
    # This machine's speed drifts by a fifth within minutes (other guests on the host), so one nginx run
    # followed by one relay run compares two different machines. Both servers stay up and the runs
    # alternate ($rounds rounds of $duration s each), the order turning every round (nginx, relay; relay,
    # nginx; …) so that a steady drift does not always favour the server measured first; the ratio is
    # taken over the sums, and per round.
    nginx_round() {
        echo "--- round $1/$rounds: nginx: upload, $concurrency connections, $duration s"
        upload_load "nginx-$1" watch_nginx "$url" "$duration" "nginx round $1"
    }
    relay_round() {
        want upload || return 0
        echo "--- round $1/$rounds: relay (SQLite): upload, $concurrency connections, $duration s"
        upload_load "upload-$1" watch_relay "https://127.0.0.1:$relay_port" "$duration" "relay upload round $1"
    }
    for round in $(seq "$rounds"); do
        if ((round % 2)); then
            nginx_round "$round"
            relay_round "$round"
        else
            relay_round "$round"
            nginx_round "$round"
        fi
    done
    kill -TERM "$nginx_pid"
    wait "$nginx_pid" || true
    [[ ! -s $ngx/error.log ]] || { echo "  nginx error.log:"; sort "$ngx/error.log" | cut -c1-300 | uniq -c | head -n 10; }
    if want upload; then stop_relay upload; fi
fi

# --- d. idle connections -------------------------------------------------------------------------------
if want idle; then
    echo "=== d. $idle idle authenticated connections held $hold s on the relay (SQLite)"
    start_relay idle "$work/relay-idle.db" --idle-timeout 600
    idle_rss0=$(mem_mib "$relay_pid" VmRSS)
    rm -f "$work/idle.ready"
    (
        # Sample the relay's RSS every second while the connections are held.
        while kill -0 "$relay_pid" 2>/dev/null && [[ ! -e $work/idle.done ]]; do
            if [[ -e $work/idle.ready ]]; then mem_mib "$relay_pid" VmRSS >>"$work/idle.rss" || true; echo >>"$work/idle.rss"; fi
            sleep 1
        done
    ) &
    sampler=$!
    pids+=("$sampler")
    run_load idle watch_relay --url "https://127.0.0.1:$relay_port" --ca "$work/ca/ca.pem" \
        --offices "$work/offices" --mode idle --concurrency "$idle" --hold "$hold" --connect-parallel 64 \
        --threads "$client_threads" --ready-file "$work/idle.ready" --label "relay idle"
    touch "$work/idle.done"
    wait "$sampler" || true
    idle_rss_max=$(awk 'NF { if ($1 > m) m = $1 } END { printf "%.1f", m }' "$work/idle.rss" 2>/dev/null || echo "?")
    idle_hwm=$(mem_mib "$relay_pid" VmHWM)
    sleep 1
    idle_rss_after=$(mem_mib "$relay_pid" VmRSS)
    echo "  relay RSS: $idle_rss0 MiB before; max $idle_rss_max MiB while held ($(grep -c . "$work/idle.rss" || true) samples);" \
        "VmHWM $idle_hwm MiB; $idle_rss_after MiB after the clients left"
    stop_relay idle
fi

# --- summary -------------------------------------------------------------------------------------------
echo
echo "================ summary ================"
echo "machine: $machine; $(uname -sr); client and servers on the same machine"
echo "relay_load: $client_threads client thread(s); $concurrency offices, one keep-alive mTLS connection each," \
    "$size-byte random envelopes, ${duration} s runs after a 2 s warm-up"
for name in sqlite postgres; do
    [[ -s $work/$name.json ]] || continue
    printf '%-9s cycle: %8s msgs/s  upload p50 %6s ms p99 %7s ms | all requests p50 %6s ms p99 %7s ms | non-2xx %s errors %s | relay %s cores, client %s cores\n' \
        "$name" "$(j "$name" .msgs_per_s)" "$(j "$name" .latency.upload.p50_ms)" "$(j "$name" .latency.upload.p99_ms)" \
        "$(j "$name" .latency.all.p50_ms)" "$(j "$name" .latency.all.p99_ms)" "$(j "$name" .non_2xx)" \
        "$(j "$name" .errors)" "$(cat "$work/$name.server_cores")" "$(cat "$work/$name.client_cores")"
    printf '%-9s        inbox p50/p99 %s/%s ms, download %s/%s ms, ack %s/%s ms; %s requests (%s req/s)\n' "" \
        "$(j "$name" .latency.inbox.p50_ms)" "$(j "$name" .latency.inbox.p99_ms)" \
        "$(j "$name" .latency.download.p50_ms)" "$(j "$name" .latency.download.p99_ms)" \
        "$(j "$name" .latency.ack.p50_ms)" "$(j "$name" .latency.ack.p99_ms)" "$(j "$name" .requests)" \
        "$(j "$name" .requests_per_s)"
done
for round in $(seq "$rounds"); do
    for name in "nginx-$round" "upload-$round"; do
        [[ -s $work/$name.json ]] || continue
        printf '%-9s upload: %8s req/s  p50 %6s ms p99 %7s ms | non-2xx %s errors %s | server %s cores, client %s cores (round %s)\n' \
            "$([[ $name == nginx-* ]] && echo nginx || echo relay)" "$(j "$name" .requests_per_s)" \
            "$(j "$name" .latency.upload.p50_ms)" "$(j "$name" .latency.upload.p99_ms)" "$(j "$name" .non_2xx)" \
            "$(j "$name" .errors)" "$(cat "$work/$name.server_cores")" "$(cat "$work/$name.client_cores")" "$round"
    done
    if [[ -s $work/nginx-$round.json && -s $work/upload-$round.json ]]; then
        echo "          ratio relay/nginx, round $round: $(jq -rn --slurpfile r "$work/upload-$round.json" \
            --slurpfile n "$work/nginx-$round.json" '($r[0].requests_per_s / $n[0].requests_per_s * 1000 | round) / 1000')"
    fi
done
if [[ -s $work/nginx-1.json && -s $work/upload-1.json ]]; then
    # Requests over the measured seconds of all rounds of one server.
    rate() { cat "$work"/"$1"-[0-9]*.json | jq -s '(map(.requests) | add) / (map(.elapsed_s) | add)'; }
    relay_rate=$(rate upload)
    nginx_rate=$(rate nginx)
    echo "ratio relay/nginx (uploads/s over all $rounds rounds): $(jq -rn --argjson r "$relay_rate" \
        --argjson n "$nginx_rate" '($r / $n * 1000 | round) / 1000') (relay $(jq -rn --argjson r "$relay_rate" \
        '$r | round')/s, nginx $(jq -rn --argjson n "$nginx_rate" '$n | round')/s)"
fi
if [[ -s $work/idle.json ]]; then
    echo "idle: $(j idle .established)/$idle established in $(j idle .setup_s) s, held $hold s: $(j idle .held_at_end) open at" \
        "the end (minimum $(j idle .held_min)), relay RSS max $idle_rss_max MiB (VmHWM $idle_hwm MiB, $idle_rss0 MiB empty)" \
        "→ $(awk -v r="$idle_rss_max" 'BEGIN { if (r + 0 < 500) print "target < 500 MB met"; else print "target < 500 MB NOT met" }')"
fi
echo "TLS: $(jq -r .tls "$(ls "$work"/*.json | head -n1)")"
echo "load average (1 min) after each measured run:$(for n in sqlite postgres nginx-1 upload-1 idle; do
    [[ -s $work/$n.load ]] && printf ' %s %s' "$n" "$(cat "$work/$n.load")"; done) (2 cores; other builds share the machine)"
echo "commands:"
for c in "${commands[@]}"; do echo "  $c"; done
[[ ! -s ${ngx:-/nonexistent}/nginx.conf ]] || { echo "nginx.conf:"; sed 's/^/  | /' "$ngx/nginx.conf"; }
echo "JSON results:"
for f in "$work"/{sqlite,postgres,nginx-[0-9]*,upload-[0-9]*,idle}.json; do [[ -s $f ]] && echo "  $(cat "$f")"; done
true
