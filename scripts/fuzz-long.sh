#!/usr/bin/env bash
# A fuzzing campaign: runs libFuzzer targets of a fuzz build for a long while each, from
# the corpus kept in the repository (fuzz/corpus/<name>/), and merges what they found
# back into it. Unlike scripts/fuzz-smoke.sh a finding does not stop a target: it keeps
# fuzzing to the end of its time and every crash, leak, timeout and out-of-memory input
# is kept. Exits non-zero when any target has a finding (or there is nothing to run).
#
# Usage: scripts/fuzz-long.sh BUILD_DIR [TARGET...]   (e.g. build-fuzz, made by `make fuzz`;
#                                                     TARGET: csv, mustache... default all)
#   FUZZ_SECONDS   seconds per target (default 600)
#   FUZZ_PARALLEL  targets run at the same time, one core each (default 1)
#   FUZZ_NICE      niceness of the fuzzers (default 19: a shared machine stays usable)
#   FUZZ_MERGE     1 (default): merge the new inputs into fuzz/corpus/<name>/; 0: do not
#
# Per target it prints the executions, the repository corpus after the merge (files,
# bytes, how many are new) and the findings. Work files are kept under
# BUILD_DIR/fuzz-long/<name>/: corpus/ (everything this and earlier runs found),
# artifacts/ (the findings: crash-*, leak-*, timeout-*, oom-*), run.log and merge.log.
# A finding is reproduced with `BUILD_DIR/<name>_fuzz FILE`; once fixed, copy the input
# into fuzz/corpus/<name>/ under a name saying what it was (docs/internals/fuzz.md).
set -u

build=${1:?usage: scripts/fuzz-long.sh BUILD_DIR [TARGET...]}
shift
seconds=${FUZZ_SECONDS:-600}
parallel=${FUZZ_PARALLEL:-1}
niceness=${FUZZ_NICE:-19}
merge=${FUZZ_MERGE:-1}
src=$(cd "$(dirname "$0")/.." && pwd)

for v in "FUZZ_SECONDS=$seconds" "FUZZ_PARALLEL=$parallel" "FUZZ_NICE=$niceness"; do
    case ${v#*=} in
    '' | *[!0-9]*)
        echo "fuzz-long: ${v%%=*} must be a whole number, not '${v#*=}'" >&2
        exit 2
        ;;
    esac
done
if [ "$parallel" -lt 1 ]; then
    echo "fuzz-long: FUZZ_PARALLEL must be at least 1" >&2
    exit 2
fi
if [ ! -d "$build" ]; then
    echo "fuzz-long: no build directory '$build' (build with BL_FUZZ=ON first: make fuzz)" >&2
    exit 2
fi

shopt -s nullglob
targets=()
if [ $# -eq 0 ]; then
    targets=("$build"/*_fuzz)
else
    for t in "$@"; do
        if [ ! -x "$build/${t%_fuzz}_fuzz" ]; then
            echo "fuzz-long: no fuzz target '${t%_fuzz}' in '$build'" \
                "(there are: $(cd "$build" && echo *_fuzz | sed 's/_fuzz//g'))" >&2
            exit 2
        fi
        targets+=("$build/${t%_fuzz}_fuzz")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz-long: no *_fuzz binaries in '$build'" >&2
    exit 2
fi

# The fuzz build aborts on the first UBSan report; keep leak checks on.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

# count DIR: "FILES BYTES" of the regular files in DIR.
count() {
    local files=0 bytes=0 f
    for f in "$1"/*; do
        [ -f "$f" ] || continue
        files=$((files + 1))
        bytes=$((bytes + $(stat -c %s "$f")))
    done
    echo "$files $bytes"
}

# run_one BIN: fuzz one target, merge, write its summary line to its work dir.
run_one() {
    local bin=$1 name work corpus artifacts repo log
    name=$(basename "$bin")
    name=${name%_fuzz}
    work="$build/fuzz-long/$name"
    corpus="$work/corpus"
    artifacts="$work/artifacts"
    repo="$src/fuzz/corpus/$name"
    log="$work/run.log"
    mkdir -p "$corpus" "$artifacts"
    [ "$merge" = 1 ] && mkdir -p "$repo"
    rm -f "$work/summary"
    rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* \
        "$artifacts"/slow-*
    cp -n "$repo"/* "$corpus"/ 2>/dev/null || true
    local before
    before=$(count "$repo") # "0 0" when it does not exist

    # -fork=1: the inputs run in a child process, so a crash, leak, timeout or OOM is
    # recorded (-ignore_*) and fuzzing goes on; -timeout: an input over 10 s is a hang;
    # -rss_limit_mb: over 2 GB is an OOM; -max_len: inputs up to 64 KiB, 4 KiB for olist
    # (six files in one input: at 64 KiB its kept corpus grew by 680 KB in one run).
    local maxlen=65536
    [ "$name" = olist ] && maxlen=4096
    nice -n "$niceness" "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
    local rc=$?

    if [ "$merge" = 1 ]; then
        # Only the inputs that add coverage to what the repository already has.
        nice -n "$niceness" "$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 \
            -max_len="$maxlen" "$repo" "$corpus" >"$work/merge.log" 2>&1 ||
            echo "fuzz-long: $name: merge failed; log: $work/merge.log" >&2
    fi

    # On a loaded machine a niced fuzzer can be starved past -timeout: every timeout is run
    # again alone; one that then finishes within the limit is kept as slow-*, reported
    # but not a finding (a hang does not finish).
    local t slow=0
    for t in "$artifacts"/timeout-*; do
        [ -f "$t" ] || continue
        if timeout 60 "$bin" -timeout=10 -rss_limit_mb=2048 "$t" >"$t.again" 2>&1; then
            mv "$t" "$artifacts/slow-${t##*/timeout-}"
            mv "$t.again" "$artifacts/slow-${t##*/timeout-}.again"
            slow=$((slow + 1))
        fi
    done

    # Executions: the last "#N" progress line of the fork-mode parent.
    local execs
    execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    local findings=(
        "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*)
    local after files bytes
    after=$(count "$repo")
    files=${after% *}
    bytes=${after#* }
    local status=ok
    if [ ${#findings[@]} -ne 0 ]; then
        status="${#findings[@]} finding(s)"
    elif [ $rc -ne 0 ]; then
        status="fuzzer exited with $rc"
    fi
    printf '%-14s %12s %7s %10s %5s  %s\n' "$name" "${execs:-?}" "$files" "$bytes" \
        "+$((files - ${before% *}))" "$status" >"$work/summary"
    for f in "${findings[@]}"; do
        echo "    $f" >>"$work/summary"
    done
    [ "$slow" -gt 0 ] && echo "    $slow timeout(s) not confirmed: each finished when run again" \
        "alone (starved, not hung): $artifacts/slow-*" >>"$work/summary"
    [ $rc -ne 0 ] && [ ${#findings[@]} -eq 0 ] && echo "    log: $log" >>"$work/summary"
    [ ${#findings[@]} -eq 0 ] && [ $rc -eq 0 ]
}

echo "fuzz-long: ${#targets[@]} target(s), ${seconds}s each, $parallel at a time" \
    "(about $(((${#targets[@]} + parallel - 1) / parallel * seconds / 60)) min)"
running=0
for bin in "${targets[@]}"; do
    if [ "$running" -ge "$parallel" ]; then
        wait -n
        running=$((running - 1))
    fi
    echo "fuzz-long: $(date -u +%H:%M:%S) start $(basename "$bin")"
    run_one "$bin" &
    running=$((running + 1))
done
wait

echo
printf '%-14s %12s %7s %10s %5s  %s\n' target executions corpus bytes new findings
failed=()
for bin in "${targets[@]}"; do
    name=$(basename "$bin")
    name=${name%_fuzz}
    summary="$build/fuzz-long/$name/summary"
    if [ -f "$summary" ]; then
        cat "$summary"
        head -1 "$summary" | grep -q ' ok$' || failed+=("$name")
    else
        echo "$name: no summary (interrupted?)"
        failed+=("$name")
    fi
done
total=$(du -sb "$src/fuzz/corpus" | cut -f1)
echo "fuzz-long: repository corpus $((total / 1024)) KiB in fuzz/corpus/"
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz-long: findings in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz-long: no findings"
