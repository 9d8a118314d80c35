#!/usr/bin/env bash
# Start-up: launch to the first 200 through a route, on one CPU, contenders interleaved round by
# round. Writes one line per start, "round<TAB>contender<TAB>ms", to bench/target/startup/startup.tsv
# (or STARTUP_OUT), and to startup-detail.tsv beside it the same with two measures the machine's
# load moves much less: the CPU time the JVM used up to the first 200 (all its threads, ms) and the
# classes it had loaded then (the JVM is stopped with SIGSTOP while both are read). bench/run.sh
# calls it for its report, and it runs on its own:
#
#   bench/startup.sh                       7 rounds of the four contenders below
#   STARTUP_ROUNDS=3 STARTUP_CONTENDERS="readme bare-scg" bench/startup.sh
#
# Contenders (STARTUP_CONTENDERS, in this order by default):
#   readme         README's start: `java -jar meshgate.jar` on Java 17, the built-in demo
#   bare-scg       bare Spring Cloud Gateway (bench/bare-scg), `java -jar` on Java 17, one route
#   container-cds  the container image until Java 25: Java 17, extracted jar, CDS archive
#   container-aot  the container image (Dockerfile): Java 25, extracted jar, AOT cache
# and, for comparing what each knob gives (not run by default):
#   readme-25      `java -jar meshgate.jar` on Java 25, no cache
#   extracted-17   Java 17, extracted jar, no cache: README's start without the nested jars
#   extracted-25   Java 25, extracted jar, no cache
#   aot-onrefresh  Java 25, extracted jar, AOT cache from Spring's documented training
#                  (-Dspring.context.exit=onRefresh: the context refreshed, nothing served)
#   aot-lazy       container-aot with spring.main.lazy-initialization=true
#   aot-noprofiles container-aot without the cache's method profiles (JEP 515 off:
#                  -XX:-AOTReplayTraining, a diagnostic option)
#   aot-2cpu       container-aot on two CPUs (taskset -c 0,1)
#   readme-b, container-aot-b
#                  readme and container-aot with a second jar (STARTUP_B_JAR), for an A/B of two
#                  builds in the same rounds: e.g. STARTUP_B_JAR=/tmp/new.jar
#                  STARTUP_CONTENDERS="readme bare-scg readme-b container-aot container-aot-b"
# Every Meshgate runs its built-in demo (as README and `docker run` do) and is polled on /demo/;
# bare Spring Cloud Gateway routes /** to a python3 http.server on 127.0.0.1:18099 that this script
# starts on CPU 1. Each start gets an empty route store, as a new container does. The JVM under
# test runs on CPU 0, curl polls every 20 ms from CPU 1. The caches are made here the way the Dockerfile makes them (config/training-run.sh).
#
# STARTUP_WORK: where the layouts, caches and logs go (default bench/target/startup).
# JAVA17 / JAVA25: the two launchers (default: java on the PATH, and the Temurin 25 JDK under
# /usr/lib/jvm or JAVA25_HOME). STARTUP_JVM_FLAGS: options for every contender (default none, as
# README and the Dockerfile start it). The jars must be built (bench/run.sh does; or
# ./mvnw -B -q -DskipTests package && ./mvnw -B -q -f bench/bare-scg/pom.xml -DskipTests package).
# Needs: taskset, curl, python3. Stops what it starts, by PID. The extracted layouts and their caches
# are kept under bench/target/startup and made again when the jar, the JDK or the options change.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${STARTUP_WORK:-$ROOT/bench/target/startup}"
OUT="${STARTUP_OUT:-$WORK/startup.tsv}"
DETAIL="$(dirname "$OUT")/$(basename "$OUT" .tsv)-detail.tsv"
ROUNDS="${STARTUP_ROUNDS:-7}"
CONTENDERS="${STARTUP_CONTENDERS:-readme bare-scg container-cds container-aot}"
JAVA17="${JAVA17:-java}"
JAVA25="${JAVA25:-${JAVA25_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}/bin/java}"
read -r -a FLAGS <<< "${STARTUP_JVM_FLAGS:-}"
# the java options of the Dockerfile's ENTRYPOINT but the cache: the image as it starts
mapfile -t IMAGE_FLAGS < <(python3 -c '
import json, re, sys
dockerfile = open(sys.argv[1]).read().replace("\\\n", "")
args = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", dockerfile, re.M).group(1))
print("\n".join(a for a in args[1:args.index("-jar")] if not a.startswith("-XX:AOTCache=")))
' "$ROOT/Dockerfile")
# the image's java options until Java 25 (with its CDS archive)
CDS_IMAGE_FLAGS=(-XX:TrimNativeHeapInterval=5000)
SUT_CPU=0
POLL_CPU=1
# STARTUP_PORT: the contenders' port (default 18100); the admin port is 100 above it, bare SCG's
# upstream 1 below, the training runs' 380 and 381 above
PORT="${STARTUP_PORT:-18100}"
ADMIN_PORT=$((PORT + 100))
UPSTREAM_PORT=$((PORT - 1))
MESHGATE_JAR="$ROOT/gateway-app/target/meshgate.jar"
B_JAR="${STARTUP_B_JAR:-}"
BARE_JAR="$ROOT/bench/bare-scg/target/bare-scg.jar"
# a start that has not answered by then is reported as missing (STARTUP_LIMIT_SECONDS)
LIMIT_SECONDS="${STARTUP_LIMIT_SECONDS:-300}"

log() { printf '[startup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for jar in "$MESHGATE_JAR" "$BARE_JAR" ${B_JAR:+"$B_JAR"}; do
  [[ -f $jar ]] || { echo "bench/startup.sh: $jar is not built (see bench/startup.sh --help)" >&2; exit 1; }
done
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0; }

pid=
upstream_pid=
cleanup() {
  [[ -n $pid ]] && stop "$pid"
  [[ -n $upstream_pid ]] && kill "$upstream_pid" 2>/dev/null
  return 0
}
stop() { # pid: SIGTERM, then SIGKILL after 10 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

code_of() { taskset -c "$POLL_CPU" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null || true; }

rm -rf "$WORK/stores" "$WORK/logs"
mkdir -p "$WORK/stores" "$WORK/logs" "$WORK/www" "$(dirname "$OUT")"
# bare Spring Cloud Gateway's upstream, on CPU 1: only its first answer counts
echo "hello world" > "$WORK/www/index.html"
taskset -c "$POLL_CPU" python3 -m http.server "$UPSTREAM_PORT" --bind 127.0.0.1 --directory "$WORK/www" \
  > "$WORK/logs/upstream.log" 2>&1 &
upstream_pid=$!
for _ in $(seq 100); do [[ $(code_of "http://127.0.0.1:$UPSTREAM_PORT/") == 200 ]] && break; sleep 0.1; done

wants() { [[ " $CONTENDERS " == *" $1 "* ]]; }
if [[ " $CONTENDERS " =~ \ (readme-b|container-aot-b)\  && -z $B_JAR ]]; then
  echo "bench/startup.sh: readme-b and container-aot-b need STARTUP_B_JAR" >&2; exit 2
fi
# extracted-dir java: the layout of `jarmode=tools extract`, as the Dockerfile's runtime stage makes
# it; kept with the caches trained in it while the jar, the JDK and the options stay the same
extract() {
  local stamp jar="${3:-$MESHGATE_JAR}"
  stamp="$(cksum < "$jar") $("$2" -version 2>&1 | head -1) ${FLAGS[*]} ${IMAGE_FLAGS[*]}"
  [[ -f $1/.stamp && $(cat "$1/.stamp") == "$stamp" ]] && return 0
  rm -rf "$1"
  # extracted as meshgate.jar whatever the jar's name, as the Dockerfile's layout names it
  cp "$jar" "$WORK/meshgate.jar"
  "$2" -Djarmode=tools -jar "$WORK/meshgate.jar" extract --destination "$1" > /dev/null
  rm "$WORK/meshgate.jar"
  echo "$stamp" > "$1/.stamp"
}
# extracted-dir cache java: the training run of the Dockerfile, unless the cache is there already
train() {
  [[ -s $2 ]] && { log "reusing $2"; return 0; }
  log "training run for $2 ($("$3" -version 2>&1 | head -1))"
  # the Dockerfile trains with -Xmx1g (compressed object pointers whatever the build machine)
  local flags=(-Xmx1g "${IMAGE_FLAGS[@]}")
  [[ -n ${CDS_TRAINING:-} ]] && flags=("${CDS_IMAGE_FLAGS[@]}")
  JAVA="$3" TRAINING_PORT=$((PORT + 380)) TRAINING_ADMIN_PORT=$((PORT + 381)) "$ROOT/config/training-run.sh" "$1" "$2" \
    "${FLAGS[@]}" "${flags[@]}" > "$WORK/logs/training-$(basename "$2").log" 2>&1 \
    || { cat "$WORK/logs/training-$(basename "$2").log" >&2; exit 1; }
}
if [[ " $CONTENDERS " =~ \ (container-cds|extracted-17)\  ]]; then
  extract "$WORK/x17" "$JAVA17"
fi
if wants container-cds; then
  CDS_TRAINING=1 train "$WORK/x17" "$WORK/x17/meshgate.jsa" "$JAVA17"
fi
if [[ " $CONTENDERS " =~ \ (container-aot|aot-[a-z0-9]+|extracted-25)\  ]]; then
  [[ -x $JAVA25 ]] || { echo "bench/startup.sh: no Java 25 at $JAVA25 (set JAVA25 or JAVA25_HOME)" >&2; exit 1; }
  extract "$WORK/x25" "$JAVA25"
  if [[ " $CONTENDERS " =~ \ (container-aot|aot-lazy|aot-2cpu|aot-noprofiles)\  ]]; then
    train "$WORK/x25" "$WORK/x25/meshgate.aot" "$JAVA25"
  fi
  if wants container-aot-b; then
    extract "$WORK/x25b" "$JAVA25" "$B_JAR"
    train "$WORK/x25b" "$WORK/x25b/meshgate.aot" "$JAVA25"
  fi
  if wants aot-onrefresh && [[ ! -s $WORK/x25/onrefresh.aot ]]; then
    log "training run for aot-onrefresh (-Dspring.context.exit=onRefresh)"
    # the class path must be the one the cached starts give (an absolute path)
    "$JAVA25" "${FLAGS[@]}" -Xmx1g "${IMAGE_FLAGS[@]}" -XX:AOTCacheOutput="$WORK/x25/onrefresh.aot" \
      -Dspring.context.exit=onRefresh -jar "$WORK/x25/meshgate.jar" --meshgate.store.path="$WORK/stores/onrefresh" \
      --server.port=$((PORT + 380)) --management.server.port=$((PORT + 381)) > "$WORK/logs/training-onrefresh.log" 2>&1 || true
    [[ -s $WORK/x25/onrefresh.aot ]] || { cat "$WORK/logs/training-onrefresh.log" >&2; exit 1; }
  fi
fi

# contender -> starts it in the background, sets pid and url
launch() {
  local contender="$1" cpus="$SUT_CPU" store="$WORK/stores/$1" cmd
  rm -rf "$store"
  local meshgate=(--meshgate.store.path="$store" --server.port="$PORT" --management.server.port="$ADMIN_PORT")
  url="http://127.0.0.1:$PORT/demo/"
  case "$contender" in
    readme) cmd=("$JAVA17" -jar "$MESHGATE_JAR" "${meshgate[@]}") ;;
    readme-b) cmd=("$JAVA17" -jar "$B_JAR" "${meshgate[@]}") ;;
    readme-25) cmd=("$JAVA25" -jar "$MESHGATE_JAR" "${meshgate[@]}") ;;
    bare-scg) cmd=("$JAVA17" -jar "$BARE_JAR" --server.port="$PORT" --bench.upstream="http://127.0.0.1:$UPSTREAM_PORT")
      url="http://127.0.0.1:$PORT/" ;;
    container-cds) cmd=("$JAVA17" -XX:SharedArchiveFile="$WORK/x17/meshgate.jsa" "${CDS_IMAGE_FLAGS[@]}"
      -jar "$WORK/x17/meshgate.jar" "${meshgate[@]}") ;;
    container-aot|aot-2cpu) cmd=("$JAVA25" -XX:AOTCache="$WORK/x25/meshgate.aot" "${IMAGE_FLAGS[@]}"
      -jar "$WORK/x25/meshgate.jar" "${meshgate[@]}") ;;
    container-aot-b) cmd=("$JAVA25" -XX:AOTCache="$WORK/x25b/meshgate.aot" "${IMAGE_FLAGS[@]}"
      -jar "$WORK/x25b/meshgate.jar" "${meshgate[@]}") ;;
    aot-noprofiles) cmd=("$JAVA25" -XX:AOTCache="$WORK/x25/meshgate.aot" "${IMAGE_FLAGS[@]}"
      -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining -jar "$WORK/x25/meshgate.jar" "${meshgate[@]}") ;;
    aot-lazy) cmd=("$JAVA25" -XX:AOTCache="$WORK/x25/meshgate.aot" "${IMAGE_FLAGS[@]}"
      -jar "$WORK/x25/meshgate.jar" "${meshgate[@]}" --spring.main.lazy-initialization=true) ;;
    aot-onrefresh) cmd=("$JAVA25" -XX:AOTCache="$WORK/x25/onrefresh.aot" "${IMAGE_FLAGS[@]}"
      -jar "$WORK/x25/meshgate.jar" "${meshgate[@]}") ;;
    extracted-17) cmd=("$JAVA17" -jar "$WORK/x17/meshgate.jar" "${meshgate[@]}") ;;
    extracted-25) cmd=("$JAVA25" "${IMAGE_FLAGS[@]}" -jar "$WORK/x25/meshgate.jar" "${meshgate[@]}") ;;
    *) echo "bench/startup.sh: unknown contender $contender" >&2; exit 2 ;;
  esac
  [[ $contender == aot-2cpu ]] && cpus="$SUT_CPU,$POLL_CPU"
  # java options go right after the launcher
  taskset -c "$cpus" "${cmd[0]}" "${FLAGS[@]}" "${cmd[@]:1}" > "$WORK/logs/$contender.log" 2>&1 &
  pid=$!
}

# pid -> "cpu-ms classes" of the JVM now, read while it is stopped: utime + stime of every thread
# (/proc/PID/stat, clock ticks) and the loaded-class count of its performance counters (jstat)
measure() {
  local ticks classes
  kill -STOP "$1" 2>/dev/null || { echo "- -"; return 0; }
  ticks=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo)
  classes=$(taskset -c "$POLL_CPU" "$(dirname "$(readlink -f "$(command -v "$JAVA17")")")/jstat" -class "$1" 2>/dev/null \
    | awk 'NR == 2 {print $1}')
  kill -CONT "$1" 2>/dev/null
  echo "$(( ${ticks:-0} * 1000 / $(getconf CLK_TCK) )) ${classes:--}"
}

read -r -a ORDER <<< "$CONTENDERS"
: > "$OUT"
: > "$DETAIL"
n=${#ORDER[@]}
for round in $(seq "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do
    contender=${ORDER[$(( (k + round - 1) % n ))]}   # the order rotates each round
    start=$(date +%s%N)
    launch "$contender"
    ms=
    while kill -0 "$pid" 2>/dev/null; do
      if [[ $(code_of "$url") == 200 ]]; then
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        read -r cpu classes < <(measure "$pid")
        break
      fi
      (( ($(date +%s%N) - start) / 1000000000 >= LIMIT_SECONDS )) && break
      sleep 0.02
    done
    stop "$pid"; pid=
    if [[ -z $ms ]]; then
      log "round $round $contender: no 200 within $LIMIT_SECONDS s (see $WORK/logs/$contender.log)"
      continue
    fi
    echo -e "$round\t$contender\t$ms" >> "$OUT"
    echo -e "$round\t$contender\t$ms\t$cpu\t$classes" >> "$DETAIL"
    log "round $round $contender: first 200 after $ms ms, CPU $cpu ms, $classes classes"
  done
done
python3 - "$DETAIL" <<'EOF'
import statistics, sys
starts = {}
for line in open(sys.argv[1]):
    _, contender, ms, cpu, classes = line.split()
    starts.setdefault(contender, []).append((int(ms) / 1000, cpu, classes))
def median(values):
    values = [int(v) for v in values if v != "-"]
    return statistics.median(values) if values else float("nan")
for contender, s in starts.items():
    wall = [w for w, _, _ in s]
    print("%-15s first 200: median %.2f s  min %.2f s;  CPU to it: median %.2f s;  classes: median %.0f  (%d starts)"
          % (contender, statistics.median(wall), min(wall), median(c for _, c, _ in s) / 1000,
             median(k for _, _, k in s), len(s)))
EOF
