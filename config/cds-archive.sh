#!/usr/bin/env bash
# Makes the class-data-sharing (CDS) archive that the container image starts Meshgate with.
#
#   config/cds-archive.sh <extracted-dir> <archive.jsa> [java options...]
#
# <extracted-dir> holds the layout of `java -Djarmode=tools -jar meshgate.jar extract`. A training
# run starts the gateway there with its built-in demo, sends requests through a route and to the
# admin port, and stops it; at exit the JVM writes every class it loaded into <archive.jsa>. Start
# it later with the same java options plus -XX:SharedArchiveFile=<archive.jsa>.
#
# The run serves requests rather than stopping once the context is refreshed: the classes of the
# listeners, the upstream HTTP client and the request path are loaded only then, and an archive
# without them left them to the first request of every start.
#
# Loopback ports 18480-18481 by default (CDS_TRAINING_PORT, CDS_TRAINING_ADMIN_PORT). Needs bash
# only (no curl): the container's runtime image has none.
set -euo pipefail

dir=${1:?usage: cds-archive.sh <extracted-dir> <archive.jsa> [java options...]}
archive=${2:?usage: cds-archive.sh <extracted-dir> <archive.jsa> [java options...]}
shift 2
port=${CDS_TRAINING_PORT:-18480}
admin_port=${CDS_TRAINING_ADMIN_PORT:-18481}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# the status code of GET <path> on a loopback port, or nothing when nobody answers
status() {
  local code=
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$2" >&3
  read -r -t 10 _ code _ <&3 || true
  exec 3<&-
  echo "$code"
}

rm -f "$archive"
java "$@" -XX:ArchiveClassesAtExit="$archive" -jar "$dir/meshgate.jar" \
  --meshgate.store.path="$work/data" --server.address=127.0.0.1 --server.port="$port" \
  --management.server.address=127.0.0.1 --management.server.port="$admin_port" > "$work/training.log" 2>&1 &
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
  echo "cds-archive.sh: the training run never answered 200; its log:" >&2
  cat "$work/training.log" >&2
  exit 1
fi
# the request path a little more: routed requests, a miss, the admin UI's login page
for _ in $(seq 20); do status "$port" /demo/ > /dev/null; done
status "$port" /no-such-route > /dev/null
status "$admin_port" /login > /dev/null

kill -TERM "$pid"
wait "$pid" || true   # 143: stopped by SIGTERM, as asked
if [[ ! -s $archive ]]; then
  echo "cds-archive.sh: the JVM wrote no archive; its log:" >&2
  cat "$work/training.log" >&2
  exit 1
fi
echo "cds-archive.sh: $archive ($(du -h "$archive" | cut -f1)) from a training run that served requests"
