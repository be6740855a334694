#!/usr/bin/env bash
# `make run` on a machine where nothing was installed first: a fresh Debian (bookworm,
# mmdebstrap's apt variant: essential packages and apt, no compiler) with make (which
# the README's first command presupposes), in a chroot; the clone copied in, then
# `make run`, which must install what it needs, build and run.
# Needs root, mmdebstrap and the network. Usage: .ci/fresh-run.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d /tmp/ballast-fresh.XXXXXX)}
t0=$(date +%s)
cleanup() {
    for m in proc dev/pts dev sys; do umount "$dir/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
mmdebstrap --quiet --mode=root --variant=apt --include=ca-certificates,make bookworm "$dir" \
    "deb http://deb.debian.org/debian bookworm main"
t1=$(date +%s)
mkdir -p "$dir/src/ballast"
git archive HEAD | tar -x -C "$dir/src/ballast"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
mount -t proc proc "$dir/proc"
mount --bind /dev "$dir/dev"
mount --bind /dev/pts "$dir/dev/pts"
chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    BALLAST_SHARED=/nonexistent JOBS=2 bash -c 'cd /src/ballast && make run' >"$dir.log" 2>&1 || {
    tail -30 "$dir.log"
    echo "fresh-run: make run failed on a fresh Debian (log: $dir.log)"
    exit 1
}
t2=$(date +%s)
tail -5 "$dir.log"
echo "fresh-run: make run works on a fresh Debian: chroot $((t1 - t0)) s, make run $((t2 - t1)) s"
