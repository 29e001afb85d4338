#!/usr/bin/env bash
# Quick start, part 1: install, build, and run the product's main job on the bundled sample month.
# (Today that job is validation; the relay + two-office exchange arrives with the client engine.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target cplink
echo
echo "== cplink validate resources/samples =="
status=0
build/release/src/cli/cplink validate resources/samples || status=$?
echo
echo "(exit status $status: 0 = no errors, 1 = errors found, 2 = usage or I/O error)"
exit "$status"
