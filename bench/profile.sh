#!/usr/bin/env bash
# Where a route's CPU goes: a Linux perf profile of one Meshgate JVM under load, by component.
#
#   bench/profile.sh JAR [CONFIG.yml] [PATH] [SECONDS]     -> bench/target/profile/
#
# CONFIG defaults to bench/config/observed.yml, PATH to /all/ (everything on), SECONDS to 15.
# Tracing is on only where CONFIG sets management.tracing, as in bench/ab.sh.
# The JVM runs with -XX:+PreserveFramePointer; after PROFILE_WARMUP_SECONDS (default 90) of load,
# `perf record -e cpu-clock -F 1999 -g` samples it for SECONDS under wrk -t2 -c50, and
# `jcmd Compiler.perfmap` names its compiled Java frames. Each sample is charged to its leaf frame's
# component (kernel, Netty, Reactor, Spring, Meshgate, TLS, ...): a frame-pointer profile charges an
# inlined method to the compiled method it was inlined into, so read it by component, not by method.
# Output: components.txt (the table), collapsed.txt (one line per distinct stack, root first, for a
# flame graph tool), perf.data with perf-PID.map.
# Why not JFR: on this machine, some hours, a JFR recording made the gateway five times slower and
# kept a tenth of its samples (bench/notes.md).
# Needs: perf (root, or kernel.perf_event_paranoid <= 1), java, jcmd, wrk, nginx, taskset, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$(realpath "${1:?usage: bench/profile.sh JAR [CONFIG.yml] [PATH] [SECONDS]}")"
CONFIG="$(realpath "${2:-$ROOT/bench/config/observed.yml}")"
URL_PATH="${3:-/all/}"
SECONDS_PROFILED="${4:-15}"
OUT="$ROOT/bench/target/profile"
WORK="$OUT/work"
# shellcheck source=bench/settings.sh
source "$ROOT/bench/settings.sh"
source "$ROOT/bench/work-dir.sh"
prepare_work "$WORK" "$ROOT"/bench/config/common.yml "$ROOT"/bench/peers/upstream-nginx.conf "$CONFIG"
tracing_args "$CONFIG"
URL="http://127.0.0.1:18300$URL_PATH"

taskset -c 0 nginx -e "$WORK/logs/up.log" -c "$WORK/config/upstream-nginx.conf" -p "$WORK/up"
# shellcheck disable=SC2086
taskset -c 0 java $JVM_FLAGS -XX:+PreserveFramePointer -jar "$JAR" --server.port=18300 \
  --management.server.port=18301 --meshgate.store.path="$WORK/store" "${TRACING[@]}" "${BENCH_LOGIN[@]}" \
  --spring.config.additional-location="file:$WORK/config/common.yml,file:$WORK/config/$(basename "$CONFIG")" \
  > "$WORK/logs/gateway.log" 2>&1 &
GATEWAY=$!; PIDS+=("$GATEWAY")
answers_200 "$URL" "$WORK/logs/gateway.log"
echo "warm-up: ${PROFILE_WARMUP_SECONDS:-90}s" >&2
taskset -c 1 wrk -t2 -c50 -d"${PROFILE_WARMUP_SECONDS:-90}s" -H "$USER_HEADER" "$URL" >/dev/null

taskset -c 1 wrk -t2 -c50 -d"$((SECONDS_PROFILED + 2))s" -H "$USER_HEADER" "$URL" > "$OUT/wrk.txt" &
LOAD=$!
sleep 1
perf record -q -e cpu-clock -F 1999 -g -p "$GATEWAY" -o "$OUT/perf.data" -- sleep "$SECONDS_PROFILED" 2>/dev/null
wait "$LOAD"
if grep -q Non-2xx "$OUT/wrk.txt"; then echo "non-2xx answers while profiling: $(grep Non-2xx "$OUT/wrk.txt")" >&2; fi
jcmd "$GATEWAY" Compiler.perfmap >/dev/null
cp "/tmp/perf-$GATEWAY.map" "$OUT/"
perf script -i "$OUT/perf.data" -F ip,sym 2>/dev/null > "$OUT/stacks.txt"

python3 - "$OUT/stacks.txt" "$OUT/components.txt" "$OUT/collapsed.txt" <<'EOF'
import collections, re, sys
samples, stack = [], []
for line in open(sys.argv[1], errors='replace'):
    line = line.strip()
    if not line:
        if stack: samples.append(stack)
        stack = []
        continue
    ip, _, symbol = line.partition(' ')
    # kernel frames sit in the top half of the address space
    stack.append('[kernel] ' + symbol if ip.startswith('ffff') else symbol or ip)
if stack: samples.append(stack)
# first match wins; the leaf frame decides
components = [
    ('the kernel', r'^\[kernel\] '),
    ('Meshgate', r'io\.meshgate\.'),
    ('Micrometer and OpenTelemetry', r'io\.micrometer\.|io\.opentelemetry\.'),
    ('TLS', r'sun\.security\.|javax\.crypto\.|com\.sun\.crypto\.|io\.netty\.handler\.ssl\.'),
    ('Spring Cloud Gateway', r'org\.springframework\.cloud\.gateway\.'),
    ('Spring (web, HTTP, core)', r'org\.springframework\.'),
    ('Reactor Netty', r'reactor\.netty\.'),
    ('Reactor', r'reactor\.core\.|reactor\.util\.'),
    ('Netty', r'io\.netty\.'),
    ('the JDK', r'(^|\s)(java|javax|jdk|sun)\.'),
    ('interface-call stubs', r'vtable chunks|itable'),
    ('the JVM (GC, compiler, runtime, stubs)', r'.'),
]
counts = collections.Counter()
for s in samples:
    for name, pattern in components:
        if re.search(pattern, s[0]):
            counts[name] += 1
            break
n = len(samples)
with open(sys.argv[2], 'w') as out:
    out.write(f'{n} samples, each charged to its leaf frame\n')
    for name, k in counts.most_common():
        out.write(f'{100 * k / n:5.1f} %  {name}\n')
collapsed = collections.Counter(';'.join(reversed([re.sub(r'\s+', '_', f) for f in s])) for s in samples)
with open(sys.argv[3], 'w') as out:
    for stack, k in collapsed.most_common():
        out.write(f'{stack} {k}\n')
print(open(sys.argv[2]).read(), end='')
EOF
echo "$OUT" >&2
