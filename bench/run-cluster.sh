#!/usr/bin/env bash
# The cluster benchmark (docs/BENCHMARKS.md, "Cluster"): the relay workload (--pairs pairs,
# 1 KiB envelopes) on one SQLite node and on 1, 2 and 3 nodes on one PostgreSQL database with a
# private Redis, clients connected to the nodes directly, same-node and cross-node, at each rate
# of --rates (0: as fast as the servers go). Every setup starts fresh (a new database on the
# PostgreSQL at --pg-port, a new Redis, new nodes) and all setups run one after the other in
# each round, so their figures compare within a round. Each JSON result line carries its round,
# the load average and the machine's busy share; the run is preceded by a comment with the time,
# load and commit. At the end, the Markdown table of all lines in --out (bin/parley-bench cluster-table).
#   bench/run-cluster.sh [--rounds 2] [--setups sqlite,pg,pg-1,pg-2,pg-3] [--rates 200,1000,0] [--pairs 50]
#                        [--warmup 10s] [--duration 15s] [--pg-port 5432] [--jars DIR] [--out FILE.jsonl]
# --jars: a folder holding the parley-server.jar and parley-bench.jar of one commit (frozen
# copies); without it, bin/parley-bench (or PARLEY_BENCH) builds and runs the checkout's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
source "$root/bin/lib/java25.sh"
rounds=2 setups="sqlite,pg,pg-1,pg-2,pg-3" rates="200,1000,0" pairs=50 warmup=10s duration=15s pg_port=5432 jars=""
out="$root/bench/results/cluster-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "rounds setups rates pairs warmup duration pg-port jars out" "$@"
mkdir -p "$(dirname "$out")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cluster="cluster --setups $setups --rates $rates --pairs $pairs --size 1024 --warmup $warmup --duration $duration --pg-port $pg_port"
echo "== $cluster --rounds $rounds" >&2
echo "# time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git -C "$root" rev-parse --short HEAD) rounds=$rounds" >> "$out"
# shellcheck disable=SC2086
if [ -n "$jars" ]; then
  "$JAVA_HOME/bin/java" -jar "$jars/parley-bench.jar" $cluster --rounds "$rounds" --json --server-jar "$jars/parley-server.jar" \
      --repo-root "$root" | tee -a "$out" || true
else
  $bench $cluster --rounds "$rounds" --json | tee -a "$out" || true
fi
if [ -n "$jars" ]; then
  "$JAVA_HOME/bin/java" -jar "$jars/parley-bench.jar" cluster-table "$out"
else
  $bench cluster-table "$out"
fi
echo "results in $out" >&2
