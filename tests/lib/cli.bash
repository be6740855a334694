# cli.bash - helpers for the end-to-end tests of the ballast command.
# A test script: `source tests/lib/cli.bash; bl_setup "$1" name; ...checks...; bl_done`.
# $1 is the backend: sqlite (a temp file) or postgres (a fresh database on the test
# server named by BL_PG_URL_FILE, dropped at the end).
set -uo pipefail

BALLAST=${BALLAST:?BALLAST must name the ballast binary}
SRC=${BL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DATASETS=${BL_DATASETS:-$SRC/../shared/datasets}
bl_pass=0
bl_fail=0

bl_setup() {
    BACKEND=$1
    TMP=$(mktemp -d /tmp/ballast-cli.XXXXXX)
    case "$BACKEND" in
    sqlite)
        DB="$TMP/test.db"
        ;;
    postgres)
        [ -n "${BL_PG_URL_FILE:-}" ] && [ -f "$BL_PG_URL_FILE" ] || { echo "no PostgreSQL test server"; exit 77; }
        local base
        base=$(cat "$BL_PG_URL_FILE")
        PGDB="t_${2}_$$_$RANDOM"
        psql -q "$base" -c "CREATE DATABASE $PGDB" >/dev/null
        DB="${base%/*}/$PGDB"
        PGBASE=$base
        ;;
    *) echo "backend must be sqlite or postgres"; exit 2 ;;
    esac
    trap bl_cleanup EXIT
}

bl_cleanup() {
    if [ "${BACKEND:-}" = postgres ] && [ -n "${PGDB:-}" ]; then
        psql -q "$PGBASE" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP"
}

bl() { "$BALLAST" --db "$DB" "$@"; }

ok() { printf 'ok - %s\n' "$1"; bl_pass=$((bl_pass + 1)); }
not_ok() { printf 'not ok - %s\n' "$1"; shift; printf '  # %s\n' "$@"; bl_fail=$((bl_fail + 1)); }

# expect_ok NAME CMD...: exits 0.
expect_ok() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "exit $?" "$out"; fi
}

# expect_fail NAME STATUS 'substring' CMD...: exits STATUS, stderr has substring.
expect_fail() {
    local name=$1 want=$2 sub=$3; shift 3
    local err rc
    err=$("$@" 2>&1 >/dev/null); rc=$?
    if [ "$rc" != "$want" ]; then not_ok "$name" "exit $rc, wanted $want" "$err"
    elif [[ "$err" != *"$sub"* ]]; then not_ok "$name" "message lacks: $sub" "$err"
    else ok "$name"; fi
}

# expect_eq NAME WANT GOT
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "wanted: $2" "got:    $3"; fi
}

# rows TABLE: rows of TABLE for the current org, from `ballast stats`.
rows() { bl --format csv stats | awk -F, -v t="$1" '$1==t {print $2}'; }

# A fingerprint of every table's row count.
fingerprint() { bl --format csv stats | tr '\n' ' '; }

# compare_counters NAME BALLAST_CSV REFERENCE_CSV: the reference's columns, by shop.
compare_counters() {
    local diff
    diff=$(python3 - "$2" "$3" <<'EOF'
import csv, sys
bl = {r["shop"]: r for r in csv.DictReader(open(sys.argv[1]))}
ref = list(csv.DictReader(open(sys.argv[2])))
bad = []
for r in ref:
    b = bl.get(r["shop"])
    if b is None:
        bad.append(f"{r['shop']}: missing")
        continue
    for c, v in r.items():
        if b[c] != v:
            bad.append(f"{r['shop']} {c}: ballast {b[c]}, reference {v}")
print(f"{len(ref)} shops; " + ("; ".join(bad[:5]) if bad else "all equal"))
EOF
)
    if [[ "$diff" == *"all equal"* ]]; then ok "$1 ($diff)"; else not_ok "$1" "$diff"; fi
}

bl_done() {
    echo "$bl_pass passed, $bl_fail failed"
    [ "$bl_fail" = 0 ]
}
