#!/usr/bin/env bash
# Two builds of Parley side by side in one run: the relay at 1,000 msgs/s, the relay's maximum,
# connects with auth and the drain of an offline queue, each against build A then build B,
# interleaved, for --rounds rounds. A build is a folder holding the parley-server.jar and
# parley-bench.jar of one commit (frozen copies, so rebuilds cannot change what is measured);
# each build's own load generator drives its own server, with the limits that build knows how
# to lift. Each JSON result line is preceded by a comment with the build, time and load.
#   bench/run-before-after.sh --a DIR --b DIR [--rounds 2] [--out FILE.jsonl]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
a="" b="" rounds=2 out="$root/bench/results/before-after-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "a b rounds out" "$@"
[ -n "$a" ] && [ -n "$b" ] || { echo "usage: $0 --a DIR --b DIR [--rounds N] [--out FILE]" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
scenarios=(
  "relay --rate 1000 --pairs 50 --size 1024 --warmup 15s --duration 15s"
  "relay --pairs 50 --size 1024 --warmup 15s --duration 15s"
  "connect --concurrency 64 --warmup 10s --duration 15s"
  "drain --messages 20000 --size 1024"
)
for round in $(seq 1 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    for build in "$a" "$b"; do
      echo "== round $round, $(basename "$build"): $scenario" >&2
      echo "# build=$(basename "$build") round=$round time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
      # shellcheck disable=SC2086
      "$JAVA_HOME/bin/java" -jar "$build/parley-bench.jar" $scenario --json \
          --server-jar "$build/parley-server.jar" --repo-root "$root" | tee -a "$out" || true
    done
  done
done
echo "results in $out" >&2
