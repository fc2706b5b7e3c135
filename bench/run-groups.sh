#!/usr/bin/env bash
# The group benchmark (docs/BENCHMARKS.md, "Groups"): a group of --members members (the sender
# and simulated members, one device each, all logged in to a freshly started server), the same
# text sent as group messages and as pairwise fan-outs side by side: the sender's CPU and upload
# bytes per message at 10, 100 and --members members, the group and the pairwise sends at a
# sustained rate (server CPU per message, deliveries per second, time until all members have a
# message), rotations after removals, and every copy the sampled members received opened. One
# run per rate of --rates (group and pairwise messages per second alike). Each JSON result line
# is preceded by a comment with the time and load.
#   bench/run-groups.sh [--members 1000] [--rates "5 10"] [--jars DIR] [--out FILE.jsonl]
# --jars: a folder holding the parley-server.jar and parley-bench.jar of one commit (frozen
# copies, so that rebuilds cannot change what is measured); without it, bin/parley-bench (or
# PARLEY_BENCH) builds and runs the checkout's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
members=1000 rates="5 10" jars="" out="$root/bench/results/groups-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "members rates jars out" "$@"
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
for rate in $rates; do
  group="group --members $members --sizes 10,100,$members --cpu-rounds 5 --rate $rate --rounds 2 --warmup 10s \
    --duration 20s --rotations 3 --verify-members 3"
  echo "== $group" >&2
  echo "# rate=$rate time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
  # shellcheck disable=SC2086
  if [ -n "$jars" ]; then
    "$JAVA_HOME/bin/java" -jar "$jars/parley-bench.jar" $group --json --server-jar "$jars/parley-server.jar" \
        --repo-root "$root" | tee -a "$out" || true
  else
    $bench $group --json | tee -a "$out" || true
  fi
done
echo "results in $out" >&2
