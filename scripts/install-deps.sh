#!/usr/bin/env bash
# Installs the Debian 12 packages CarePlan Link builds and tests with (run as root).
# Only what the project uses; see ../docs/architecture.md for what each one is for.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config ccache
  libicu-dev nlohmann-json3-dev libcli11-dev
  libssl-dev openssl
  libboost-dev libsqlite3-dev libpq-dev postgresql libcurl4-openssl-dev curl
  python3
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  time
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
