#!/usr/bin/env bash
# Installs the Debian packages Ballast needs, only those missing.
# Usage: scripts/install-deps.sh [build|test]     install (default: build)
#        scripts/install-deps.sh --list build|test print the list, one line
#
# build: what `make run` needs to build the program: the compiler, CMake, pkg-config and
#        the libraries CMakeLists.txt asks for, nothing more (.ci/check-deps.sh checks
#        that this list and the build's dependencies are the same).
# test:  build, plus what only the tests need: cmocka (the unit tests; without it CMake
#        leaves them out), PostgreSQL server, the sqlite3 CLI, clang and its fuzzer
#        runtime, tzdata, and aiosmtpd (the SMTP server the outbox tests send to).
set -eu
build_pkgs="build-essential cmake pkg-config libsqlite3-dev libpq-dev libjansson-dev libcsv-dev
            libicu-dev iso-codes libsodium-dev libssl-dev zlib1g-dev libcurl4-openssl-dev
            libmicrohttpd-dev"
test_pkgs="libcmocka-dev postgresql sqlite3 clang libclang-rt-14-dev python3 tzdata
           python3-aiosmtpd"

if [ "${1:-}" = --list ]; then
    case "${2:-build}" in
    build) echo $build_pkgs ;;
    test) echo $build_pkgs $test_pkgs ;;
    *) echo "usage: $0 --list build|test" >&2; exit 2 ;;
    esac
    exit 0
fi
want=$build_pkgs
case "${1:-build}" in
build) ;;
test) want="$build_pkgs $test_pkgs" ;;
*) echo "usage: $0 [build|test] | --list build|test" >&2; exit 2 ;;
esac
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
