#!/usr/bin/env bash
# Every route of bench/config/parts.yml in one Meshgate JVM: CPU µs per request of each, in
# interleaved rounds, and what leaving one policy out of everything on saves, round by round.
# For "where does everything on's cost go?", which the full run answers only across JVMs.
#
#   bench/parts.sh JAR [ROUNDS] [SECONDS]
#
# ROUNDS defaults to 14, SECONDS (measured per route and round) to 4. PARTS_ROUTES (default: every
# route of parts.yml) names the routes, space-separated, e.g. "all all-no-mtls tracing".
# The JVM gets BENCH_JVM_FLAGS (run.sh's), tracing at 10 % and request metrics (parts.yml); it and
# the nginx upstream run on CPU 0, wrk on CPU 1 with run.sh's x-user header (the canary routes hash
# it). Warm-up: PARTS_WARMUP_SECONDS (default 16) of load per route, twice over. Each round loads
# every route in an order rotated by one each round: 1 s to settle, then SECONDS measured (utime +
# stime of the JVM over the requests wrk completed).
# Needs: java, wrk, nginx, taskset, python3. Everything it starts is stopped on exit.
set -euo pipefail

JAR="$(realpath "${1:?usage: bench/parts.sh JAR [ROUNDS] [SECONDS]}")"
ROUNDS="${2:-14}"
SECONDS_PER_ROUND="${3:-4}"
WARMUP="${PARTS_WARMUP_SECONDS:-16}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONFIG="$ROOT/bench/config/parts.yml"
WORK="$ROOT/bench/target/parts"
CLK_TCK="$(getconf CLK_TCK)"
# shellcheck source=bench/settings.sh
source "$ROOT/bench/settings.sh"
read -r -a ROUTES <<<"${PARTS_ROUTES:-$(grep -oP '(?<=match: \{path: /)[a-z0-9-]+(?=/\*\*\})' "$CONFIG" | tr '\n' ' ')}"

source "$ROOT/bench/work-dir.sh"
prepare_work "$WORK" "$ROOT"/bench/config/common.yml "$ROOT"/bench/peers/upstream-nginx.conf "$CONFIG"

load() { taskset -c 1 wrk -t2 -c50 -d"$2s" -H "$USER_HEADER" "http://127.0.0.1:18300/$1/" 2>&1; }
taskset -c 0 nginx -e "$WORK/logs/up.log" -c "$WORK/config/upstream-nginx.conf" -p "$WORK/up"
# shellcheck disable=SC2086
taskset -c 0 java $JVM_FLAGS -jar "$JAR" --server.port=18300 --management.server.port=18301 \
  --meshgate.store.path="$WORK/store" "${BENCH_LOGIN[@]}" \
  --spring.config.additional-location="file:$WORK/config/common.yml,file:$WORK/config/parts.yml" \
  > "$WORK/logs/gateway.log" 2>&1 &
GATEWAY=$!; PIDS+=("$GATEWAY")
for route in "${ROUTES[@]}"; do answers_200 "http://127.0.0.1:18300/$route/" "$WORK/logs/gateway.log"; done
echo "warm-up: ${WARMUP}s per route, twice over ${#ROUTES[@]} routes" >&2
for _ in 1 2; do for route in "${ROUTES[@]}"; do load "$route" "$WARMUP" >/dev/null; done; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY/stat"; }
: > "$WORK/rounds.txt"
for round in $(seq "$ROUNDS"); do
  for k in $(seq 0 $((${#ROUTES[@]} - 1))); do
    route=${ROUTES[$(((k + round) % ${#ROUTES[@]}))]}
    load "$route" 1 >/dev/null
    before=$(cpu_ticks); out=$(load "$route" "$SECONDS_PER_ROUND"); after=$(cpu_ticks)
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$round $route $(python3 -c "print(f'{($after - $before) * 1e6 / $CLK_TCK / $requests:.1f}')") ${non2xx:-0}" \
      | tee -a "$WORK/rounds.txt"
  done
done

python3 - "$WORK/rounds.txt" <<'PY'
import collections, statistics, sys
cpu = collections.defaultdict(dict); non2xx = 0
for line in open(sys.argv[1]):
    round_, route, us, non = line.split()
    cpu[route][int(round_)] = float(us); non2xx += int(non)
print(f"\n{'route':16s} {'median':>7s} {'min':>6s}  all minus route, per round: median (min..max)")
for route, rounds in cpu.items():
    values = list(rounds.values())
    saved = ''
    if route != 'all' and 'all' in cpu:
        diff = [cpu['all'][r] - v for r, v in rounds.items() if r in cpu['all']]
        saved = f"{statistics.median(diff):+6.1f} ({min(diff):+.1f}..{max(diff):+.1f})"
    print(f"{route:16s} {statistics.median(values):7.1f} {min(values):6.1f}  {saved}")
print(f"non-2xx answers: {non2xx}")
PY
