#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a short while: a smoke test, not a
# fuzzing campaign. Exits non-zero when any target finds a crash, leak, timeout or
# sanitizer report, or when there is nothing to run.
#
# Usage: scripts/fuzz-smoke.sh BUILD_DIR        (e.g. build-fuzz, made by `make fuzz`)
#   FUZZ_SECONDS  seconds per target (default 10)
#
# Each target <name>_fuzz keeps its corpus in BUILD_DIR/fuzz-corpus/<name>/, seeded from
# fuzz/corpus/<name>/ when that exists, so later runs start from what earlier runs
# found. Crash inputs land in BUILD_DIR/fuzz-artifacts/<name>/.
set -u

build=${1:?usage: scripts/fuzz-smoke.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-10}
src=$(cd "$(dirname "$0")/.." && pwd)

case $seconds in
'' | *[!0-9]*)
    echo "fuzz-smoke: FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" >&2
    exit 2
    ;;
esac
if [ ! -d "$build" ]; then
    echo "fuzz-smoke: no build directory '$build' (build with BL_FUZZ=ON first: make fuzz)" >&2
    exit 2
fi

shopt -s nullglob
targets=("$build"/*_fuzz)
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz-smoke: no *_fuzz binaries in '$build'" >&2
    exit 2
fi

# The fuzz build lets UBSan recover; make every report fatal, and keep leak checks on.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

failed=()
for bin in "${targets[@]}"; do
    [ -x "$bin" ] || continue
    base=$(basename "$bin")
    name=${base%_fuzz}
    corpus="$build/fuzz-corpus/$name"
    artifacts="$build/fuzz-artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    if [ -d "$src/fuzz/corpus/$name" ]; then
        cp -n "$src/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
    fi
    echo "fuzz-smoke: $base for ${seconds}s (corpus $corpus)"
    log="$artifacts/last-run.log"
    # -timeout: one input taking longer than 10 s counts as a finding (a hang).
    if "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 &&
        ! grep -q 'runtime error:' "$log"; then
        grep -E '^stat::number_of_executed_units' "$log" | sed 's/^/    /'
    else
        echo "fuzz-smoke: $base FAILED; log: $log" >&2
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -20 >&2
        failed+=("$base")
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz-smoke: findings in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz-smoke: ${#targets[@]} target(s), no findings"
