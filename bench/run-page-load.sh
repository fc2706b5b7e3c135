#!/usr/bin/env bash
# The web client's first load (docs/BENCHMARKS.md, "Web client first load"): bin/parley-bench
# page-load (cold loads in fresh Chromium contexts, warm loads from the HTTP cache, warm loads
# through the service worker; --loads of each) against each server jar of --jars, a fresh
# server per run, for --rounds rounds; the jars alternate, in reverse order every other round,
# so that a drift of the machine falls on both. The measuring side (this checkout's page-load
# and Chromium) is the same for every jar. Each JSON result line is preceded by a comment with
# the jar, round, time and load.
#   bench/run-page-load.sh [--jars "DIR_A DIR_B[:OPTION]"] [--rounds 3] [--loads 10] [--out FILE.jsonl]
# --jars: folders each holding the parley-server.jar of one commit (frozen copies, so rebuilds
# cannot change what is measured), e.g. one built from main and one from this branch; without
# it, the checkout's server/target/parley-server.jar alone. A folder followed by :OPTION runs
# that jar's server with that one option (e.g. DIR:--no-web-bundle); its results are labelled
# with both.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/run-lib.sh"
jars="" rounds=3 loads=10 out="$root/bench/results/page-load-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
read_options "jars rounds loads out" "$@"
mkdir -p "$(dirname "$out")"
read -r -a builds <<< "${jars:-checkout}"
echo "# time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git -C "$root" rev-parse --short HEAD) rounds=$rounds loads=$loads jars=\"${jars:-checkout}\"" >> "$out"
for round in $(seq 1 "$rounds"); do
  order=("${builds[@]}")
  if [ $((round % 2)) -eq 0 ]; then
    order=()
    for ((i = ${#builds[@]} - 1; i >= 0; i--)); do order+=("${builds[$i]}"); done
  fi
  for build in "${order[@]}"; do
    server=() option="" dir="$build"
    if [[ "$build" == *:* ]]; then
      dir="${build%%:*}" option="${build#*:}"
    fi
    [ "$dir" = checkout ] || server=(--server-jar "$dir/parley-server.jar")
    [ -z "$option" ] || server+=("--server-option=$option")
    label="$(basename "$dir")${option:+:$option}"
    echo "== round $round, $label: page-load --loads $loads" >&2
    echo "# build=$label round=$round time=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
    $bench page-load --loads "$loads" "${server[@]}" --json | tee -a "$out" || true
  done
done
echo "results in $out" >&2
