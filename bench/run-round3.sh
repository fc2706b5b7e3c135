#!/usr/bin/env bash
# The relay targets of round 3 (docs/BENCHMARKS.md, "Round 3"): for --rounds rounds, the relay
# (50 pairs, 1 KiB) at 1,000 msgs/s and at its maximum against each build of --jars and against
# the socket.io relay (bench/peers, installed by bench/peers/setup.sh), interleaved; then p99 at
# 10,000 msgs/s offered and connects with auth against each build. A build is a folder holding
# one commit's parley-server.jar and parley-bench.jar (frozen copies); the last build's load
# generator drives socket.io. Each JSON result line is preceded by a comment with the build,
# round, time and load.
#   bench/run-round3.sh --jars "DIR_A DIR_B" [--rounds 2] [--out FILE.jsonl]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
jars="" rounds=2 out="$root/bench/results/round3-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "jars rounds out" "$@"
[ -n "$jars" ] || { echo "usage: $0 --jars \"DIR_A DIR_B\" [--rounds N] [--out FILE]" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
read -r -a builds <<< "$jars"
peer_jars="${builds[${#builds[@]}-1]}"
echo "# time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git -C "$root" rev-parse --short HEAD) rounds=$rounds jars=\"$jars\"" >> "$out"
run() { # label bench-jar-dir arguments...
  local label="$1" dir="$2"
  shift 2
  echo "== round $round, $label: $*" >&2
  echo "# build=$label round=$round time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
  "$JAVA_HOME/bin/java" -jar "$dir/parley-bench.jar" "$@" --json --repo-root "$root" | tee -a "$out" || true
}
for round in $(seq 1 "$rounds"); do
  for rate in 1000 0; do
    relay=(relay --rate "$rate" --pairs 50 --size 1024 --warmup 15s --duration 15s)
    for build in "${builds[@]}"; do
      run "$(basename "$build")" "$build" "${relay[@]}" --server-jar "$build/parley-server.jar"
    done
    run socketio "$peer_jars" "${relay[@]}" --target socketio
  done
  for build in "${builds[@]}"; do
    run "$(basename "$build")" "$build" relay --rate 10000 --pairs 50 --size 1024 --warmup 15s --duration 15s \
        --server-jar "$build/parley-server.jar"
  done
  for build in "${builds[@]}"; do
    run "$(basename "$build")" "$build" connect --concurrency 64 --warmup 10s --duration 15s --server-jar "$build/parley-server.jar"
  done
done
echo "results in $out" >&2
