# Sourced by Parley's scripts (after java25.sh): builds server/target/parley-server.jar when it is
# missing or older than the sources it is made of, and sets server_jar to its path.
server_jar="$root/server/target/parley-server.jar"
if [ ! -f "$server_jar" ] || [ -n "$(find "$root/server/src" "$root/web" "$root/wire/src" -newer "$server_jar" -type f -print -quit 2>/dev/null)" ]; then
  echo "Building Parley (first run or sources changed)..." >&2
  (cd "$root" && ./mvnw -B -q -DskipTests -pl server -am package)
fi
# The JVM options that start the server from the jar's ahead-of-time cache of classes (built with
# the jar; docs/OPERATIONS.md, "Start time"): empty when there is none or it is older than the jar.
source "$root/bin/lib/aot-cache.sh"
aot_cache_options server_aot_options "$server_jar" "$root/server/target/parley-server.aot"
