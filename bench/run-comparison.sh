#!/usr/bin/env bash
# Parley against its peers, side by side in one run: the same relay workload (pairs, 1 KiB
# envelopes, open loop at a fixed offered rate) against a freshly started Parley, the
# socket.io relay and the Flask-SocketIO relay (bench/peers, installed by bench/peers/setup.sh),
# one after another on this machine. Prints a Markdown table with CPU-per-message ratios and
# keeps the JSON lines. A missing peer appears in the table as MISSING.
#   bench/run-comparison.sh [--rate 1000] [--pairs 50] [--warmup 15s] [--duration 15s] [--out DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="${PARLEY_BENCH:-$root/bin/parley-bench}"  # the load generator command
rate=1000 pairs=50 warmup=15s duration=15s out="$root/bench/results/comparison-$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
results="$out/relay.jsonl"
: > "$results"
for target in parley socketio flask; do
  echo "== relay against $target at $rate msgs/s, $pairs pairs" >&2
  $bench relay --target "$target" --rate "$rate" --pairs "$pairs" --size 1024 \
      --warmup "$warmup" --duration "$duration" --json | tee -a "$results" || true
done
$bench table "$results" | tee "$out/table.md"
echo "results in $out" >&2
