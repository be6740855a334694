#!/usr/bin/env bash
# Installs the Debian packages Ballast needs, only those missing.
# Usage: scripts/install-deps.sh [build|test]   (test adds PostgreSQL server, sqlite3 CLI, clang,
# and aiosmtpd, the SMTP server the outbox tests send to)
set -eu
want="build-essential cmake pkg-config libsqlite3-dev libpq-dev libjansson-dev libcsv-dev
      libicu-dev iso-codes libsodium-dev libssl-dev zlib1g-dev libcurl4-openssl-dev libmicrohttpd-dev
      libcmocka-dev"
if [ "${1:-build}" = test ]; then
    want="$want libcmocka-dev postgresql sqlite3 clang libclang-rt-14-dev python3 tzdata
          python3-aiosmtpd"
fi
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "ballast: installing Debian packages:$missing" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "ballast: need root or sudo to install:$missing" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; a stale one may miss versions.
$sudo apt-get update -qq || true
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
