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
#        runtime, tzdata, and aiosmtpd (the SMTP server the outbox tests send to), Debian's
#        chromium and CJK fonts (the browser tests, tests/web/, and their zh-CN screenshots).
# Both then install the web front end's npm packages (package.json, package-lock.json,
# docs/web.md): `build` the runtime ones (ECharts, copied into the build's web/vendor/),
# `test` also playwright-core (which drives chromium; it downloads no browser). Node.js
# and npm come from Debian (nodejs, npm) when no npm is on the PATH already.
set -eu
build_pkgs="build-essential cmake pkg-config libsqlite3-dev libpq-dev libjansson-dev libcsv-dev
            libicu-dev iso-codes libsodium-dev libssl-dev zlib1g-dev libcurl4-openssl-dev
            libmicrohttpd-dev"
test_pkgs="libcmocka-dev postgresql sqlite3 clang libclang-rt-14-dev python3 tzdata
           python3-aiosmtpd chromium fonts-noto-cjk"

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
cd "$(dirname "$0")/.."

# The web front end's npm packages, when package-lock.json is newer than what is installed.
npm_packages() {
    local stamp=node_modules/.ballast-${1} full=node_modules/.ballast-test
    [ -e "$stamp" ] && [ "$stamp" -nt package-lock.json ] && return 0
    [ -e "$full" ] && [ "$full" -nt package-lock.json ] && return 0 # test's is a superset
    echo "ballast: installing the web front end's npm packages ($1)" >&2
    if [ "$1" = build ]; then
        npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2
    else
        npm ci --no-audit --no-fund --loglevel=error >&2
    fi
    touch "$stamp"
}

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
command -v npm >/dev/null || missing="$missing nodejs npm"
if [ -z "$missing" ]; then
    npm_packages "${1:-build}"
    exit 0
fi
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
npm_packages "${1:-build}"
