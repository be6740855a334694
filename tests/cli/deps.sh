#!/usr/bin/env bash
# The build: its dependency list equals what `make run` installs (.ci/check-deps.sh), and
# cmocka, a test dependency, is not in it.
source "$(dirname "$0")/../lib/cli.bash"
[ "$1" = postgres ] && { echo "no store involved: nothing to test on postgres"; exit 77; }
command -v dpkg >/dev/null || { echo "not a Debian machine: no package list to check"; exit 77; }
bl_setup "$1" deps
out=$("$SRC/.ci/check-deps.sh" 2>&1) && ok "check-deps: $out" || not_ok "check-deps" "$out"
build=$("$SRC/scripts/install-deps.sh" --list build)
[[ " $build " != *" libcmocka-dev "* ]] && ok "cmocka is not a build dependency" || not_ok "cmocka in the build list" "$build"
testl=$("$SRC/scripts/install-deps.sh" --list test)
[[ " $testl " == *" libcmocka-dev "* ]] && ok "... it is a test dependency" || not_ok "cmocka test dep" "$testl"
grep -q "pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)" "$SRC/tests/CMakeLists.txt" &&
    ok "CMake builds without cmocka (unit tests left out)" || not_ok "cmocka optional in CMake"
bl_done
