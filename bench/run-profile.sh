#!/usr/bin/env bash
# Where the server's CPU goes (docs/BENCHMARKS.md, "Profiles"): the relay workload (--pairs
# pairs, 1 KiB envelopes) at each rate of --rates (0: as fast as the server goes), each against
# a fresh server recorded with JFR (execution and CPU-time samples). For every rate: the JSON
# result line, with the server's CPU per message by thread family (server_threads_us_per_msg),
# appended to --out; and two flame graphs from the recording: all threads, and one tower per
# thread (bin/parley-bench flame). The recordings themselves stay in --work.
#   bench/run-profile.sh [--rates 1000,0] [--pairs 50] [--warmup 10s] [--duration 15s]
#                        [--label NAME] [--out FILE.jsonl] [--graphs DIR] [--work DIR] [--jars DIR]
# --jars: a folder with the parley-server.jar and parley-bench.jar of one commit (frozen copies).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
rates="1000,0" pairs=50 warmup=10s duration=15s label="$(git -C "$root" rev-parse --short HEAD)" jars=""
stamp="$(date -u +%Y-%m-%d)"
out="$root/bench/results/profile-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
graphs="$root/docs/benchmarks" work="${TMPDIR:-/tmp}/parley-profile"
read_options "rates pairs warmup duration label out graphs work jars" "$@"
mkdir -p "$(dirname "$out")" "$graphs" "$work"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
run_bench() {
  if [ -n "$jars" ]; then
    "$JAVA_HOME/bin/java" -jar "$jars/parley-bench.jar" "$@"
  else
    $bench "$@"
  fi
}
server_jar=()
[ -n "$jars" ] && server_jar=(--server-jar "$jars/parley-server.jar")
IFS=',' read -r -a rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  name="$( [ "$rate" = 0 ] && echo max || echo "$rate" )"
  recording="$work/$label-$name.jfr"
  rm -f "$recording"
  echo "# time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git -C "$root" rev-parse --short HEAD) label=$label rate=$name" >> "$out"
  run_bench relay --pairs "$pairs" --size 1024 --rate "$rate" --warmup "$warmup" --duration "$duration" \
      --jfr "$recording" "${server_jar[@]}" --json | tee -a "$out"
  run_bench flame --title "Parley server CPU, relay at $name msgs/s ($label)" \
      "$recording" "$graphs/$stamp-profile-$label-$name.html"
  run_bench flame --threads --title "Parley server CPU by thread, relay at $name msgs/s ($label)" \
      "$recording" "$graphs/$stamp-profile-$label-$name-threads.html"
done
echo "results in $out, flame graphs in $graphs" >&2
