# Sourced by Parley's scripts. aot_cache_options VAR JAR CACHE sets the array VAR to the JVM option
# that starts JAR from CACHE, its ahead-of-time class cache written by the build beside it
# (docs/OPERATIONS.md and docs/CLIENT.md, "Start time"), or to nothing when there is no cache or it
# is older than the jar: a cache from another jar would be refused by the JVM, which then starts
# without it and says so.
aot_cache_options() {
  local -n options="$1"
  options=()
  if [ -f "$3" ] && [ "$3" -nt "$2" ]; then
    options=("-XX:AOTCache=$3")
  fi
}
