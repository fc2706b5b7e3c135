#!/usr/bin/env bash
# The attachments benchmark (docs/BENCHMARKS.md, "Attachments"): one attachment of --size-mib
# (default 100) uploaded and downloaded through a freshly started server (SQLite, one node), with
# the client's encryption and decryption, and the same number of blob bytes raw (no client
# crypto); the server's used heap sampled every 100 ms. --runs runs (default 3) with the
# server's default heap, then --runs with a small heap (--small-heap, default -Xmx128m) to show
# that a transfer's memory on the server is bounded. Each JSON result line is preceded by a
# comment with the time and load.
#   bench/run-attachments.sh [--size-mib 100] [--runs 3] [--small-heap "-Xms64m -Xmx128m"] [--out FILE.jsonl]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
size_mib=100 runs=3 small_heap="-Xms64m -Xmx128m" out="$root/bench/results/attachments-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "size-mib runs small-heap out" "$@"
mkdir -p "$(dirname "$out")"
for heap in "-Xms512m -Xmx2g" "$small_heap"; do
  for run in $(seq 1 "$runs"); do
    echo "== attachments run $run, server $heap" >&2
    echo "# run=$run server=\"$heap\" time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
    $bench attachments --size-mib "$size_mib" --server-jvm-args "$heap" --json | tee -a "$out" || true
  done
done
echo "results in $out" >&2
