#!/usr/bin/env bash
# The commit linger and the checkpoints off the writer (docs/BENCHMARKS.md, "Commit linger"):
# each server configuration of --configs in turn, interleaved, for --rounds rounds, on the relay
# workload (50 pairs, 1 KiB) at 1,000 and 10,000 msgs/s offered and at its maximum, and with one
# pair in a closed loop (32 messages in flight: a client whose writes are all in the batch
# already, which a linger can only slow down), or one message at a time (one-by-one: each send
# waits for the last one's ack). Each JSON result line is preceded by a comment
# with the configuration, time and load.
#   bench/run-commit-linger.sh --configs DIR:MS[,DIR:MS...] [--rounds 2] [--scenarios 1000,10000,max,one-pair,one-by-one]
#                              [--out FILE.jsonl]
# DIR: a folder with one commit's parley-server.jar and parley-bench.jar (frozen copies); MS: the
# --commit-linger in milliseconds, or - to pass none (a build from before the option).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
configs="" rounds=2 scenarios="1000,10000,max,one-pair"
out="$root/bench/results/commit-linger-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "configs rounds scenarios out" "$@"
[ -n "$configs" ] || { echo "usage: $0 --configs DIR:MS[,DIR:MS...] [--rounds N] [--scenarios LIST] [--out FILE]" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
IFS=',' read -r -a config_list <<< "$configs"
IFS=',' read -r -a scenario_list <<< "$scenarios"
workload() {
  case "$1" in
    max) echo "relay --pairs 50 --size 1024 --warmup 15s --duration 15s" ;;
    one-pair) echo "relay --pairs 1 --size 1024 --warmup 10s --duration 10s" ;;
    one-by-one) echo "relay --pairs 1 --window 1 --size 1024 --warmup 10s --duration 10s" ;;
    *) echo "relay --rate $1 --pairs 50 --size 1024 --warmup 15s --duration 15s" ;;
  esac
}
for round in $(seq 1 "$rounds"); do
  for scenario in "${scenario_list[@]}"; do
    for config in "${config_list[@]}"; do
      jars="${config%:*}" ms="${config##*:}"
      linger=()
      [ "$ms" = "-" ] || linger=(--server-option=--commit-linger --server-option="PT$(awk "BEGIN { printf \"%.4f\", $ms / 1000 }")S")
      echo "== round $round, $(basename "$jars") linger $ms: $scenario" >&2
      echo "# build=$(basename "$jars") linger_ms=$ms round=$round time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
      # shellcheck disable=SC2046
      "$JAVA_HOME/bin/java" -jar "$jars/parley-bench.jar" $(workload "$scenario") --json --repo-root "$root" \
          --server-jar "$jars/parley-server.jar" "${linger[@]}" | tee -a "$out" || true
    done
  done
done
echo "results in $out" >&2
