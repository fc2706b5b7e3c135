#!/usr/bin/env bash
# Relay latency against offered load for Parley and its peers (open loop, 1 KiB envelopes),
# then the plot: bench/run-sweep.sh [--rates "1000 2000 5000"] [--targets "parley socketio flask"]
#   [--pairs 50] [--warmup 15s] [--duration 10s] [--out DIR] [--plot docs/bench-relay-latency.png]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="${PARLEY_BENCH:-$root/bin/parley-bench}"  # the load generator command
rates="500 1000 2000 5000 10000 20000" targets="parley socketio flask" pairs=50 warmup=15s duration=10s
out="$root/bench/results/sweep-$(date -u +%Y%m%dT%H%M%SZ)" plot="$root/docs/bench-relay-latency.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) rates="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --plot) plot="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
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
