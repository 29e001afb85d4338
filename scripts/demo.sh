#!/usr/bin/env bash
# Quick start, part 1: install, build, and run the product's main job on an embedded default: a local
# relay with a demo CA and two demo offices, the bundled sample month (resources/samples) sent from the
# care manager's office to the service office, received there with signed receipts, the actuals sent
# back, and both histories printed.
#   居宅介護支援事業所 さくら 0300000100  ⇄  訪問介護 ひまわり 0300000005
# CPLINK_DEMO_DIR=DIR keeps everything there (default: a fresh temporary folder, kept for a look).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if [[ -z ${CPLINK_DEMO_SKIP_BUILD:-} ]]; then
    scripts/install-deps.sh
    cmake --preset release >/dev/null
    cmake --build --preset release --target cplink cplink-relay
fi
bin=${CPLINK_BUILD_DIR:-$repo/build/release}
cplink=$bin/src/cli/cplink
relay=$bin/src/relay/cplink-relay
demo=${CPLINK_DEMO_DIR:-$(mktemp -d /tmp/cplink-demo.XXXXXX)}
mkdir -p "$demo"
cd "$demo"
relay_pid=""
trap '[[ -n $relay_pid ]] && kill -TERM "$relay_pid" 2>/dev/null; wait 2>/dev/null || true' EXIT

step() { echo; echo "== $*"; }

step "demo network in $demo: CA, relay certificate, two offices"
umask 077
echo "demo-password" >pw
"$cplink" ca init --dir ca --name "CarePlan Link Demo CA"
"$cplink" ca issue-server --dir ca --host localhost --ip 127.0.0.1 --out relay.p12 --password-file pw
"$cplink" ca issue --dir ca --office 0300000100 --name "居宅介護支援事業所さくら" --out sakura.p12 --password-file pw
"$cplink" ca issue --dir ca --office 0300000005 --name "訪問介護ひまわり" --out himawari.p12 --password-file pw
"$cplink" ca crl --dir ca --out crl.pem

step "relay on 127.0.0.1 (SQLite relay.db)"
rm -f relay.port
"$relay" --listen 127.0.0.1:0 --port-file relay.port --cert relay.p12 --password-file pw --ca ca/ca.pem \
    --crl crl.pem --db relay.db --quiet 2>relay.log &
relay_pid=$!
for _ in $(seq 100); do [[ -s relay.port ]] && break; sleep 0.1; done
[[ -s relay.port ]] || { cat relay.log; echo "relay did not start" >&2; exit 2; }
url="https://127.0.0.1:$(cat relay.port)"
echo "relay $url (pid $relay_pid)"

step "profiles (cplink init)"
"$cplink" --profile sakura init --relay "$url" --identity sakura.p12 --password-file pw --trust ca/ca.pem \
    --crl crl.pem --import-dir sakura-import
"$cplink" --profile himawari init --relay "$url" --identity himawari.p12 --password-file pw --trust ca/ca.pem \
    --crl crl.pem --import-dir himawari-import
# The relay learns an office from its first authenticated connection: ひまわり checks its (empty) inbox.
"$cplink" --profile himawari receive --once >/dev/null

step "さくら sends the month's plan, usage slips and delete (cplink send)"
"$cplink" --profile sakura send "$repo"/resources/samples/*_0300000100_43_0300000005_11_*.CSV

step "ひまわり receives them into its import folder and returns signed receipts (cplink receive --once)"
"$cplink" --profile himawari receive --once

step "ひまわり sends the actuals back"
"$cplink" --profile himawari send "$repo"/resources/samples/UPJSK_*_0300000005_11_0300000100_43_*.CSV

step "さくら receives the actuals and the receipts for its files"
"$cplink" --profile sakura receive --once
"$cplink" --profile himawari receive --once

step "byte-for-byte check of every file that arrived"
status=0
for f in himawari-import/*.CSV sakura-import/*.CSV; do
    if cmp -s "$f" "$repo/resources/samples/$(basename "$f")"; then echo "identical  $f"; else echo "DIFFERENT  $f"; status=1; fi
done

step "history of さくら (cplink history)"
"$cplink" --profile sakura history --asc
step "history of ひまわり"
"$cplink" --profile himawari history --asc
echo
echo "Everything is in $demo (profiles, import folders, relay.db, relay.log)."
exit "$status"
