#!/usr/bin/env bash
# Routing throughput: one million open orders against a catalogue of a thousand
# channels with rate tables, routed by the lane index (bl_lg_route) and, side by
# side, by the obvious baseline (a linear scan of every channel's rates per
# order, bl_lg_route_naive) on a sample; prints orders per second (median of 3
# runs each) and the ratio. Single-threaded: the figures are per core.
#
# Usage: bench/route.sh [ORDERS [CHANNELS [NAIVE_ORDERS [POLICY]]]]
#   (1000000 1000 20000 cheapest; POLICY also fastest or preferred:CARRIER)
#   BUILD   build directory (default build; made with `make build`)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$src/build}
if [ ! -x "$build/route_bench" ]; then
    cmake --build "$build" --target route_bench >/dev/null
fi
echo "bench/route.sh: $(uname -m), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/route_bench" "${1:-1000000}" "${2:-1000}" "${3:-20000}" "${4:-cheapest}"
