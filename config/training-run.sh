#!/usr/bin/env bash
# Makes the start-up cache that the container image starts Meshgate with, from a training run.
#
#   config/training-run.sh <extracted-dir> <cache-file> [java options...]
#
# <extracted-dir> holds the layout of `java -Djarmode=tools -jar meshgate.jar extract`. The training
# run starts the gateway there with its built-in demo, sends requests through a route and to the
# admin port, and stops it; at exit the JVM writes <cache-file>:
# - Java 25 or later: an AOT cache (JEP 483, written in one step with -XX:AOTCacheOutput, JEP 514):
#   the classes loaded and linked, the heap objects they need and the method profiles of the run
#   (JEP 515). Start with the same java options plus -XX:AOTCache=<cache-file>.
# - Java 17 to 24: a class-data-sharing archive (-XX:ArchiveClassesAtExit). Start with the same
#   java options plus -XX:SharedArchiveFile=<cache-file>.
# JAVA names the java launcher (default: java on the PATH). A cache belongs to that JDK build and to
# the jars of <extracted-dir>: after replacing either, train again (the JVM checks both and, when
# they differ, starts without the cache, only slower).
#
# The run serves requests rather than stopping once the context is refreshed (Spring's
# -Dspring.context.exit=onRefresh): the classes of the listeners, the upstream HTTP client and the
# request path are loaded only then, and their profiles exist only then; a cache without them
# leaves them to the first request of every start.
#
# Loopback ports 18480-18481 by default (TRAINING_PORT, TRAINING_ADMIN_PORT); the demo's TCP route
# on a free port. Needs bash only (no curl): the container's runtime image has none.
set -euo pipefail

usage="usage: training-run.sh <extracted-dir> <cache-file> [java options...]"
dir=${1:?$usage}
cache=${2:?$usage}
shift 2
java=${JAVA:-java}
port=${TRAINING_PORT:-18480}
admin_port=${TRAINING_ADMIN_PORT:-18481}
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# "17.0.15", "25.0.3", "1.8.0_412" -> 17, 25, 1
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
feature=${feature%%.*}
if (( feature >= 25 )); then
  kind="AOT cache"
  output=(-XX:AOTCacheOutput="$cache")
else
  kind="class-data-sharing archive"
  output=(-XX:ArchiveClassesAtExit="$cache")
fi

# the status code of GET <path> on a loopback port, or nothing when nobody answers
status() {
  local code=
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3
  read -r -t 10 _ code _ <&3 || true
  exec 3<&-
  echo "$code"
}

rm -f "$cache"
"$java" "$@" "${output[@]}" -jar "$dir/meshgate.jar" \
  --meshgate.store.path="$work/data" --server.address=127.0.0.1 --server.port="$port" \
  --management.server.address=127.0.0.1 --management.server.port="$admin_port" \
  --meshgate.demo.tcp-port=0 > "$work/training.log" 2>&1 &
pid=$!

served=0
for _ in $(seq 600); do
  if [[ $(status "$port" /demo/) == 200 && $(status "$admin_port" /actuator/health) == 200 ]]; then
    served=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if (( ! served )); then
  echo "training-run.sh: the training run never answered 200; its log:" >&2
  cat "$work/training.log" >&2
  exit 1
fi
# the request path a little more: routed requests, a miss, the admin UI's login page
for _ in $(seq 20); do status "$port" /demo/ > /dev/null; done
status "$port" /no-such-route > /dev/null
status "$admin_port" /login > /dev/null

# SIGTERM: the graceful shutdown, then the JVM's exit, which writes the cache (an AOT cache in a
# second JVM that the exiting one starts: the wait includes it)
kill -TERM "$pid"
wait "$pid" || true   # 143: stopped by SIGTERM, as asked
pid=
if [[ ! -s $cache ]]; then
  echo "training-run.sh: the JVM wrote no $kind; its log:" >&2
  cat "$work/training.log" >&2
  exit 1
fi
echo "training-run.sh: $cache, $kind ($(du -h "$cache" | cut -f1)), from a training run that served requests"
