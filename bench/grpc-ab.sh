#!/usr/bin/env bash
# Two builds of Meshgate side by side on the gRPC row (bench/protocols.sh grpc): per build, CPU µs
# and KB allocated per gRPC unary call (h2c, the demo's meshgate.demo.Echo/Say), the same per
# HTTP/1.1 request on the no-policy route paced to that round's gRPC rate, and their ratio (the
# row's target: <= 1.3); interleaved rounds, median and spread. For "does this change cut the gRPC
# row?" where protocols.sh measures one build.
#
#   bench/grpc-ab.sh OLD.jar NEW.jar [ROUNDS] [SECONDS]       defaults: 8 rounds of 5 s
#
# Rounds alternate the builds' order (A B, B A, ...) so that a drift of the machine hits both;
# the first two rounds are reported but not counted. After the rounds: each build's h2c
# connections to the gRPC upstream (`ss`), and with GRPC_AB_STRACE=1 its system calls per call and
# per request (`strace -f -c` over GRPC_AB_STRACE_SECONDS, default 10, of the same unpaced load).
# Both gateways and both demo upstreams (bench/protocols.sh's: DemoUpstreamServer, DemoGrpcServer)
# run on CPU 0, the load generator (bench/GrpcLoad.java) on CPU 1. Allocation as bench/ab.sh
# counts it (bench/allocation.sh).
# Needs: java, taskset, python3, ss, strace (with GRPC_AB_STRACE). Everything it starts is stopped
# on exit.
set -euo pipefail

OLD_JAR="$(realpath "${1:?usage: bench/grpc-ab.sh OLD.jar NEW.jar [ROUNDS] [SECONDS]}")"
NEW_JAR="$(realpath "${2:?usage: bench/grpc-ab.sh OLD.jar NEW.jar [ROUNDS] [SECONDS]}")"
ROUNDS="${3:-8}"
SECONDS_PER_ROUND="${4:-5}"
WARMUP="${BENCH_WARMUP_SECONDS:-60}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$ROOT/bench/target/grpc-ab"
# shellcheck source=bench/settings.sh
source "$ROOT/bench/settings.sh"
CLK_TCK="$(getconf CLK_TCK)"
CONNECTIONS=4 # the gRPC client's HTTP/2 connections, as bench/protocols.sh
IN_FLIGHT=50
HTTP_UP=18412; GRPC_UP=18413

rm -rf "$WORK"; mkdir -p "$WORK/logs" "$WORK/classes"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

java -Djarmode=tools -jar "$NEW_JAR" extract --destination "$WORK/app" >/dev/null
javac -nowarn -cp "$WORK/app/lib/*" -d "$WORK/classes" "$ROOT/bench/GrpcLoad.java"
LOAD=(taskset -c 1 java -cp "$WORK/classes:$WORK/app/lib/*" GrpcLoad)
cat > "$WORK/grpc.yml" <<EOF
meshgate:
  upstreams:
    - {name: http-up, endpoints: [http://127.0.0.1:$HTTP_UP]}
    - {name: grpc-up, protocol: H2C, endpoints: [http://127.0.0.1:$GRPC_UP]}
  routes:
    - {id: plain, match: {path: /plain/**}, backends: [{upstream: http-up}]}
    - {id: grpc, match: {grpc: {service: meshgate.demo.Echo}}, backends: [{upstream: grpc-up}]}
EOF

# shellcheck source=bench/allocation.sh
source "$ROOT/bench/allocation.sh"
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
wait_for() { # command... (up to 600 s: a loaded machine starts slowly)
  for _ in $(seq 3000); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "did not start: $*" >&2; return 1
}
grpc_ok() { [[ $("${LOAD[@]}" "http://127.0.0.1:$1/meshgate.demo.Echo/Say" 2>&1 | tail -1) == "0 "* ]]; }
http_ok() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") == 200 ]]; }

DEMO_HOST=127.0.0.1 DEMO_PORT=$HTTP_UP taskset -c 0 java -Xmx128m -cp "$WORK/app/$(basename "$NEW_JAR"):$WORK/app/lib/*" \
  io.meshgate.gateway.demo.DemoUpstreamServer > "$WORK/logs/http-up.log" 2>&1 &
PIDS+=("$!")
DEMO_HOST=127.0.0.1 DEMO_PORT=$GRPC_UP taskset -c 0 java -Xmx128m -cp "$WORK/app/$(basename "$NEW_JAR"):$WORK/app/lib/*" \
  io.meshgate.gateway.demo.DemoGrpcServer > "$WORK/logs/grpc-up.log" 2>&1 &
PIDS+=("$!")
declare -A PID PORT
PORT[old]=18400; PORT[new]=18410
for build in old new; do
  jar=$OLD_JAR; [[ $build == new ]] && jar=$NEW_JAR
  # shellcheck disable=SC2086
  taskset -c 0 java $JVM_FLAGS -jar "$jar" --server.port="${PORT[$build]}" \
    --management.server.port=$((PORT[$build] + 1)) --meshgate.store.path="$WORK/store-$build" "${BENCH_LOGIN[@]}" \
    --spring.config.additional-location="file:$ROOT/bench/config/common.yml,file:$WORK/grpc.yml" \
    > "$WORK/logs/$build.log" 2>&1 &
  PID[$build]=$!; PIDS+=("$!")
done
for build in old new; do
  wait_for http_ok "http://127.0.0.1:${PORT[$build]}/plain/"
  wait_for grpc_ok "${PORT[$build]}"
done

echo "warm-up: ${WARMUP}s of gRPC and ${WARMUP}s of HTTP/1.1 on each" >&2
for build in old new; do
  "${LOAD[@]}" "http://127.0.0.1:${PORT[$build]}/meshgate.demo.Echo/Say" "$WARMUP" $CONNECTIONS $IN_FLIGHT >/dev/null 2>&1
  "${LOAD[@]}" "http://127.0.0.1:${PORT[$build]}/plain/" "$WARMUP" $CONNECTIONS $IN_FLIGHT http1 >/dev/null 2>&1
done

measure() { # build url [mode...] -> "us_per_unit KB_per_unit rate failed"
  local build=$1 url=$2 before after out ok failed rate eden_before eden_after
  shift 2
  eden_before=$(eden "${PID[$build]}")
  before=$(cpu_ticks "${PID[$build]}")
  out=$("${LOAD[@]}" "$url" "$SECONDS_PER_ROUND" $CONNECTIONS $IN_FLIGHT "$@" 2>&1 | tail -1)
  after=$(cpu_ticks "${PID[$build]}")
  eden_after=$(eden "${PID[$build]}")
  ok=$(sed 's/.* ok=\([0-9]*\).*/\1/' <<<"$out"); failed=$(sed 's/.*failed=\([0-9]*\).*/\1/' <<<"$out")
  rate=$(sed 's/.*rate=//' <<<"$out")
  python3 -c "kb = $(allocated_kb "$eden_before" "$eden_after"); ok = max($ok, 1)
print(f'{($after - $before) * 1e6 / $CLK_TCK / ok:.1f} {kb / ok:.2f} $rate $failed')"
}

printf 'round build grpc_us grpc_kb grpc_rate http_us http_kb http_rate ratio\n' | tee "$WORK/rounds.txt"
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then order="old new"; else order="new old"; fi
  for build in $order; do
    read -r gus gkb grate gfail <<<"$(measure "$build" "http://127.0.0.1:${PORT[$build]}/meshgate.demo.Echo/Say")"
    read -r hus hkb hrate hfail <<<"$(measure "$build" "http://127.0.0.1:${PORT[$build]}/plain/" http1 "$grate")"
    [[ $gfail == 0 && $hfail == 0 ]] || echo "round $round $build: failed calls (gRPC $gfail, HTTP/1.1 $hfail)" >&2
    printf '%s %s %s %s %s %s %s %s %s\n' "$round" "$build" "$gus" "$gkb" "$grate" "$hus" "$hkb" "$hrate" \
      "$(python3 -c "print(f'{$gus / max($hus, 0.001):.2f}')")" | tee -a "$WORK/rounds.txt"
  done
done

for build in old new; do
  echo "$build: $(ss -tnpH state established "dst 127.0.0.1:$GRPC_UP" | grep -c "pid=${PID[$build]},") h2c connections to the gRPC upstream"
done | tee "$WORK/connections.txt"

if [[ ${GRPC_AB_STRACE:-0} == 1 ]]; then
  for build in old new; do
    for kind in grpc http1; do
      url="http://127.0.0.1:${PORT[$build]}/meshgate.demo.Echo/Say"; mode=()
      [[ $kind == http1 ]] && { url="http://127.0.0.1:${PORT[$build]}/plain/"; mode=(http1); }
      strace -f -c -o "$WORK/strace-$build-$kind.txt" \
        -e trace=write,writev,sendto,sendmsg,read,readv,recvfrom,recvmsg,epoll_wait,epoll_pwait -p "${PID[$build]}" 2>/dev/null &
      tracer=$!
      sleep 2 # strace attaches to every thread
      out=$("${LOAD[@]}" "$url" "${GRPC_AB_STRACE_SECONDS:-10}" $CONNECTIONS $IN_FLIGHT "${mode[@]}" 2>&1 | tail -1)
      kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
      ok=$(sed 's/.* ok=\([0-9]*\).*/\1/' <<<"$out")
      # strace -c: % time, seconds, usecs/call, calls, [errors,] syscall
      awk -v ok="$ok" -v what="$build $kind" '$1 ~ /^[0-9.]+$/ && $NF ~ /^[a-z_0-9]+$/ && $NF != "total" {
          printf "%s: %s %.2f per unit (%d units)\n", what, $NF, $4 / ok, ok }' "$WORK/strace-$build-$kind.txt"
    done
  done | tee "$WORK/syscalls.txt"
fi

python3 - "$WORK/rounds.txt" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]).read().splitlines()[1:]]
counted = [r for r in rows if int(r[0]) > 2] if len(rows) > 8 else rows
for build in ("old", "new"):
    mine = [r for r in counted if r[1] == build]
    for i, name in ((2, "gRPC us/call"), (3, "gRPC KB/call"), (4, "gRPC calls/s"), (5, "HTTP/1.1 paced us/request"),
                    (6, "HTTP/1.1 paced KB/request"), (8, "ratio")):
        values = [float(r[i]) for r in mine]
        print(f"{build}: {name}: median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f}, {len(values)} rounds)")
rounds = sorted({r[0] for r in counted})
diff = [float(next(r for r in counted if r[0] == n and r[1] == "new")[2]) - float(next(r for r in counted if r[0] == n and r[1] == "old")[2]) for n in rounds]
print(f"gRPC us/call new - old per round: median {statistics.median(diff):+.1f} (min {min(diff):+.1f}, max {max(diff):+.1f})")
EOF
