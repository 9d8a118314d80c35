#!/usr/bin/env bash
# What one request allocates, class by class: objects and bytes per request on one route, counted
# rather than timed, so that two builds can be compared without this machine's CPU noise.
#
#   bench/allocations.sh JAR|bare [CONFIG.yml] [PATH]     -> bench/target/allocations/<name>.txt
#   bench/allocations.sh --diff A.txt B.txt               -> B minus A, largest differences first
#
# JAR is a Meshgate jar (CONFIG defaults to bench/config/observed.yml, PATH to /all/); "bare" is the
# bare Spring Cloud Gateway of bench/bare-scg (PATH /). Tracing is on only where CONFIG sets
# management.tracing (observed.yml, parts.yml, mirror-all.yml), as in bench/ab.sh. The JVM runs with the Epsilon collector
# (nothing is ever collected) and a 14 GB heap, so that `jmap -histo` before and after a measured
# load counts every object allocated in between; divided by the requests wrk completed, that is
# per request. ALLOC_WARMUP_SECONDS (default 40) of load first, so that the JIT compiler's escape
# analysis has removed what it removes in a warm gateway; then ALLOC_SECONDS (default 5) measured,
# wrk -t1 -c10 with run.sh's x-user header. ALLOC_EXTRA_FLAGS adds JVM flags (e.g. -D switches).
# Other threads allocate too (a sampled span's export, timers), a few hundred bytes a second in all.
# Lambda class names are shown without their generated numbers, so that two JVMs' lists compare.
# Needs: java 17+, jmap, wrk, nginx, taskset, python3. Everything it starts is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT_DIR="$ROOT/bench/target/allocations"

if [[ ${1:-} == --diff ]]; then
  python3 - "${2:?usage: bench/allocations.sh --diff A.txt B.txt}" "${3:?usage: bench/allocations.sh --diff A.txt B.txt}" <<'EOF'
import sys
def load(path):
    rows = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 3 and not line.startswith('#'):
            rows[parts[2]] = (float(parts[0]), float(parts[1]))
    return rows
a, b = load(sys.argv[1]), load(sys.argv[2])
print(f"# bytes/request  objects/request  class   ({sys.argv[2]} minus {sys.argv[1]})")
total = sum(v[1] for v in b.values()) - sum(v[1] for v in a.values())
print(f"{total:10.0f}  {sum(v[0] for v in b.values()) - sum(v[0] for v in a.values()):8.2f}  (all classes)")
names = sorted(set(a) | set(b), key=lambda k: -abs(b.get(k, (0, 0))[1] - a.get(k, (0, 0))[1]))
for name in names[:60]:
    objects = b.get(name, (0, 0))[0] - a.get(name, (0, 0))[0]
    size = b.get(name, (0, 0))[1] - a.get(name, (0, 0))[1]
    if abs(size) >= 8:
        print(f"{size:10.0f}  {objects:8.2f}  {name}")
EOF
  exit 0
fi

TARGET="${1:?usage: bench/allocations.sh JAR|bare [CONFIG.yml] [PATH]}"
WORK="$ROOT/bench/target/allocations/work"
# shellcheck source=bench/settings.sh
source "$ROOT/bench/settings.sh"
source "$ROOT/bench/work-dir.sh"
mkdir -p "$OUT_DIR"
FLAGS="-XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx14g -Xss512k ${ALLOC_EXTRA_FLAGS:-}"
if [[ $TARGET == bare ]]; then
  URL_PATH="${3:-/}"; NAME=bare
  prepare_work "$WORK" "$ROOT"/bench/peers/upstream-nginx.conf
  set -- java $FLAGS -jar "$ROOT/bench/bare-scg/target/bare-scg.jar" --server.port=18300
else
  JAR="$(realpath "$TARGET")"
  CONFIG="$(realpath "${2:-$ROOT/bench/config/observed.yml}")"
  URL_PATH="${3:-/all/}"
  NAME="$(basename "$JAR" .jar)-$(basename "$CONFIG" .yml)-$(tr -c 'a-z0-9\n' - <<<"${URL_PATH//\//}")"
  prepare_work "$WORK" "$ROOT"/bench/config/common.yml "$ROOT"/bench/peers/upstream-nginx.conf "$CONFIG"
  tracing_args "$CONFIG"
  set -- java $FLAGS -jar "$JAR" --server.port=18300 --management.server.port=18301 \
    --meshgate.store.path="$WORK/store" "${TRACING[@]}" "${BENCH_LOGIN[@]}" \
    --spring.config.additional-location="file:$WORK/config/common.yml,file:$WORK/config/$(basename "$CONFIG")"
fi
URL="http://127.0.0.1:18300$URL_PATH"

taskset -c 0 nginx -e "$WORK/logs/up.log" -c "$WORK/config/upstream-nginx.conf" -p "$WORK/up"
taskset -c 0 "$@" > "$WORK/logs/gateway.log" 2>&1 &
GATEWAY=$!; PIDS+=("$GATEWAY")
answers_200 "$URL" "$WORK/logs/gateway.log"
taskset -c 1 wrk -t1 -c10 -d"${ALLOC_WARMUP_SECONDS:-40}s" -H "$USER_HEADER" "$URL" >/dev/null
jmap -histo "$GATEWAY" > "$WORK/before.txt"
out=$(taskset -c 1 wrk -t1 -c10 -d"${ALLOC_SECONDS:-5}s" -H "$USER_HEADER" "$URL")
jmap -histo "$GATEWAY" > "$WORK/after.txt"
requests=$(awk '/requests in/ {print $1}' <<<"$out")
if grep -q Non-2xx <<<"$out"; then echo "non-2xx answers during the measured load: $(grep Non-2xx <<<"$out")" >&2; fi

python3 - "$WORK/before.txt" "$WORK/after.txt" "$requests" "$TARGET $URL_PATH" > "$OUT_DIR/$NAME.txt" <<'EOF'
import re, sys, collections
def load(path):
    counts = collections.Counter(); sizes = collections.Counter()
    for line in open(path):
        parts = line.split()
        if len(parts) >= 4 and parts[0].endswith(':'):
            name = re.sub(r'\$\$Lambda(\$\d+)?/0x[0-9a-f]+', '$$Lambda', parts[3])
            counts[name] += int(parts[1]); sizes[name] += int(parts[2])
    return counts, sizes
(c0, s0), (c1, s1) = load(sys.argv[1]), load(sys.argv[2])
n = int(sys.argv[3])
rows = sorted(((c1[k] - c0[k]) / n, (s1[k] - s0[k]) / n, k) for k in c1)
rows.sort(key=lambda r: -r[1])
print(f"# {sys.argv[4]}: {n} requests; per request {sum(r[1] for r in rows):.0f} bytes, {sum(r[0] for r in rows):.1f} objects")
print("# objects/request  bytes/request  class")
for objects, size, name in rows:
    if objects >= 0.02:
        print(f"{objects:8.2f} {size:8.0f} {name}")
EOF
head -1 "$OUT_DIR/$NAME.txt"
echo "$OUT_DIR/$NAME.txt" >&2
