#!/usr/bin/env bash
# Live heap per idle authenticated connection (docs/BENCHMARKS.md, "Idle connections"): for each
# build of --jars (a folder holding one commit's parley-server.jar and parley-bench.jar) and each
# count of --connections, `parley-bench idle` opens and holds that many logged-in connections,
# and while they are held `jcmd GC.class_histogram` (a full collection first) reads the server's
# live heap (its total less G1's filler arrays, which are dead space). Builds alternate within each round. One line per run:
#   build=DIR connections=N live_bytes=B errors=E rss_before_mb=R0 server_rss_mb=R1
# Per connection: (live_bytes at N - live_bytes at 1) / (N - 1), best from the largest N, since
# the idle server's own heap moves by a few MB from run to run.
# --histograms DIR keeps each run's class histogram there (BUILD-N-roundR.txt). A run whose bench
# fails or whose server cannot be read is reported as failed and the others go on.
#   bench/run-idle-heap.sh --jars "DIR_A DIR_B" [--connections "1 3000 19500"] [--rounds 1] [--histograms DIR] [--out FILE]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
jars="" connections="1 3000 19500" rounds=1 histograms="" out="$root/bench/results/idle-heap-$(date -u +%Y%m%dT%H%M%SZ).txt"
read_options "jars connections rounds histograms out" "$@"
[ -n "$jars" ] || { echo "usage: $0 --jars \"DIR_A DIR_B\" [--connections \"1 3000\"] [--rounds N] [--out FILE]" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The server the bench started: its child process running parley-server.jar (not another server
# that happens to run on the machine).
server_pid() { # bench-pid
  pgrep -P "$1" -f 'parley-server\.jar' | head -n 1
}

# A run of 19,500 leaves as many sockets in TIME_WAIT for a minute; the next run's connections,
# all from 127.0.0.1 to one port, would find too few free source ports ("Address already in use").
await_time_wait() {
  local waited=0
  while [ "$(ss -tan state time-wait 2>/dev/null | wc -l)" -gt 1000 ] && [ "$waited" -lt 120 ]; do
    sleep 5
    waited=$((waited + 5))
  done
}

measure() { # build-dir connections round
  local dir="$1" n="$2" round="$3" settle=$((25 + $2 / 200))
  await_time_wait
  echo "== round $round, $(basename "$dir"): $n connections" >&2
  # Held for as long as it took to open them, so that the histogram falls inside the hold.
  "$JAVA_HOME/bin/java" -jar "$dir/parley-bench.jar" idle --connections "$n" --hold "${settle}s" --json \
      --repo-root "$root" --server-jar "$dir/parley-server.jar" > "$work/idle.json" 2> "$work/idle.err" &
  local bench_pid=$!
  sleep "$settle"
  local live pid
  pid="$(server_pid "$bench_pid")"
  if [ -z "$pid" ] || ! "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram > "$work/histogram.txt"; then
    echo "build=$(basename "$dir") round=$round connections=$n failed: no server to read the heap of" | tee -a "$out" >&2
    wait "$bench_pid" || true
    return
  fi
  # The histogram's total less G1's filler arrays: a full collection leaves regions that are
  # mostly live in place and fills their dead objects with them; they are dead space, not objects.
  live="$(awk '/^Total/ {total = $3} /jdk\.internal\.vm\.FillerElement/ {filler += $3} END {print total - filler}' "$work/histogram.txt")"
  if [ -n "$histograms" ]; then
    mkdir -p "$histograms"
    cp "$work/histogram.txt" "$histograms/$(basename "$dir")-$n-round$round.txt"
  fi
  if ! wait "$bench_pid"; then
    echo "build=$(basename "$dir") round=$round connections=$n failed: the idle bench exited with an error:" | tee -a "$out" >&2
    tail -n 20 "$work/idle.err" "$work/idle.json" >&2
    return
  fi
  local figures
  figures="$(grep -o '"errors":[0-9]*\|"rss_before_mb":[0-9.]*\|"server_rss_mb":[0-9.]*' "$work/idle.json" \
      | tr -d '"' | tr ':' '=' | tr '\n' ' ')"
  echo "build=$(basename "$dir") round=$round connections=$n live_bytes=$live $figures" | tee -a "$out"
}

read -r -a builds <<< "$jars"
echo "# time=$(date -u +%H:%M:%S) commit=$(git -C "$root" rev-parse --short HEAD) jars=\"$jars\"" >> "$out"
for round in $(seq 1 "$rounds"); do
  for n in $connections; do
    for build in "${builds[@]}"; do
      measure "$build" "$n" "$round"
    done
  done
done
echo "results in $out" >&2
