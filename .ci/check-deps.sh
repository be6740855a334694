#!/usr/bin/env bash
# The build's dependency list must equal what `make run` installs
# (scripts/install-deps.sh --list build): every pkg-config module and library
# CMakeLists.txt asks for, resolved to the Debian package that ships it, plus the tools
# (build-essential, cmake, pkg-config). A package the build needs and the list lacks
# breaks `make run` on a fresh machine; one the list has and the build does not need
# (cmocka, say) is a test dependency in the wrong list.
set -euo pipefail
cd "$(dirname "$0")/.."

owner() { # the package shipping file $1
    local p
    p=$(dpkg -S "$1" 2>/dev/null || true)
    [ -n "$p" ] || { echo "check-deps: no Debian package ships $1" >&2; return 1; }
    echo "${p%%:*}"
}

need="build-essential cmake pkg-config"
# pkg_check_modules(PREFIX REQUIRED IMPORTED_TARGET mod...), the top CMakeLists only: the
# tests' own (cmocka) are test dependencies.
mods=$(sed -n 's/^pkg_check_modules([A-Z_]* REQUIRED IMPORTED_TARGET \(.*\))$/\1/p' CMakeLists.txt)
[ -n "$mods" ] || { echo "check-deps: no pkg_check_modules found in CMakeLists.txt" >&2; exit 1; }
for m in $mods; do
    dir=$(pkg-config --variable=pcfiledir "$m") || { echo "check-deps: pkg-config knows no $m" >&2; exit 1; }
    need="$need $(owner "$dir/$m.pc")"
done
# find_library(X NAMES name ...): the development symlink lib<name>.so
for l in $(sed -n 's/^find_library([A-Z_]* NAMES \([a-z0-9_]*\).*/\1/p' CMakeLists.txt); do
    so=$(gcc -print-file-name="lib$l.so")
    so="$(cd "$(dirname "$so")" 2>/dev/null && pwd -P)/lib$l.so" # ../../ out, the link kept
    [ -e "$so" ] || { echo "check-deps: no lib$l.so on this machine" >&2; exit 1; }
    need="$need $(owner "$so")"
done

# Data the program reads at run time: the ISO 3166 lists (src/io/formats/places.c).
for f in /usr/share/iso-codes/json/iso_3166-2.json; do
    need="$need $(owner "$f")"
done

want=$(tr ' ' '\n' <<<"$need" | sort -u)
have=$(scripts/install-deps.sh --list build | tr ' ' '\n' | sed '/^$/d' | sort -u)
if [ "$want" != "$have" ]; then
    echo "check-deps: the build's dependencies and scripts/install-deps.sh's build list differ:"
    diff <(echo "$want") <(echo "$have") | sed -n 's/^< /  the build needs, the list lacks: /p; s/^> /  the list has, the build does not need: /p'
    exit 1
fi
echo "check-deps: the build list is the build's dependencies ($(wc -w <<<"$want") packages)"
