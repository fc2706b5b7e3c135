#!/usr/bin/env bash
# Parley against its peers, side by side in one run: the same relay workload (pairs, 1 KiB
# envelopes, open loop at a fixed offered rate) against a freshly started Parley, the
# socket.io relay and the Flask-SocketIO relay (bench/peers, installed by bench/peers/setup.sh),
# one after another on this machine. Prints a Markdown table with CPU-per-message ratios and
# keeps the JSON lines. A missing peer appears in the table as MISSING.
#   bench/run-comparison.sh [--rate 1000] [--pairs 50] [--warmup 15s] [--duration 15s] [--out DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
rate=1000 pairs=50 warmup=15s duration=15s out="$root/bench/results/comparison-$(date -u +%Y%m%dT%H%M%SZ)"
read_options "rate pairs warmup duration out" "$@"
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
