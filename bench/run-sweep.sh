#!/usr/bin/env bash
# Relay latency against offered load for Parley and its peers (open loop, 1 KiB envelopes),
# then the plot: bench/run-sweep.sh [--rates "1000 2000 5000"] [--targets "parley socketio flask"]
#   [--pairs 50] [--warmup 15s] [--duration 10s] [--out DIR] [--plot docs/bench-relay-latency.png]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
rates="500 1000 2000 5000 10000 20000" targets="parley socketio flask" pairs=50 warmup=15s duration=10s
out="$root/bench/results/sweep-$(date -u +%Y%m%dT%H%M%SZ)" plot="$root/docs/bench-relay-latency.png"
read_options "rates targets pairs warmup duration out plot" "$@"
mkdir -p "$out"
results="$out/sweep.jsonl"
: > "$results"
for target in $targets; do
  for rate in $rates; do
    echo "== relay against $target at $rate msgs/s" >&2
    $bench relay --target "$target" --rate "$rate" --pairs "$pairs" --size 1024 \
        --warmup "$warmup" --duration "$duration" --json | tee -a "$results" || true
  done
done
$bench plot --output "$plot" "$results"
echo "results in $out" >&2
