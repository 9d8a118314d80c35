#!/usr/bin/env bash
# Two builds of Meshgate side by side in one run: CPU µs per request on one route, interleaved
# rounds, median and spread. For "does this change cost CPU?" where bench/run.sh's full run is
# too coarse (its rounds compare contenders, not builds).
#
#   bench/ab.sh OLD.jar NEW.jar [CONFIG.yml] [ROUNDS] [SECONDS]
#
# CONFIG defaults to bench/config/plain.yml (one route, no policies); ROUNDS to 12, SECONDS to 3.
# BENCH_PATH (default /) is the path loaded, e.g. /mtls/ with bench/config/policies.yml.
# BENCH_OLD_EXTRA_FLAGS / BENCH_NEW_EXTRA_FLAGS add JVM flags to one side only (the same jar twice,
# e.g. -Dio.netty.handler.ssl.noOpenSsl=true on one side: upstream TLS on the JDK's against BoringSSL).
# Tracing is left out of both JVMs, as bench/run.sh leaves it out of every contender but the one of
# observed.yml, unless CONFIG sets management.tracing: observed.yml (e.g. BENCH_PATH=/all/, everything
# on), parts.yml and mirror-all.yml keep it, 10 % sampled.
# wrk sends bench/run.sh's x-user header (the canary routes hash it).
# Allocation per request: eden's use before and after a round plus eden's capacity per young
# collection in between (`jstat -gc`; Serial GC collects when eden is full), over the requests.
# Both JVMs and the nginx upstream run on CPU 0, wrk on CPU 1. Both JVMs get BENCH_WARMUP_SECONDS
# (default 120) of load at once before the first round; rounds alternate A B, B A, ... so that a
# drift of the machine's speed hits both alike. The first two rounds are reported but not counted.
# Needs: java, wrk, nginx, taskset, python3. Everything it starts is stopped on exit.
set -euo pipefail

OLD_JAR="$(realpath "${1:?usage: bench/ab.sh OLD.jar NEW.jar [CONFIG.yml] [ROUNDS] [SECONDS]}")"
NEW_JAR="$(realpath "${2:?usage: bench/ab.sh OLD.jar NEW.jar [CONFIG.yml] [ROUNDS] [SECONDS]}")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONFIG="$(realpath "${3:-$ROOT/bench/config/plain.yml}")"
ROUNDS="${4:-12}"
SECONDS_PER_ROUND="${5:-3}"
WARMUP="${BENCH_WARMUP_SECONDS:-120}"
URL_PATH="${BENCH_PATH:-/}"
WORK="$ROOT/bench/target/ab"
CLK_TCK="$(getconf CLK_TCK)"
# shellcheck source=bench/settings.sh
source "$ROOT/bench/settings.sh"

source "$ROOT/bench/work-dir.sh"
prepare_work "$WORK" "$ROOT"/bench/config/common.yml "$ROOT"/bench/peers/upstream-nginx.conf "$CONFIG"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

taskset -c 0 nginx -e "$WORK/logs/up.log" -c "$WORK/config/upstream-nginx.conf" -p "$WORK/up"
answers_200 http://127.0.0.1:18080/ "$WORK/logs/up.log"
tracing_args "$CONFIG"
declare -A PID PORT
PORT[old]=18300; PORT[new]=18310
for build in old new; do
  jar=$OLD_JAR; [[ $build == new ]] && jar=$NEW_JAR
  extra=${BENCH_OLD_EXTRA_FLAGS:-}; [[ $build == new ]] && extra=${BENCH_NEW_EXTRA_FLAGS:-}
  # shellcheck disable=SC2086
  taskset -c 0 java $JVM_FLAGS $extra -jar "$jar" --server.port="${PORT[$build]}" \
    --management.server.port=$((PORT[$build] + 1)) --meshgate.store.path="$WORK/store-$build" "${TRACING[@]}" "${BENCH_LOGIN[@]}" \
    --spring.config.additional-location="file:$WORK/config/common.yml,file:$WORK/config/$(basename "$CONFIG")" \
    > "$WORK/logs/$build.log" 2>&1 &
  PID[$build]=$!; PIDS+=("$!")
done
for build in old new; do answers_200 "http://127.0.0.1:${PORT[$build]}${URL_PATH}" "$WORK/logs/$build.log"; done

echo "warm-up: ${WARMUP}s of load on both" >&2
WARMING=()
for build in old new; do
  taskset -c 1 wrk -t1 -c25 -d"${WARMUP}s" -H "$USER_HEADER" "http://127.0.0.1:${PORT[$build]}${URL_PATH}" >/dev/null &
  WARMING+=("$!")
done
wait "${WARMING[@]}"

eden() { # pid -> "eden_capacity_KB eden_used_KB young_collections"
  taskset -c 1 jstat -gc "$1" | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
    NR == 2 {print $col["EC"], $col["EU"], $col["YGC"]}'
}
measure() { # build -> "µs_per_request requests_per_second non_2xx KB_allocated_per_request"
  local build=$1 before after out requests non2xx eden_before eden_after
  eden_before=$(eden "${PID[$build]}")
  before=$(cpu_ticks "${PID[$build]}")
  out=$(taskset -c 1 wrk -t2 -c50 -d"${SECONDS_PER_ROUND}s" -H "$USER_HEADER" "http://127.0.0.1:${PORT[$build]}${URL_PATH}" 2>&1)
  after=$(cpu_ticks "${PID[$build]}")
  eden_after=$(eden "${PID[$build]}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  python3 -c "
capacity, used_before, young_before = map(float, '$eden_before'.split())
_, used_after, young_after = map(float, '$eden_after'.split())
allocated_kb = used_after - used_before + (young_after - young_before) * capacity
print(f'{($after - $before) * 1e6 / $CLK_TCK / $requests:.1f} {$requests / $SECONDS_PER_ROUND:.0f} $non2xx {allocated_kb / $requests:.2f}')"
}

printf 'round  old_us  new_us  old_rps  new_rps  old_kb  new_kb\n' | tee "$WORK/rounds.txt"
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then order="old new"; else order="new old"; fi
  declare -A R=()
  for build in $order; do R[$build]="$(measure "$build")"; done
  read -r ou orps onon okb <<<"${R[old]}"; read -r nu nrps nnon nkb <<<"${R[new]}"
  [[ $onon == 0 && $nnon == 0 ]] || echo "round $round: non-2xx answers (old $onon, new $nnon)" >&2
  printf '%5d  %6s  %6s  %7s  %7s  %6s  %6s\n' "$round" "$ou" "$nu" "$orps" "$nrps" "$okb" "$nkb" | tee -a "$WORK/rounds.txt"
done

python3 - "$WORK/rounds.txt" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]).read().splitlines()[1:]]
counted = rows[2:] if len(rows) > 4 else rows
old = [float(r[1]) for r in counted]; new = [float(r[2]) for r in counted]
diff = [n - o for o, n in zip(old, new)]
print(f"rounds counted: {len(counted)} (of {len(rows)})")
print(f"old: median {statistics.median(old):.1f} us/request (min {min(old):.1f}, max {max(old):.1f})")
print(f"new: median {statistics.median(new):.1f} us/request (min {min(new):.1f}, max {max(new):.1f})")
print(f"new - old per round: median {statistics.median(diff):+.1f} us (min {min(diff):+.1f}, max {max(diff):+.1f})")
old_kb = [float(r[5]) for r in counted]; new_kb = [float(r[6]) for r in counted]
print(f"allocated per request: old median {statistics.median(old_kb):.2f} KB ({min(old_kb):.2f}-{max(old_kb):.2f}),"
      f" new median {statistics.median(new_kb):.2f} KB ({min(new_kb):.2f}-{max(new_kb):.2f})")
EOF
