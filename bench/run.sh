#!/usr/bin/env bash
# Meshgate benchmark: Meshgate against direct, nginx, HAProxy and a bare Spring Cloud Gateway,
# side by side in one run, and writes docs/benchmarks.md.
#
#   bench/run.sh            full run: 7 rounds, every contender, 1/100/1,000/10,000 routes (about
#                           35 min, of which the identity contenders' two JVMs and six routes
#                           take about 6)
#   bench/run.sh --quick    3 rounds, fewer contenders, 1 and 10,000 routes (< 8 min)
#
# Needs: Java 17, a JDK 25 for the container start (JAVA25_HOME or /usr/lib/jvm; bench/startup.sh),
# nginx, haproxy, wrk, taskset, openssl, python3 (all Debian packages). A missing
# peer tool skips that contender and says so in the report. Everything runs on 127.0.0.1; CPU 0
# runs the systems under test and the upstream, CPU 1 the load generators. Everything this
# script starts is stopped on exit, Ctrl-C included (PID files under bench/target/work/pids).
# BENCH_COMMENTARY=file.md adds a section about this particular run to the report;
# BENCH_JVM_FLAGS overrides the JVM flags of the bare gateway and of every Meshgate;
# BENCH_WARMUP_SECONDS the load each JVM gets before the first round; BENCH_MAVEN_ARGS the build's
# Maven options (default -B -q; add -o to build offline); BENCH_SKIP_BUILD=1 uses the jars built. Start-up is measured by bench/startup.sh
# (its own interleaved rounds, Java 17 and Java 25) before the JVM contenders start.
# BENCH_BASELINE_JAR=old/meshgate.jar runs another build's no-policy and everything-on routes as
# contenders base-plain and base-all in the same rounds (two more JVMs), for the new build side by
# side with the old one, e.g. the jar of `git worktree add /tmp/old <commit>` built there.
# BENCH_BASELINE_OBSERVED_ARGS adds arguments to the baseline's observed JVM: for a build older than
# the request recording (whose request metrics and span came from Spring's server observation),
# "--management.observations.enable.http.server.requests=true" runs it as it shipped.
# BENCH_MESH_CONTENDERS replaces the list of Meshgate contenders (routes /X/** of bench/config and of
# bench/identity.py's configurations), e.g. "plain idplain jwt authz cors uncached-plain uncached"
# with --smoke: a check that the identity-and-access contenders answer, in a few minutes.
# Issue 25's protocol rows (bench/protocols.sh: grpc, tcp, passthrough, https) run after the
# route-table visits, into the same report (BENCH_PROTOCOLS=0 leaves them out);
#   bench/run.sh --only grpc,tcp   runs only those rows, alone (bench/protocols.sh's own summary).
#   bench/run.sh --only mirror-compare   issue 27's "the primary never waits" row alone
#                                        (bench/mirror-compare.sh).
set -euo pipefail

QUICK=0
SMOKE=0
# Issue 24's identity and access, each against the no-policy route of its own JVM (bench/identity.py):
# mg-identity serves idplain (no policy), jwt (a JWT whose verification is cached), authz (100
# authorization rules) and cors (preflights); mg-uncached (no verified token kept) serves
# uncached-plain (no policy) and uncached (an RS256 JWT verified on every request).
IDENTITY_CONTENDERS="idplain jwt authz cors uncached-plain uncached"
ONLY=""
for arg in "$@"; do
  if [[ $ONLY == next ]]; then ONLY="$arg"; continue; fi
  case "$arg" in
    --only) ONLY=next ;;
    --only=*) ONLY="${arg#--only=}" ;;
    --quick) QUICK=1 ;;
    --smoke) QUICK=1; SMOKE=1 ;;   # checks the harness itself in ~1 min; numbers meaningless, report in bench/target
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (expected: --quick, --smoke or --only ROW,...)" >&2; exit 2 ;;
  esac
done
if [[ -n $ONLY ]]; then
  [[ $ONLY != next ]] || { echo "--only needs rows: grpc, tcp, passthrough, https, mirror-compare" >&2; exit 2; }
  [[ $ONLY != mirror-compare ]] || exec "$(dirname "$0")/mirror-compare.sh"
  exec "$(dirname "$0")/protocols.sh" ${ONLY//,/ }
fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
WORK="$BENCH/target/work"
RESULTS="$BENCH/target/results"
PIDS="$WORK/pids"
CLK_TCK="$(getconf CLK_TCK)"
SUT_CPU=0
LOAD_CPU=1
# shellcheck source=bench/settings.sh
source "$BENCH/settings.sh"
CONNECTIONS=50

if [[ $QUICK == 1 ]]; then
  ROUNDS=3; ROUND_SECONDS=3; SETTLE_SECONDS=1; WARMUP_SECONDS=8; STARTUP_ROUNDS=2
  LATENCY_SECONDS=3; LATENCY_WARMUP=1; SCALE_ROUTES="1 10000"; SCALE_SECONDS=3; SCALE_WARMUP=2; SCALE_FIRST_WARMUP=5; EDITS=3
  MESH_CONTENDERS="plain all"
  LATENCY_CONTENDERS="direct mg-plain"
  STARTUP_CONTENDERS="readme bare-scg container-aot"
  if [[ $SMOKE == 1 ]]; then
    ROUNDS=1; ROUND_SECONDS=1; SETTLE_SECONDS=0; WARMUP_SECONDS=1; STARTUP_ROUNDS=1; LATENCY_SECONDS=1; LATENCY_WARMUP=1
    STARTUP_CONTENDERS="readme bare-scg"
    SCALE_ROUTES="1000"; SCALE_SECONDS=1; SCALE_WARMUP=1; SCALE_FIRST_WARMUP=1; EDITS=2; MESH_CONTENDERS="plain all"
  fi
  MESH_CONTENDERS="$MESH_CONTENDERS $IDENTITY_CONTENDERS"
else
  # 3 s rounds leave 80 s of warm-up per JVM within 15 minutes: with 60 s the JVMs still
  # compile during their first two rounds (bench/notes.md)
  # 7 rounds: the median and the min of each contender read a target near its line honestly on a
  # noisy machine; 5 give one slow round too much weight
  ROUNDS=7; ROUND_SECONDS=3; SETTLE_SECONDS=1; WARMUP_SECONDS=80; STARTUP_ROUNDS=7
  LATENCY_SECONDS=5; LATENCY_WARMUP=1; SCALE_ROUTES="1 100 1000 10000"; SCALE_SECONDS=5; SCALE_WARMUP=2; SCALE_FIRST_WARMUP=30; EDITS=3
  MESH_CONTENDERS="plain canary mirror mtls resilience tracing all $IDENTITY_CONTENDERS"
  LATENCY_CONTENDERS="direct nginx bare-scg mg-plain mg-all"
  STARTUP_CONTENDERS="readme bare-scg container-cds container-aot"
fi

MESH_CONTENDERS="${BENCH_MESH_CONTENDERS:-$MESH_CONTENDERS}"

# BENCH_WARMUP_SECONDS: load on each JVM before the first round. A JVM gateway needs about a minute
# of load before its JIT is done; the defaults keep the run within its time budget instead.
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-$WARMUP_SECONDS}"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- processes we start, and their end
mkdir -p "$PIDS"
# shellcheck source=bench/pid-files.sh
source "$BENCH/pid-files.sh"
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for file in "$PIDS"/*.pid; do [[ -e $file ]] && stop_pid_file "$file"; done
  # nginx and haproxy daemonize and write their own PID files
  for file in "$WORK/up/nginx.pid" "$WORK/px/nginx.pid" "$WORK/px/haproxy.pid"; do stop_pid_file "$file"; done
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Stop anything a previous, killed run left behind (only from its PID files).
for file in "$PIDS"/*.pid "$WORK/up/nginx.pid" "$WORK/px/nginx.pid" "$WORK/px/haproxy.pid"; do
  [[ -e $file ]] && stop_pid_file "$file"
done
rm -rf "$RESULTS" "$WORK/logs" "$WORK/config"
mkdir -p "$RESULTS" "$WORK/logs" "$WORK/config" "$WORK/up/tmp" "$WORK/px/tmp" "$PIDS"
SKIPPED="$RESULTS/skipped.txt"; : > "$SKIPPED"
skip() { log "SKIPPED: $*"; echo "$*" >> "$SKIPPED"; }
RUN_START=$(date +%s)
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"

for tool in java javac taskset wrk nginx python3 curl openssl; do
  have "$tool" || { echo "bench/run.sh needs $tool" >&2; exit 1; }
done
[[ $(nproc) -ge 2 ]] || { echo "bench/run.sh needs 2 CPUs (CPU 0: systems under test, CPU 1: load)" >&2; exit 1; }

# ---------------------------------------------------------------- build
if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
  log "the jars built (BENCH_SKIP_BUILD=1); the load generator"
else
  log "building Meshgate, the bare Spring Cloud Gateway and the load generator"
fi
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS:--B -q}"
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  (cd "$ROOT" && ./mvnw "${MAVEN_ARGS[@]}" -DskipTests package)
  (cd "$ROOT" && ./mvnw "${MAVEN_ARGS[@]}" -f bench/bare-scg/pom.xml -DskipTests package)
  if [[ $QUICK == 0 ]]; then
    # a reference, not a contender any target reads: a build that fails (offline, say) skips it
    (cd "$ROOT" && ./mvnw "${MAVEN_ARGS[@]}" -f bench/bare-scg/pom.xml -Pobserved -DskipTests package) \
      || { rm -f "$BENCH/bare-scg/target/bare-scg-observed.jar"; log "bare-observed: its build failed"; }
  fi
fi
mkdir -p "$BENCH/target/lib"
HDR="$BENCH/target/lib/HdrHistogram-2.2.2.jar"
LOCAL_HDR="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
[[ ! -f $HDR && -f $LOCAL_HDR ]] && cp "$LOCAL_HDR" "$HDR"   # offline, without the dependency plugin's own downloads
if [[ ! -f $HDR ]]; then
  (cd "$ROOT" && ./mvnw "${MAVEN_ARGS[@]}" -f bench/bare-scg/pom.xml dependency:copy \
    -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 -DoutputDirectory="$BENCH/target/lib")
fi
MESHGATE_JAR="$ROOT/gateway-app/target/meshgate.jar"
BASELINE_JAR="${BENCH_BASELINE_JAR:+$(realpath "$BENCH_BASELINE_JAR")}"
[[ -z $BASELINE_JAR || -f $BASELINE_JAR ]] || { echo "BENCH_BASELINE_JAR: $BENCH_BASELINE_JAR is not a file" >&2; exit 1; }
BARE_JAR="$BENCH/bare-scg/target/bare-scg.jar"
BARE_OBSERVED_JAR="$BENCH/bare-scg/target/bare-scg-observed.jar"
rm -rf "$WORK/classes" "$WORK/stores"
mkdir -p "$WORK/classes"
javac -nowarn -cp "$HDR" -d "$WORK/classes" "$BENCH/Wrk2j.java"
javac -nowarn -d "$WORK/classes" "$BENCH/RouteScaleProbe.java"
# ---------------------------------------------------------------- certificates and configs
log "certificates (config/pki/make-demo-pki.sh) and configurations"
rm -rf "$WORK/pki"
DAYS=2 "$ROOT/config/pki/make-demo-pki.sh" "$WORK/pki" >/dev/null
render() { sed "s#@WORK@#$WORK#g" "$1" > "$2"; }
for file in "$BENCH"/peers/*; do render "$file" "$WORK/config/$(basename "$file")"; done
for file in "$BENCH"/config/*.yml; do render "$file" "$WORK/config/$(basename "$file")"; done
# the identity contenders' RSA key, inline JWK Set, RS256 token and configurations (openssl)
python3 "$BENCH/identity.py" "$WORK"
TOKEN="$(cat "$WORK/identity/token")"
# How a contender's requests differ from a plain GET: method and headers ("Name: value" lines).
declare -A REQ_METHOD REQ_HEADERS
REQ_HEADERS[mg-jwt]="Authorization: Bearer $TOKEN"
REQ_HEADERS[mg-uncached]="Authorization: Bearer $TOKEN"
REQ_HEADERS[mg-authz]="x-env: prod"
REQ_METHOD[mg-cors]=OPTIONS
REQ_HEADERS[mg-cors]=$'Origin: https://app.example.com\nAccess-Control-Request-Method: POST\nAccess-Control-Request-Headers: authorization'
# contender -> wrk's arguments for a script that sends its requests (none for a plain GET)
request_script() {
  local c="$1" file="$WORK/request-$1.lua" line
  [[ -n ${REQ_METHOD[$c]:-}${REQ_HEADERS[$c]:-} ]] || return 0
  {
    echo "wrk.method = \"${REQ_METHOD[$c]:-GET}\""
    while IFS= read -r line; do
      [[ -n $line ]] && echo "wrk.headers[\"${line%%:*}\"] = \"${line#*: }\""
    done <<< "${REQ_HEADERS[$c]:-}"
  } > "$file"
  echo "-s $file"
}
# contender path -> its requests as a Lua table of wrk.format's arguments, for the warm-up's cycle
request_lua() {
  local c="$1" path="$2" headers="" line
  while IFS= read -r line; do
    [[ -n $line ]] && headers+="[\"${line%%:*}\"] = \"${line#*: }\", "
  done <<< "${REQ_HEADERS[$c]:-}"
  echo "{\"${REQ_METHOD[$c]:-GET}\", \"$path\", {$headers}}"
}
# contender -> the status a plain GET gets on its route (without its headers); empty: not refused
policy_refusal() {
  case "$1" in
    mg-jwt|mg-uncached) echo 401 ;;   # the route requires a token
    mg-authz) echo 403 ;;             # only the last of the 100 rules allows, on the x-env header
  esac
}
# contender -> curl's arguments for its requests, in REQ_CURL
request_curl() {
  local c="$1" line
  REQ_CURL=(-X "${REQ_METHOD[$c]:-GET}")
  while IFS= read -r line; do
    [[ -n $line ]] && REQ_CURL+=(-H "$line")
  done <<< "${REQ_HEADERS[$c]:-}"
  return 0
}

# ---------------------------------------------------------------- helpers
# CPU ticks (utime + stime) of a process and of its children processes.
cpu_ticks() {
  local total=0 pid fields
  for pid in "$@" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    [[ -r /proc/$pid/stat ]] || continue
    fields=$(sed 's/^.*) //' "/proc/$pid/stat")
    total=$(( total + $(awk '{print $12 + $13}' <<<"$fields") ))
  done
  echo "$total"
}
rss_kib() { # a process and its children (nginx workers)
  local total=0 pid
  for pid in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do
    total=$(( total + $(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

wait_for_200() { # url timeout_seconds [curl arguments] -> prints ms waited, fails on timeout; any 2xx counts
  local url="$1" limit="$2" start now
  shift 2
  start=$(date +%s%N)
  while true; do
    if [[ $(taskset -c "$LOAD_CPU" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$@" "$url" 2>/dev/null || true) == 2?? ]]; then
      now=$(date +%s%N); echo $(( (now - start) / 1000000 )); return 0
    fi
    now=$(date +%s%N)
    (( (now - start) / 1000000000 >= limit )) && return 1
    sleep 0.02
  done
}

# name port -> starts a JVM contender on CPU 0, PID in $PIDS/name.pid
start_jvm() {
  local name="$1" port="$2"; shift 2
  # shellcheck disable=SC2086
  taskset -c "$SUT_CPU" java $JVM_FLAGS "$@" > "$WORK/logs/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}
# Every Meshgate gets a route store of its own under $WORK, empty at the start of the run: the
# store wins over the configuration files, which only seed an empty one, so a shared ./data would
# give every contender the routes of whichever Meshgate started first.
# Tracing is off in every contender but the observed JVM's (NO_TRACING, bench/settings.sh).
# Every Meshgate contender gets this editor login (with the demo off a start without one fails);
# the route-table visits (bench/RouteScaleProbe.java) edit the policies JVM through its admin API
# with BENCH_LOGIN (bench/settings.sh)
start_meshgate() { # jvm (mg-policies, base-observed, ...) port adminPort
  local jvm="$1" port="$2" admin="$3" config="${1#*-}" jar="$MESHGATE_JAR" extra=()
  [[ $jvm == base-* ]] && jar="$BASELINE_JAR"
  [[ $config == observed ]] || extra=("$NO_TRACING")
  # shellcheck disable=SC2206 # words, as on a command line
  [[ $jvm == base-observed ]] && extra+=(${BENCH_BASELINE_OBSERVED_ARGS:-})
  # every contender needs a login: without meshgate.admin.users (and with the demo off) the start fails
  extra+=("${BENCH_LOGIN[@]}")
  start_jvm "$jvm" "$port" -jar "$jar" --server.port="$port" --management.server.port="$admin" \
    --meshgate.store.path="$WORK/stores/$jvm" "${extra[@]}" \
    --spring.config.additional-location="file:$WORK/config/common.yml,file:$WORK/config/$config.yml"
}
start_bare() { start_jvm bare-scg 18083 -jar "$BARE_JAR" --server.port=18083; }
# The same gateway built with the observability Meshgate ships (bench/bare-scg -Pobserved) and the
# observed JVM's settings: request metrics on, tracing at 10 %, Spring Cloud Gateway's own timer off;
# its client observation stays on, as Spring Cloud Gateway ships it: that is what carries the trace
# to the upstream, which Meshgate does with a span header of its own.
start_bare_observed() {
  start_jvm bare-observed 18084 -jar "$BARE_OBSERVED_JAR" --server.port=18084 --management.server.port=18184 \
    --spring.config.additional-location="file:$WORK/config/common.yml,file:$WORK/config/observed.yml" \
    --management.observations.enable.http.server.requests=true
}
declare -A URL PIDOF
URL[direct]=http://127.0.0.1:18080/
URL[nginx]=http://127.0.0.1:18081/
URL[haproxy]=http://127.0.0.1:18082/
URL[nginx-mtls]=http://127.0.0.1:18088/
URL[bare-scg]=http://127.0.0.1:18083/
URL[bare-observed]=http://127.0.0.1:18084/
# Meshgate contenders are routes of two JVMs, so that one warm-up serves several and each cost is
# measured against a route of the same JVM: mg-policies (bench/config/policies.yml: no policies and
# each policy alone) and mg-observed (observed.yml: tracing and metrics on, alone and with
# everything else). Contender mg-X is the route /X/** of its JVM; base-X the same route of the
# baseline build's JVM (base-policies, base-observed).
jvm_of() {
  case "$1" in
    mg-plain|mg-canary|mg-mirror|mg-mtls|mg-resilience) echo mg-policies ;;
    mg-tracing|mg-all) echo mg-observed ;;
    mg-idplain|mg-jwt|mg-authz|mg-cors) echo mg-identity ;;
    mg-uncached-plain|mg-uncached) echo mg-uncached ;;
    base-*) local j; j=$(jvm_of "mg-${1#base-}"); echo "base-${j#mg-}" ;;
    scale) echo mg-policies ;;   # the route-table visits run in the policies JVM, warm by then
    *) echo "$1" ;;
  esac
}
MESH_JVMS=""
for c in $MESH_CONTENDERS; do
  j=$(jvm_of "mg-$c"); [[ " $MESH_JVMS " == *" ${j#mg-} "* ]] || MESH_JVMS="$MESH_JVMS ${j#mg-}"
done
BASE_CONTENDERS=""
if [[ -n $BASELINE_JAR ]]; then
  for c in plain all; do [[ " $MESH_CONTENDERS " == *" $c "* ]] && BASE_CONTENDERS="$BASE_CONTENDERS $c"; done
fi
BASE_JVMS=""
for c in $BASE_CONTENDERS; do
  j=$(jvm_of "mg-$c"); [[ " $BASE_JVMS " == *" ${j#mg-} "* ]] || BASE_JVMS="$BASE_JVMS ${j#mg-}"
done
declare -A PORT
i=0
for j in $MESH_JVMS; do PORT[mg-$j]=$((18100 + i)); i=$((i + 1)); done
for j in $BASE_JVMS; do PORT[base-$j]=$((18100 + i)); i=$((i + 1)); done
for c in $MESH_CONTENDERS; do
  j=$(jvm_of "mg-$c")
  URL[mg-$c]=http://127.0.0.1:${PORT[$j]}/$c/
done
for c in $BASE_CONTENDERS; do
  j=$(jvm_of "base-$c")
  URL[base-$c]=http://127.0.0.1:${PORT[$j]}/$c/
done

pid_of() { # contender -> the PID whose CPU is charged to it
  case "$1" in
    direct) cat "$WORK/up/nginx.pid" ;;
    nginx|nginx-mtls) cat "$WORK/px/nginx.pid" ;;
    haproxy) cat "$WORK/px/haproxy.pid" ;;
    *) cat "$PIDS/$(jvm_of "$1").pid" ;;
  esac
}

# contender seconds -> "rps cpu_us_per_request requests non2xx"
measure_wrk() {
  local contender="$1" seconds="$2" pid before after out requests rps non2xx
  pid=$(pid_of "$contender")
  before=$(cpu_ticks "$pid")
  # shellcheck disable=SC2046
  out=$(taskset -c "$LOAD_CPU" wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" -H "$USER_HEADER" $(request_script "$contender") \
    "${URL[$contender]}" 2>&1)
  after=$(cpu_ticks "$pid")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  local sockerr; sockerr=$(awk '/Socket errors/ {print}' <<<"$out")
  [[ -n $sockerr ]] && log "$contender: $sockerr"
  python3 -c "import sys; r=int(sys.argv[1]); print(sys.argv[2], round((int(sys.argv[3])-int(sys.argv[4]))*1e6/int(sys.argv[5])/max(r,1),1), r, sys.argv[6])" \
    "${requests:-0}" "${rps:-0}" "$after" "$before" "$CLK_TCK" "$non2xx"
}

# ---------------------------------------------------------------- upstream and peers
log "upstream nginx on 18080 (and 18090, 18091, mTLS 18443/18444)"
taskset -c "$SUT_CPU" nginx -e "$WORK/logs/up-startup.log" -c "$WORK/config/upstream-nginx.conf" -p "$WORK/up"
wait_for_200 "${URL[direct]}" 10 >/dev/null || { echo "upstream nginx did not start" >&2; exit 1; }

CONTENDERS="direct"
if have nginx; then
  taskset -c "$SUT_CPU" nginx -e "$WORK/logs/px-startup.log" -c "$WORK/config/proxy-nginx.conf" -p "$WORK/px"
  wait_for_200 "${URL[nginx]}" 10 >/dev/null
  CONTENDERS="$CONTENDERS nginx"
  [[ $QUICK == 0 ]] && CONTENDERS="$CONTENDERS nginx-mtls"
fi
if [[ $QUICK == 0 ]]; then
  if have haproxy; then
    taskset -c "$SUT_CPU" haproxy -f "$WORK/config/proxy-haproxy.cfg"
    wait_for_200 "${URL[haproxy]}" 10 >/dev/null
    CONTENDERS="$CONTENDERS haproxy"
  else
    skip "haproxy: not installed"
  fi
else
  skip "haproxy, nginx-mtls and the Meshgate single-policy contenders: full run only (not --quick)"
fi

# ---------------------------------------------------------------- start-up (CPU 0 otherwise idle)
# bench/startup.sh: README's start, bare Spring Cloud Gateway's and the container image's, old and
# new, interleaved round by round; bare SCG's route goes to the nginx upstream started above
log "start-up: $STARTUP_CONTENDERS, $STARTUP_ROUNDS rounds (bench/startup.sh)"
STARTUP_OUT="$RESULTS/startup.tsv" STARTUP_ROUNDS="$STARTUP_ROUNDS" STARTUP_CONTENDERS="$STARTUP_CONTENDERS" \
  STARTUP_WORK="$WORK/startup" \
  "$BENCH/startup.sh" > "$WORK/logs/startup.log" 2>&1 \
  || skip "start-up: bench/startup.sh failed (see $WORK/logs/startup.log)"

# ---------------------------------------------------------------- JVM contenders: start and warm up
log "starting the JVM contenders: bare-scg, Meshgate ($MESH_JVMS)${BASE_JVMS:+, baseline build ($BASE_JVMS)}"
running() { [[ -f $PIDS/$1.pid ]] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }
running bare-scg || start_bare
JVMS="bare-scg"
BARE_OBSERVED=""
if [[ $QUICK == 0 && -f $BARE_OBSERVED_JAR ]]; then
  running bare-observed || start_bare_observed
  JVMS="$JVMS bare-observed"; BARE_OBSERVED=bare-observed
elif [[ $QUICK == 0 ]]; then
  skip "bare-observed: $BARE_OBSERVED_JAR not built (mvn -f bench/bare-scg/pom.xml -Pobserved package)"
fi
for jvm in $(for j in $MESH_JVMS; do echo "mg-$j"; done) $(for j in $BASE_JVMS; do echo "base-$j"; done); do
  running "$jvm" || start_meshgate "$jvm" "${PORT[$jvm]}" $((${PORT[$jvm]} + 100))
  JVMS="$JVMS $jvm"
done
# Each JVM gets the whole warm-up on all the contenders it serves at once (wrk cycles through
# their paths): every route's code compiles during the whole warm-up, not during a slice of it.
MESH_ALL=$(for m in $MESH_CONTENDERS; do echo "mg-$m"; done; for m in $BASE_CONTENDERS; do echo "base-$m"; done)
declare -A WARM_PATHS WARM_BASE
for c in bare-scg $BARE_OBSERVED $MESH_ALL; do
  request_curl "$c"
  if ! wait_for_200 "${URL[$c]}" 120 "${REQ_CURL[@]}" >/dev/null; then
    skip "$c: no 200 within 120 s (see $WORK/logs/$(jvm_of "$c").log)"; continue
  fi
  if [[ $c == mg-* || $c == base-* ]]; then
    # the contender's own routes serve, not a catch-all: no route of bench/config matches this path
    base=$(cut -d/ -f1-3 <<< "${URL[$c]}")
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/no-such-bench-route" || true)
    [[ $code == 404 ]] || { skip "$c: /no-such-bench-route answered $code, not 404: not the routes of bench/config"; continue; }
    # the contender's policy is in force, not only its route: without its own headers it is refused
    refused=$(policy_refusal "$c")
    if [[ -n $refused ]]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${URL[$c]}" || true)
      [[ $code == "$refused" ]] || { skip "$c: a plain GET answered $code, not $refused: its policy is not in force"; continue; }
    fi
    if [[ $c == mg-cors ]] && ! curl -s -D - -o /dev/null --max-time 2 "${REQ_CURL[@]}" "${URL[$c]}" \
        | grep -qi '^access-control-allow-origin: https://app.example.com'; then
      skip "$c: the preflight was not answered by the route's CORS policy"; continue
    fi
  fi
  WARM_PATHS[$(jvm_of "$c")]+="$(request_lua "$c" "/$(cut -d/ -f4- <<< "${URL[$c]}")"), "
  WARM_BASE[$(jvm_of "$c")]=$(cut -d/ -f1-3 <<< "${URL[$c]}")
  CONTENDERS="$CONTENDERS $c"
done
for jvm in "${!WARM_PATHS[@]}"; do
  # each entry: method, path, headers (request_lua)
  printf 'local requests = {%s}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  local r = requests[n %% #requests + 1]\n  return wrk.format(r[1], r[2], r[3])\nend\n' \
    "${WARM_PATHS[$jvm]}" > "$WORK/warm-$jvm.lua"
  log "warming $jvm for ${WARMUP_SECONDS}s on ${WARM_PATHS[$jvm]%, }"
  taskset -c "$LOAD_CPU" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -H "$USER_HEADER" -s "$WORK/warm-$jvm.lua" \
    "${WARM_BASE[$jvm]}" >/dev/null 2>&1
done
: > "$RESULTS/rss.tsv"
for jvm in $JVMS; do
  running "$jvm" && echo -e "$jvm\t$(rss_kib "$(cat "$PIDS/$jvm.pid")")" >> "$RESULTS/rss.tsv"
done
for p in nginx haproxy; do
  [[ " $CONTENDERS " == *" $p "* ]] && echo -e "$p\t$(rss_kib "$(pid_of "$p")")" >> "$RESULTS/rss.tsv"
done

# ---------------------------------------------------------------- rounds: contenders alternating
read -r -a ORDER <<<"$CONTENDERS"
: > "$RESULTS/rounds.tsv"
previous_pid=""
for round in $(seq "$ROUNDS"); do
  n=${#ORDER[@]}
  for k in $(seq 0 $((n - 1))); do
    c=${ORDER[$(( (k + round - 1) % n ))]}
    # A round in another process than the round before it starts after SETTLE_SECONDS of unmeasured
    # load: the JIT compiler of the JVM measured before it, and the caches it filled, otherwise
    # spill into this round, and the same contenders always pay (the order only rotates).
    pid=$(pid_of "$c")
    if [[ $pid != "$previous_pid" && $SETTLE_SECONDS != 0 ]]; then
      # shellcheck disable=SC2046
      taskset -c "$LOAD_CPU" wrk -t2 -c"$CONNECTIONS" -d"${SETTLE_SECONDS}s" -H "$USER_HEADER" $(request_script "$c") \
        "${URL[$c]}" >/dev/null 2>&1 || true
    fi
    previous_pid=$pid
    read -r rps cpu requests non2xx <<<"$(measure_wrk "$c" "$ROUND_SECONDS")"
    echo -e "$round\t$c\t$rps\t$cpu\t$requests\t$non2xx" >> "$RESULTS/rounds.tsv"
    log "round $round $c: $rps req/s, $cpu us CPU/request, non-2xx $non2xx"
  done
done

# ---------------------------------------------------------------- constant-rate latency
: > "$RESULTS/latency.tsv"
for rate in 4000 8000; do
  for c in $LATENCY_CONTENDERS; do
    [[ " $CONTENDERS " == *" $c "* ]] || continue
    out=$(taskset -c "$LOAD_CPU" java -cp "$HDR:$WORK/classes" Wrk2j "${URL[$c]}" "$rate" "$LATENCY_SECONDS" "$CONNECTIONS" "$LATENCY_WARMUP" 2>&1 | tr "\n" " ")
    log "latency $c @ $rate/s: $out"
    echo -e "$c\t$rate\t$out" >> "$RESULTS/latency.tsv"
  done
done

# ---------------------------------------------------------------- route table size
# The JVM of the single-policy contenders, warm from their rounds, visits the table sizes up and
# back down (bench/RouteScaleProbe.java, a client of its admin API): each size is measured twice,
# at times that average to the same point, so whatever the JIT still does favours no size. The
# probe waits on a FIFO between visits while wrk measures.
log "stopping the other contender JVMs for the route-table visits"
for jvm in $JVMS; do [[ $jvm == mg-policies ]] || stop_pid_file "$PIDS/$jvm.pid"; done
: > "$RESULTS/scale.tsv"
if running mg-policies; then
  SCALE_CTL="$WORK/scale.ctl"
  rm -f "$SCALE_CTL"; mkfifo "$SCALE_CTL"
  taskset -c "$LOAD_CPU" java -cp "$WORK/classes" RouteScaleProbe "$(tr ' ' ',' <<<"$SCALE_ROUTES")" \
    "http://127.0.0.1:${PORT[mg-policies]}" "http://127.0.0.1:$((${PORT[mg-policies]} + 100))" http://127.0.0.1:18080 \
    "$EDITS" < "$SCALE_CTL" > "$WORK/logs/scale.log" 2>&1 &
  echo $! > "$PIDS/scale-probe.pid"
  exec 3> "$SCALE_CTL"
  visits=$(( 2 * $(wc -w <<<"$SCALE_ROUTES") ))
  for visit in $(seq "$visits"); do
    ready=""
    for _ in $(seq 3000); do
      ready=$(grep '^READY' "$WORK/logs/scale.log" | sed -n "${visit}p" || true)
      [[ -n $ready ]] && break
      kill -0 "$(cat "$PIDS/scale-probe.pid")" 2>/dev/null || break
      sleep 0.1
    done
    if [[ -z $ready ]]; then skip "route-table visit $visit: no answer from the probe (see $WORK/logs/scale.log)"; break; fi
    routes=$(sed 's/.* routes=\([0-9]*\).*/\1/' <<<"$ready")
    URL[scale]="http://127.0.0.1:${PORT[mg-policies]}$(sed 's/.* path=\([^ ]*\).*/\1/' <<<"$ready")"
    # before the first visit the JVM has run the admin API and new routes for the first time, and
    # recompiles for a while (a warm JVM measured 270, 198, 148, then 93-121 us per request)
    taskset -c "$LOAD_CPU" wrk -t2 -c"$CONNECTIONS" \
      -d"$([[ $visit == 1 ]] && echo "$SCALE_FIRST_WARMUP" || echo "$SCALE_WARMUP")s" "${URL[scale]}" >/dev/null 2>&1
    read -r rps cpu requests non2xx <<<"$(measure_wrk scale "$SCALE_SECONDS")"
    echo -e "$routes\t$rps\t$cpu\t$non2xx\t$ready" >> "$RESULTS/scale.tsv"
    log "$routes routes (visit $visit of $visits): $rps req/s, $cpu us CPU/request; $ready"
    echo next >&3
  done
  exec 3>&-
  stop_pid_file "$PIDS/scale-probe.pid"
else
  skip "route-table visits: the policies JVM is not running"
fi
stop_pid_file "$PIDS/mg-policies.pid"

# ---------------------------------------------------------------- protocols (issue 25)
if [[ ${BENCH_PROTOCOLS:-1} == 1 ]]; then
  log "protocol rows (bench/protocols.sh): gRPC, TCP against HAProxy, passthrough, HTTPS with passthrough routes"
  proto_settings=(PROTO_ROUNDS=7 PROTO_SECONDS=5 PROTO_WARMUP_SECONDS=30 PROTO_GRPC_WARMUP_SECONDS=60)
  [[ $QUICK == 1 ]] && proto_settings=(PROTO_ROUNDS=3 PROTO_SECONDS=3 PROTO_WARMUP_SECONDS=8 PROTO_GRPC_WARMUP_SECONDS=8)
  [[ $SMOKE == 1 ]] && proto_settings=(PROTO_ROUNDS=1 PROTO_SECONDS=1 PROTO_WARMUP_SECONDS=1 PROTO_GRPC_WARMUP_SECONDS=1)
  env "${proto_settings[@]}" BENCH_SKIP_BUILD=1 PROTO_RESULTS="$RESULTS" "$BENCH/protocols.sh" \
    > "$WORK/logs/protocols.log" 2>&1 || skip "protocol rows: bench/protocols.sh failed (see $WORK/logs/protocols.log)"
fi

# ---------------------------------------------------------------- report
RUN_SECONDS=$(( $(date +%s) - RUN_START ))
# kept with the results, so that a report written again from them (with a commentary) shows it
echo -e "$LOAD_AT_START\t$(cut -d' ' -f1-3 /proc/loadavg)" > "$RESULTS/load.tsv"
MODE=$([[ $QUICK == 1 ]] && echo "--quick" || echo "full")
REPORT="$ROOT/docs/benchmarks.md"
[[ $SMOKE == 1 ]] && { MODE="--smoke"; REPORT="$BENCH/target/smoke-benchmarks.md"; }
python3 "$BENCH/report.py" --results "$RESULTS" --out "$REPORT" --mode="$MODE" \
  --rounds "$ROUNDS" --round-seconds "$ROUND_SECONDS" --settle-seconds "$SETTLE_SECONDS" --warmup-seconds "$WARMUP_SECONDS" \
  --connections "$CONNECTIONS" --jvm-flags "$JVM_FLAGS" --run-seconds "$RUN_SECONDS" --baseline "${BENCH_BASELINE_JAR:-}" \
  ${BENCH_COMMENTARY:+--commentary "$BENCH_COMMENTARY"}
log "done in ${RUN_SECONDS}s: $REPORT (raw results in $RESULTS)"
