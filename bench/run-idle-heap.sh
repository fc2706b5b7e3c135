#!/usr/bin/env bash
# Live heap per idle authenticated connection (docs/BENCHMARKS.md, "Idle connections"): for each
# build of --jars (a folder holding one commit's parley-server.jar and parley-bench.jar) and each
# count of --connections, `parley-bench idle` opens and holds that many logged-in connections,
# and while they are held `jcmd GC.class_histogram` (a full collection first) reads the server's
# live heap. Builds alternate within each round. One line per run:
#   build=DIR connections=N live_bytes=B errors=E rss_before_mb=R0 server_rss_mb=R1
# Per connection: (live_bytes at N - live_bytes at 1) / (N - 1), best from the largest N, since
# the idle server's own heap moves by a few MB from run to run.
#   bench/run-idle-heap.sh --jars "DIR_A DIR_B" [--connections "1 3000 19500"] [--rounds 1] [--out FILE]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
jars="" connections="1 3000 19500" rounds=1 out="$root/bench/results/idle-heap-$(date -u +%Y%m%dT%H%M%SZ).txt"
read_options "jars connections rounds out" "$@"
[ -n "$jars" ] || { echo "usage: $0 --jars \"DIR_A DIR_B\" [--connections \"1 3000\"] [--rounds N] [--out FILE]" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The server the bench started: a java process running parley-server.jar, not the bench itself.
server_pid() {
  local pid args
  for pid in $(pgrep java); do
    args="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
    case "$args" in
      *--server-jar*) ;;
      *parley-server.jar*) echo "$pid"; return ;;
    esac
  done
}

measure() { # build-dir connections round
  local dir="$1" n="$2" round="$3" settle=$((25 + $2 / 200))
  echo "== round $round, $(basename "$dir"): $n connections" >&2
  # Held for as long as it took to open them, so that the histogram falls inside the hold.
  "$JAVA_HOME/bin/java" -jar "$dir/parley-bench.jar" idle --connections "$n" --hold "${settle}s" --json \
      --repo-root "$root" --server-jar "$dir/parley-server.jar" > "$work/idle.json" &
  local bench_pid=$!
  sleep "$settle"
  local live
  live="$("$JAVA_HOME/bin/jcmd" "$(server_pid)" GC.class_histogram | tail -n1 | awk '{print $3}')"
  wait "$bench_pid"
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
