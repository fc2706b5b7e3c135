#!/usr/bin/env bash
# Server CPU per message and delivery latency as accounts have more devices: the relay at a
# fixed rate, each message to every device of the receiving account plus a transcript to the
# sender's other devices, for 1, 2, 3 and 6 devices per account (build B), next to the
# single-device relay of build A (a build from before linked devices), interleaved, for
# --rounds rounds. A build is a folder holding the parley-server.jar and parley-bench.jar of
# one commit (as for run-before-after.sh). Each JSON result line is preceded by a comment with
# the build, time and load.
#   bench/run-devices.sh --a DIR --b DIR [--rounds 2] [--rate 500] [--pairs 20] [--out FILE.jsonl]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
a="" b="" rounds=2 rate=500 pairs=20 out="$root/bench/results/devices-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "a b rounds rate pairs out" "$@"
[ -n "$a" ] && [ -n "$b" ] || { echo "usage: $0 --a DIR --b DIR [--rounds N] [--rate R] [--pairs P] [--out FILE]" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
relay="relay --rate $rate --pairs $pairs --size 1024 --warmup 10s --duration 15s"
run() { # build, extra options
  local build="$1"; shift
  echo "== round $round, $(basename "$build"): $relay $*" >&2
  echo "# build=$(basename "$build") round=$round time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" -jar "$build/parley-bench.jar" $relay "$@" --json \
      --server-jar "$build/parley-server.jar" --repo-root "$root" | tee -a "$out" || true
}
for round in $(seq 1 "$rounds"); do
  run "$a"
  for devices in 1 2 3 6; do
    run "$b" --devices "$devices"
  done
done
echo "results in $out" >&2
