#!/usr/bin/env bash
# Issue 25's benchmark rows, each runnable on its own (bench/run.sh --only ROW,... calls this; a
# full bench/run.sh runs all four after its own rounds):
#
#   grpc         gRPC unary calls through Meshgate (h2c, the demo's meshgate.demo.Echo/Say):
#                Meshgate's CPU per call against its CPU per HTTP/1.1 request on the no-policy
#                route /plain/** of the same JVM, both driven by the same Java client, HTTP/1.1
#                paced to the rate gRPC reached (like rates; target: within 1.3x); beside them
#                HTTP/1.1 from the same client unpaced (about three times gRPC's rate) and from wrk
#   tcp          TCP route throughput, 64 KiB writes into a sink, against HAProxy in TCP mode on
#                the same machine: bytes/s and CPU per MiB (target: >= 0.5x HAProxy's bytes/s)
#   passthrough  TLS passthrough by SNI on the HTTPS port: Meshgate's CPU per connection (each
#                a new TLS connection, relayed untouched to an nginx TLS server), beside its CPU per
#                terminated connection on the same port
#   https        terminated HTTPS, keep-alive: CPU per request of a JVM with passthrough routes (so
#                the HTTPS port reads each ClientHello first) against one without (target: <= 2 %)
#
#   bench/protocols.sh [ROW ...]       default: every row
#
# Environment: PROTO_ROUNDS (7), PROTO_SECONDS (5 per measurement), PROTO_WARMUP_SECONDS (30 of each
# measurement's load before the first round), PROTO_GRPC_WARMUP_SECONDS (60: the same for the grpc
# row, whose path, HTTP/2 codecs on both sides and gRPC framing, compiles later: on the quiet
# machine, after 20 s its first rounds cost 98-160 us per call and its later ones 72-78),
# PROTO_RESULTS (a directory for protocols.tsv and protocols.md; default
# bench/target/protocols/results), BENCH_SKIP_BUILD=1 (use the jar built), BENCH_MAVEN_ARGS
# (default -B -q). Needs what bench/run.sh needs (Java 17, wrk, nginx, haproxy,
# taskset, openssl, curl, python3) and two CPUs: CPU 0 runs the systems under test and their
# upstreams, CPU 1 the load generators. Everything it starts is stopped on exit (PID files under
# bench/target/protocols/pids). The machine's load average is written with the numbers: compare
# ratios within one run only.
set -euo pipefail

ALL_ROWS="grpc tcp passthrough https"
ROWS="${*:-$ALL_ROWS}"
for row in $ROWS; do
  [[ " $ALL_ROWS " == *" $row "* ]] || { echo "unknown row: $row (expected: $ALL_ROWS)" >&2; exit 2; }
done
has_row() { [[ " $ROWS " == *" $1 "* ]]; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
WORK="$BENCH/target/protocols"
RESULTS="${PROTO_RESULTS:-$WORK/results}"
PIDS="$WORK/pids"
ROUNDS="${PROTO_ROUNDS:-7}"
SECONDS_EACH="${PROTO_SECONDS:-5}"
WARMUP="${PROTO_WARMUP_SECONDS:-30}"
GRPC_WARMUP="${PROTO_GRPC_WARMUP_SECONDS:-60}"
CLK_TCK="$(getconf CLK_TCK)"
SUT_CPU=0
LOAD_CPU=1
# shellcheck source=bench/settings.sh
source "$BENCH/settings.sh"
CONNECTIONS=50
# ports: mg-proto (ingress, HTTPS, TCP route), mg-tls (ingress, HTTPS), upstreams, HAProxy
MG_PROTO=18300; MG_PROTO_HTTPS=18301; MG_PROTO_TCP=18302; MG_TLS=18305; MG_TLS_HTTPS=18304
TLS_UP=18310; SINK=18311; HTTP_UP=18312; GRPC_UP=18313; HAPROXY_TCP=18320

log() { printf '[protocols %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$PIDS"
# shellcheck source=bench/pid-files.sh
source "$BENCH/pid-files.sh"
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for file in "$PIDS"/*.pid; do [[ -e $file ]] && stop_pid_file "$file"; done
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
for file in "$PIDS"/*.pid; do [[ -e $file ]] && stop_pid_file "$file"; done
rm -rf "$WORK/logs" "$WORK/conf"
mkdir -p "$WORK/logs" "$WORK/conf" "$WORK/tls/tmp" "$RESULTS"
# the results directory may be bench/run.sh's: only this script's files are replaced
rm -f "$RESULTS/protocols.tsv" "$RESULTS/protocols.md" "$WORK/grpc-rate"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- build, tools, certificates
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS:--B -q}"
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building Meshgate"
  (cd "$ROOT" && ./mvnw "${MAVEN_ARGS[@]}" -DskipTests package)
fi
APP="$WORK/app"
rm -rf "$APP" "$WORK/classes"
java -Djarmode=tools -jar "$ROOT/gateway-app/target/meshgate.jar" extract --destination "$APP" >/dev/null
APP_CP="$APP/meshgate.jar:$APP/lib/*"
mkdir -p "$WORK/classes"
javac -nowarn -cp "$APP/lib/*" -d "$WORK/classes" "$BENCH/GrpcLoad.java"
javac -nowarn -d "$WORK/classes" "$BENCH/TcpLoad.java"
rm -rf "$WORK/pki"
DAYS=2 "$ROOT/config/pki/make-demo-pki.sh" "$WORK/pki" >/dev/null

# ---------------------------------------------------------------- helpers
cpu_ticks() { # utime + stime of a process
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
pid_of() { cat "$PIDS/$1.pid"; }
start_bg() { # name command... -> on CPU 0, PID in $PIDS/name.pid
  local name="$1"; shift
  taskset -c "$SUT_CPU" "$@" > "$WORK/logs/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}
wait_for() { # name test-command... (up to PROTO_START_SECONDS, default 600: a loaded machine starts slowly)
  local name="$1" deadline=$(( $(date +%s) + ${PROTO_START_SECONDS:-600} )); shift
  while (( $(date +%s) < deadline )); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$name did not start (see $WORK/logs/$name.log)" >&2; exit 1
}
http_ok() { [[ $(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$@") == 200 ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Every Meshgate gets bench/run.sh's editor login (a start without one fails with the demo off)
# and an HTTPS port whose fallback certificate is the demo PKI's server certificate.
start_meshgate() { # name ingress https config
  local name="$1" port="$2" https="$3" config="$4"
  # shellcheck disable=SC2086
  start_bg "$name" java $JVM_FLAGS -jar "$ROOT/gateway-app/target/meshgate.jar" --server.port="$port" \
    --management.server.port=$((port + 100)) --meshgate.store.path="$WORK/stores/$name" \
    "${BENCH_LOGIN[@]}" \
    --meshgate.https.port="$https" --meshgate.https.bundle=ingress --meshgate.l4.address=127.0.0.1 \
    --spring.ssl.bundle.pem.ingress.keystore.certificate="file:$WORK/pki/orders.crt" \
    --spring.ssl.bundle.pem.ingress.keystore.private-key="file:$WORK/pki/orders.key" \
    --spring.config.additional-location="file:$BENCH/config/common.yml,file:$BENCH/config/$config.yml"
}

# ---------------------------------------------------------------- systems under test (CPU 0)
log "rows: $ROWS; upstreams and Meshgate on CPU $SUT_CPU"
rm -rf "$WORK/stores"
DEMO_HOST=127.0.0.1 DEMO_PORT=$HTTP_UP start_bg http-up java -Xmx128m -cp "$APP_CP" io.meshgate.gateway.demo.DemoUpstreamServer
DEMO_HOST=127.0.0.1 DEMO_PORT=$GRPC_UP start_bg grpc-up java -Xmx128m -cp "$APP_CP" io.meshgate.gateway.demo.DemoGrpcServer
start_bg sink java -Xmx64m -cp "$WORK/classes" TcpLoad sink "$SINK"
if has_row passthrough; then
  cat > "$WORK/conf/tls-nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/tls/nginx.pid;
error_log $WORK/logs/tls-nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/tls/tmp; proxy_temp_path $WORK/tls/tmp; fastcgi_temp_path $WORK/tls/tmp;
    uwsgi_temp_path $WORK/tls/tmp; scgi_temp_path $WORK/tls/tmp;
    server {
        listen 127.0.0.1:$TLS_UP ssl;
        ssl_certificate $WORK/pki/orders.crt;
        ssl_certificate_key $WORK/pki/orders.key;
        location / { return 200 "passthrough\n"; }
    }
}
EOF
  start_bg tls-up nginx -e "$WORK/logs/tls-nginx-startup.log" -c "$WORK/conf/tls-nginx.conf" -p "$WORK/tls"
fi
if has_row tcp; then
  cat > "$WORK/conf/haproxy-tcp.cfg" <<EOF
global
    nbthread 1
    maxconn 4000
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:$HAPROXY_TCP
    default_backend be
backend be
    server s1 127.0.0.1:$SINK
EOF
  start_bg haproxy-tcp haproxy -db -f "$WORK/conf/haproxy-tcp.cfg"
fi
start_meshgate mg-proto "$MG_PROTO" "$MG_PROTO_HTTPS" protocols
has_row https && start_meshgate mg-tls "$MG_TLS" "$MG_TLS_HTTPS" terminated
wait_for http-up http_ok "http://127.0.0.1:$HTTP_UP/"
wait_for mg-proto http_ok "http://127.0.0.1:$MG_PROTO/plain/"
if has_row grpc; then
  wait_for grpc-up port_open "$GRPC_UP"
  reply=$(taskset -c "$LOAD_CPU" java -cp "$WORK/classes:$APP/lib/*" GrpcLoad "http://127.0.0.1:$MG_PROTO/meshgate.demo.Echo/Say" 2>&1 | tail -1 || true)
  [[ $reply == "0 "* ]] || { echo "grpc: a call through mg-proto answered '$reply', not grpc-status 0" >&2; exit 1; }
fi
if has_row passthrough; then
  wait_for tls-up http_ok "https://127.0.0.1:$TLS_UP/"
  body=$(curl -sk --max-time 5 --resolve "localhost:$MG_PROTO_HTTPS:127.0.0.1" "https://localhost:$MG_PROTO_HTTPS/")
  [[ $body == passthrough ]] || { echo "passthrough: SNI localhost did not reach the TLS backend (got '$body')" >&2; exit 1; }
fi
has_row tcp && wait_for haproxy-tcp port_open "$HAPROXY_TCP"
has_row https && wait_for mg-tls http_ok "https://127.0.0.1:$MG_TLS_HTTPS/plain/"
http_ok "https://127.0.0.1:$MG_PROTO_HTTPS/plain/" || { echo "mg-proto: terminated HTTPS does not answer" >&2; exit 1; }

# ---------------------------------------------------------------- measurements
# kind seconds -> "rate cpu_us_per_unit units": one measurement of one kind, the CPU that of the
# process serving it (Meshgate, or HAProxy for haproxy-tcp)
measure() {
  local kind="$1" seconds="$2" pid out units rate before after unit_scale=1
  case "$kind" in
    haproxy-tcp) pid=$(pid_of haproxy-tcp) ;;
    tls-*) pid=$(pid_of mg-tls) ;;
    *) pid=$(pid_of mg-proto) ;;
  esac
  before=$(cpu_ticks "$pid")
  case "$kind" in
    grpc|grpc-client-http|grpc-client-http-paced)
      # grpc-client-http: HTTP/1.1 GETs from the same client as fast as it goes; -paced: at the
      # rate of the last gRPC measurement (the row's like-rate comparison)
      local url="http://127.0.0.1:$MG_PROTO/meshgate.demo.Echo/Say" mode=()
      [[ $kind == grpc ]] || { url="http://127.0.0.1:$MG_PROTO/plain/"; mode=(http1); }
      [[ $kind == grpc-client-http-paced ]] && mode+=("$(cat "$WORK/grpc-rate")")
      out=$(taskset -c "$LOAD_CPU" java -cp "$WORK/classes:$APP/lib/*" GrpcLoad \
        "$url" "$seconds" 4 "$CONNECTIONS" "${mode[@]}" 2>&1 | tail -1 || true)
      units=$(sed 's/.* ok=\([0-9]*\).*/\1/' <<<"$out"); rate=$(sed 's/.*rate=//' <<<"$out")
      local failed; failed=$(sed 's/.*failed=\([0-9]*\).*/\1/' <<<"$out")
      [[ $failed == 0 ]] || log "grpc: $failed calls failed"
      [[ $kind != grpc ]] || echo "${rate:-0}" > "$WORK/grpc-rate" ;;
    http|https-*|tls-*)
      local url extra=()
      case "$kind" in
        http) url="http://127.0.0.1:$MG_PROTO/plain/" ;;
        https-keepalive) url="https://127.0.0.1:$MG_PROTO_HTTPS/plain/" ;;
        tls-keepalive) url="https://127.0.0.1:$MG_TLS_HTTPS/plain/" ;;
        https-connection) url="https://127.0.0.1:$MG_PROTO_HTTPS/plain/"; extra=(-H "Connection: close") ;;
        https-passthrough) url="https://localhost:$MG_PROTO_HTTPS/"; extra=(-H "Connection: close") ;;
      esac
      out=$(taskset -c "$LOAD_CPU" wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" "${extra[@]}" "$url" 2>&1 || true)
      units=$(awk '/requests in/ {print $1}' <<<"$out"); rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
      [[ -z $non2xx ]] || log "$kind: $non2xx non-2xx answers" ;;
    tcp|haproxy-tcp)
      local port=$MG_PROTO_TCP
      [[ $kind == haproxy-tcp ]] && port=$HAPROXY_TCP
      out=$(taskset -c "$LOAD_CPU" java -cp "$WORK/classes" TcpLoad send 127.0.0.1 "$port" "$seconds" 4 2>&1 | tail -1 || true)
      # units: MiB relayed; rate: bytes/s
      units=$(python3 -c "import sys; print(int(sys.argv[1] or 0) / 1048576)" "$(sed -n 's/^bytes=\([0-9]*\).*/\1/p' <<<"$out")")
      rate=$(sed 's/.*rate=//' <<<"$out") ;;
  esac
  after=$(cpu_ticks "$pid")
  python3 -c "import sys; u=float(sys.argv[1] or 0); print(sys.argv[2] or 0, round((int(sys.argv[3])-int(sys.argv[4]))*1e6/int(sys.argv[5])/max(u,1e-9),1), u)" \
    "${units:-0}" "${rate:-0}" "$after" "$before" "$CLK_TCK"
}

# row -> the kinds it measures, alternating round by round
kinds_of() {
  case "$1" in
    grpc) echo "grpc grpc-client-http-paced grpc-client-http http" ;;
    tcp) echo "tcp haproxy-tcp" ;;
    passthrough) echo "https-passthrough https-connection" ;;
    https) echo "https-keepalive tls-keepalive" ;;
  esac
}
: > "$RESULTS/protocols.tsv"
for row in $ROWS; do
  read -r -a kinds <<<"$(kinds_of "$row")"
  warmup=$WARMUP
  [[ $row == grpc ]] && warmup=$GRPC_WARMUP
  for kind in "${kinds[@]}"; do
    log "$row: warming $kind for ${warmup}s"
    measure "$kind" "$warmup" >/dev/null
  done
  for round in $(seq "$ROUNDS"); do
    n=${#kinds[@]}
    for k in $(seq 0 $((n - 1))); do
      kind=${kinds[$(( (k + round - 1) % n ))]}
      read -r rate cpu units <<<"$(measure "$kind" "$SECONDS_EACH")"
      echo -e "$row\t$round\t$kind\t$rate\t$cpu\t$units" >> "$RESULTS/protocols.tsv"
      log "$row round $round $kind: rate $rate/s, $cpu us CPU per unit ($units units)"
    done
  done
done

# ---------------------------------------------------------------- summary
LOAD_AT_END="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS/protocols.tsv" "$LOAD_AT_START" "$LOAD_AT_END" "$ROUNDS" "$SECONDS_EACH" "$WARMUP" "$GRPC_WARMUP" \
  > "$RESULTS/protocols.md" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
by = {}
by_round = {}
for row, rnd, kind, rate, cpu, units in rows:
    by.setdefault(kind, []).append((float(rate), float(cpu)))
    by_round[(kind, rnd)] = (float(rate), float(cpu))
def med(kind, i):
    return statistics.median(v[i] for v in by[kind]) if kind in by else None
UNIT = {"grpc": "call", "grpc-client-http-paced": "request", "grpc-client-http": "request", "http": "request", "tcp": "MiB", "haproxy-tcp": "MiB",
        "https-passthrough": "connection", "https-connection": "connection",
        "https-keepalive": "request", "tls-keepalive": "request"}
NAME = {"grpc": "gRPC unary call (h2c, Meshgate)",
        "grpc-client-http-paced": "HTTP/1.1 request, no-policy route, the gRPC row's client paced to gRPC's rate (Meshgate)",
        "grpc-client-http": "HTTP/1.1 request, no-policy route, the gRPC row's client unpaced (Meshgate)",
        "http": "HTTP/1.1 request, no-policy route, driven by wrk (Meshgate)",
        "tcp": "TCP route, 64 KiB writes (Meshgate)", "haproxy-tcp": "HAProxy, TCP mode, 64 KiB writes",
        "https-passthrough": "TLS passthrough, one connection each (Meshgate)",
        "https-connection": "terminated HTTPS, one connection each (Meshgate, passthrough routes present)",
        "https-keepalive": "terminated HTTPS, keep-alive (passthrough routes present)",
        "tls-keepalive": "terminated HTTPS, keep-alive (no passthrough routes)"}
print(f"Machine load average at start {sys.argv[2]}, at end {sys.argv[3]}; {sys.argv[4]} rounds of {sys.argv[5]} s "
      f"after {sys.argv[6]} s of warm-up per measurement (the grpc row: {sys.argv[7]} s); medians.\n")
print("| Measurement | Rate (/s) | CPU per unit (us) |")
print("|---|---:|---:|")
for kind in NAME:
    if kind in by:
        rate = med(kind, 0)
        shown = f"{rate / 1048576:,.0f} MiB/s" if kind.endswith("tcp") else f"{rate:,.0f}"
        print(f"| {NAME[kind]} | {shown} | {med(kind, 1):,.1f} per {UNIT[kind]} |")
print()
def ratio(a, b, i):
    return med(a, i) / med(b, i) if a in by and b in by and med(b, i) else None
def spread(a, b, i):
    """the same ratio round by round (the kinds of a row take turns within each round): min-max"""
    per = [by_round[(a, r)][i] / by_round[(b, r)][i] for (k, r) in by_round if k == a
           and (b, r) in by_round and by_round[(b, r)][i]]
    return f"per round {min(per):.2f}-{max(per):.2f}; " if per else ""
checks = [("gRPC CPU per call / HTTP/1.1 CPU per request, both driven by one client at like rates (HTTP/1.1 paced)",
           ratio("grpc", "grpc-client-http-paced", 1), "<= 1.3", spread("grpc", "grpc-client-http-paced", 1)),
          ("gRPC CPU per call / HTTP/1.1 CPU per request, one client, HTTP/1.1 unpaced (unlike rates: information)",
           ratio("grpc", "grpc-client-http", 1), "none", ""),
          ("gRPC CPU per call / HTTP/1.1 CPU per request driven by wrk (unlike rates: information)",
           ratio("grpc", "http", 1), "none", ""),
          ("TCP route bytes/s / HAProxy's", ratio("tcp", "haproxy-tcp", 0), ">= 0.5", spread("tcp", "haproxy-tcp", 0)),
          ("HTTPS keep-alive CPU per request, passthrough routes present / none", ratio("https-keepalive", "tls-keepalive", 1),
           "<= 1.02", spread("https-keepalive", "tls-keepalive", 1))]
for name, value, target, rounds in checks:
    if value is not None:
        print(f"- {name}: **{value:.2f}** ({rounds}target {target})")
EOF
cat "$RESULTS/protocols.md"
log "done: $RESULTS/protocols.md (raw: protocols.tsv)"
