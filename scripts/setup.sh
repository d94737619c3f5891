#!/usr/bin/env bash
# setup.sh - installs what trailtrim needs from Debian's packages (when it is
# missing) and builds it. Usage: scripts/setup.sh [BUILD_DIR] [cmake args...]
# Debian 12 package names; run as root or with sudo available.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
shift || true

# The build's libraries (zlib, libdeflate, libarchive, OpenSSL's libcrypto;
# Debian's SQLite for a -DTT_SQLITE=system build, the default builds
# third_party/sqlite in), the build tools, and what the tests and benchmark call
# (sqlite3 shell, jq, flock from util-linux, GNU time; openssl signs the
# verify fixtures, python3 crafts hostile archives, clang builds the fuzzers;
# script from bsdutils runs trailtrim on a pseudo-terminal, groff checks the
# man page, bash-completion's tests need bash). libcurl is the ClickHouse
# backend's HTTP client; clickhouse-server (and curl) run the tests' local
# two-shard cluster.
pkgs=(build-essential cmake pkg-config zlib1g-dev libdeflate-dev libarchive-dev libcurl4-openssl-dev
      libsqlite3-dev libssl-dev sqlite3 jq util-linux bsdutils time gzip tar zip unzip
      openssl python3 clang groff-base clickhouse-server curl)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
