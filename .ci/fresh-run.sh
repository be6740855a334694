#!/usr/bin/env bash
# `make run` on a machine where nothing was installed first: a fresh Debian (bookworm,
# mmdebstrap's apt variant: essential packages and apt, no compiler), plus make, which
# the README's first command presupposes; the clone's HEAD copied in; then `make run`,
# which must install what it needs (scripts/install-deps.sh build), build and run
# (ARGS=--no-serve: print and exit rather than serve the dashboard until Ctrl-C).
# Needs root, mmdebstrap and the network; 2.5 to 4 minutes on 2 cores (chroot about a
# minute, make run one and a half to three).
# Usage: .ci/fresh-run.sh   (the chroot is made in a temporary directory and removed)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/ballast-fresh.XXXXXX)
log="$dir.log"
cleanup() {
    umount "$dir/proc" 2>/dev/null || true
    rm -rf --one-file-system "$dir"
}
trap cleanup EXIT
t0=$(date +%s)
mmdebstrap --quiet --mode=root --variant=apt --include=ca-certificates,make bookworm "$dir" \
    "deb http://deb.debian.org/debian bookworm main" # root mode makes /dev's nodes itself
t1=$(date +%s)
mkdir -p "$dir/src/ballast"
git archive HEAD | tar -x -C "$dir/src/ballast"
cp /etc/resolv.conf "$dir/etc/resolv.conf"
# The machine's network as it is: its name servers, and the certificate authorities it
# added to Debian's (a TLS-inspecting proxy's, say), without which npm's registry, reached
# over https, is refused in the chroot (apt's mirror is plain http and signed).
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$dir/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
    chroot "$dir" update-ca-certificates >/dev/null 2>&1
fi
mount -t proc proc "$dir/proc"
if ! chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    BALLAST_SHARED=/nonexistent JOBS=2 bash -c 'cd /src/ballast && make run ARGS=--no-serve' >"$log" 2>&1; then
    tail -30 "$log"
    echo "fresh-run: make run failed on a fresh Debian (log: $log)"
    exit 1
fi
t2=$(date +%s)
rm -f "$log"
echo "fresh-run: make run works on a fresh Debian: chroot $((t1 - t0)) s, make run $((t2 - t1)) s"
