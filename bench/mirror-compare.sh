#!/usr/bin/env bash
# Issue 27's "the primary never waits" row: the primary's latency at 100 % mirroring with the
# comparison on, against the same route without a mirror, in one JVM, interleaved round by round
# (bench/config/mirror-compare.yml). Each measurement is bench/Wrk2j.java at a constant rate
# (coordinated-omission corrected latencies), so both routes see the same offered load; the row is
# the ratio of the medians of the rounds' p99 (target: within noise, about 1.0).
#
#   bench/mirror-compare.sh
#
# Environment: MC_ROUNDS (5), MC_SECONDS (10 per measurement), MC_WARMUP_SECONDS (5 per
# measurement, not counted), MC_JIT_WARMUP_SECONDS (20 of each route's load before the first round), MC_RATE (500 requests/s), MC_CONNECTIONS (16), MC_RESULTS (a directory
# for mirror-compare.tsv and mirror-compare.md; default bench/target/mirror-compare/results),
# MC_JAR (default gateway-app/target/meshgate.jar; build it first: ./mvnw -B -o -q -DskipTests
# package -pl gateway-app -am). Needs Java 17, taskset, curl, python3 and HdrHistogram 2.2.2 in
# ~/.m2 or bench/target/lib. CPU 0 runs Meshgate and the primary upstream, CPU 1 the load
# generator and the shadow.
# Everything it starts is stopped on exit (PID files under bench/target/mirror-compare/pids). The
# machine's load average is written with the numbers: compare within one run only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
WORK="$BENCH/target/mirror-compare"
RESULTS="${MC_RESULTS:-$WORK/results}"
PIDS="$WORK/pids"
ROUNDS="${MC_ROUNDS:-5}"
SECONDS_EACH="${MC_SECONDS:-10}"
WARMUP="${MC_WARMUP_SECONDS:-5}"
RATE="${MC_RATE:-500}"
CONNECTIONS="${MC_CONNECTIONS:-16}"
JAR="${MC_JAR:-$ROOT/gateway-app/target/meshgate.jar}"
# shellcheck source=bench/settings.sh
source "$BENCH/settings.sh"
JVM_FLAGS="${BENCH_JVM_FLAGS:--Xmx256m -XX:+UseSerialGC -Xss512k}"
SUT_CPU=0
LOAD_CPU=1
MG=18410; PRIMARY=18412; SHADOW=18413
KINDS=(off compare)

log() { printf '[mirror-compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$PIDS"
# shellcheck source=bench/pid-files.sh
source "$BENCH/pid-files.sh"
stop_pid_files_now_and_on_exit "$PIDS"
rm -rf "$WORK/logs" "$WORK/store" "$WORK/app"
mkdir -p "$WORK/logs" "$WORK/classes" "$WORK/lib" "$RESULTS"
rm -f "$RESULTS/mirror-compare.tsv" "$RESULTS/mirror-compare.md"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"

HDR="$BENCH/target/lib/HdrHistogram-2.2.2.jar"
LOCAL_HDR="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
[[ -f $HDR ]] || { mkdir -p "$(dirname "$HDR")"; cp "$LOCAL_HDR" "$HDR"; }
javac -nowarn -cp "$HDR" -d "$WORK/classes" "$BENCH/Wrk2j.java"
java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
APP_CP="$WORK/app/$(basename "$JAR"):$WORK/app/lib/*"

start_bg() { # name command... -> on CPU $SUT_CPU (0 unless given), PID in $PIDS/name.pid
  local name="$1"; shift
  taskset -c "$SUT_CPU" "$@" > "$WORK/logs/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}
wait_for() { # name url (up to MC_START_SECONDS, default 600: a loaded machine starts slowly)
  local deadline=$(( $(date +%s) + ${MC_START_SECONDS:-600} ))
  while (( $(date +%s) < deadline )); do
    kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null || { echo "$1 exited (see $WORK/logs/$1.log)" >&2; exit 1; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$2") == 200 ]] && return 0
    sleep 0.2
  done
  echo "$1 did not start (see $WORK/logs/$1.log)" >&2; exit 1
}
# the same demo server twice: the shadow differs from the primary only in its endpoint name
DEMO_HOST=127.0.0.1 DEMO_PORT=$PRIMARY DEMO_ENDPOINT=primary \
  start_bg primary java -Xmx128m -cp "$APP_CP" io.meshgate.gateway.demo.DemoUpstreamServer
# the shadow runs beside the load generator (CPU 1): in production the mirror's service runs
# elsewhere, and its work is not the gateway's
DEMO_HOST=127.0.0.1 DEMO_PORT=$SHADOW DEMO_ENDPOINT=shadow SUT_CPU=$LOAD_CPU \
  start_bg shadow java -Xmx128m -cp "$APP_CP" io.meshgate.gateway.demo.DemoUpstreamServer
# shellcheck disable=SC2086
start_bg meshgate java $JVM_FLAGS -jar "$JAR" --server.port=$MG --management.server.port=$((MG + 1)) \
  --meshgate.store.path="$WORK/store" \
  "${BENCH_LOGIN[@]}" \
  --spring.config.additional-location="file:$BENCH/config/common.yml,file:$BENCH/config/mirror-compare.yml"
wait_for primary "http://127.0.0.1:$PRIMARY/healthz"
wait_for shadow "http://127.0.0.1:$SHADOW/healthz"
wait_for meshgate "http://127.0.0.1:$MG/off/"
wait_for meshgate "http://127.0.0.1:$MG/compare/"

mirror_counter() { # outcome -> meshgate_mirror_requests_total of the compare route
  curl -s "http://127.0.0.1:$((MG + 1))/actuator/prometheus" \
    | awk -v o="outcome=\"$1\"" '/^meshgate_mirror_requests_total/ && index($0, o) && /route="compare"/ {s += $2} END {print s + 0}'
}
comparisons() {
  curl -s "http://127.0.0.1:$((MG + 1))/actuator/prometheus" \
    | awk '/^meshgate_mirror_comparisons_total/ && /route="compare"/ {s += $2} END {print s + 0}'
}

# a fresh JVM compiles for a while: both routes get MC_JIT_WARMUP_SECONDS of the load first, unrecorded
for kind in "${KINDS[@]}"; do
  taskset -c "$LOAD_CPU" java -cp "$HDR:$WORK/classes" Wrk2j "http://127.0.0.1:$MG/$kind/" "$RATE" \
    "${MC_JIT_WARMUP_SECONDS:-20}" "$CONNECTIONS" 1 >/dev/null 2>&1
done
log "rate $RATE/s, $CONNECTIONS connections, $ROUNDS rounds of $SECONDS_EACH s (+$WARMUP s warm-up) per route; load $LOAD_AT_START"
echo -e "round\tkind\tachieved\tp50_us\tp99_us\tp999_us\tmirrored\tdropped\tcompared" > "$RESULTS/mirror-compare.tsv"
for round in $(seq "$ROUNDS"); do
  for k in 0 1; do
    kind=${KINDS[$(( (k + round - 1) % 2 ))]}
    before=("$(mirror_counter mirrored)" "$(mirror_counter dropped)" "$(comparisons)")
    out=$(taskset -c "$LOAD_CPU" java -cp "$HDR:$WORK/classes" Wrk2j "http://127.0.0.1:$MG/$kind/" "$RATE" \
      "$SECONDS_EACH" "$CONNECTIONS" "$WARMUP" 2>&1 | tr '\n' ' ')
    mirrored=$(( $(mirror_counter mirrored) - before[0] ))
    dropped=$(( $(mirror_counter dropped) - before[1] ))
    compared=$(( $(comparisons) - before[2] ))
    field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$out"; }
    echo -e "$round\t$kind\t$(field achieved)\t$(field p50)\t$(field p99)\t$(field p99.9)\t$mirrored\t$dropped\t$compared" \
      >> "$RESULTS/mirror-compare.tsv"
    log "round $round $kind: $out; mirrored $mirrored, dropped $dropped, compared $compared"
  done
done
LOAD_AT_END="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RESULTS/mirror-compare.tsv" "$LOAD_AT_START" "$LOAD_AT_END" "$RATE" "$CONNECTIONS" "$SECONDS_EACH" \
  > "$RESULTS/mirror-compare.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def values(kind, column):
    return [float(r[column]) for r in rows if r["kind"] == kind and r[column]]
def summary(kind, column):
    v = values(kind, column)
    return f"{statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f})" if v else "n/a"
print(f"Machine load average at start {sys.argv[2]}, at end {sys.argv[3]}; {sys.argv[4]} requests/s on "
      f"{sys.argv[5]} connections, {len(values('off', 'p99_us'))} rounds of {sys.argv[6]} s per route, interleaved; "
      "median (min-max) over the rounds, µs.\n")
print("| route | achieved/s | p50 | p99 | p99.9 | copies mirrored | dropped | compared |")
print("|---|---|---|---|---|---|---|---|")
for kind, label in (("off", "no mirror"), ("compare", "100 % mirrored, compared")):
    print(f"| {label} | {summary(kind, 'achieved')} | {summary(kind, 'p50_us')} | {summary(kind, 'p99_us')} | "
          f"{summary(kind, 'p999_us')} | {sum(values(kind, 'mirrored')):.0f} | {sum(values(kind, 'dropped')):.0f} | "
          f"{sum(values(kind, 'compared')):.0f} |")
off, on = values("off", "p99_us"), values("compare", "p99_us")
if off and on:
    print(f"\np99 with comparison / without mirror: {statistics.median(on) / statistics.median(off):.2f} "
          "(ratio of the medians; within noise when the two ranges overlap)")
PY
cat "$RESULTS/mirror-compare.md"
