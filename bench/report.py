#!/usr/bin/env python3
"""Turns bench/run.sh's raw results (bench/target/results/*.tsv) into docs/benchmarks.md."""
import argparse
import os
import platform
import re
import statistics
import subprocess
from datetime import datetime, timezone

p = argparse.ArgumentParser()
for name in ("results", "out", "mode", "rounds", "round-seconds", "warmup-seconds", "connections",
             "jvm-flags", "run-seconds"):
    p.add_argument("--" + name, required=True)
p.add_argument("--load-at-start", help="default: the results' load.tsv, which bench/run.sh writes")
p.add_argument("--load-at-end", help="default: the results' load.tsv")
p.add_argument("--commentary", help="a Markdown file about this particular run, printed after the targets")
p.add_argument("--written", help="when the results were measured (default: now)")
p.add_argument("--baseline", default="", help="the jar of the baseline build (contenders base-*), if any")
p.add_argument("--settle-seconds", default="0",
               help="unmeasured load before a round in another process than the round before it")
a = p.parse_args()
# How to read the figures, what was changed and what was tried live in bench/notes.md, which
# outlives any one run; the report links it rather than repeating it.
NOTES_POINTER = ("How to read these figures, how each contender is made, what was changed on the request path "
                 "and what each change bought, and what was tried without a gain: [bench/notes.md](../bench/notes.md). "
                 "The decisions those measurements led to, each with its numbers: [docs/design/](design/README.md).")
R = a.results
if a.load_at_start is None or a.load_at_end is None:
    loads = os.path.join(R, "load.tsv")
    start, end = open(loads).read().rstrip("\n").split("\t") if os.path.exists(loads) else ("–", "–")
    a.load_at_start = a.load_at_start or start
    a.load_at_end = a.load_at_end or end


def rows(name):
    path = os.path.join(R, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def cmd(*args):
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=10)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception as ex:  # a missing tool
        return "n/a (%s)" % ex.__class__.__name__


def med(values):
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "–"
    return ("{:,.%df}" % digits).format(v)


def rng(values, digits=0):
    if not values:
        return "–"
    return "%s (%s–%s)" % (fmt(med(values), digits), fmt(min(values), digits), fmt(max(values), digits))


NAMES = {
    "direct": "direct to the nginx upstream (ceiling)",
    "nginx": "nginx reverse proxy",
    "haproxy": "HAProxy",
    "nginx-mtls": "nginx proxy, mTLS to the upstream",
    "bare-scg": "bare Spring Cloud Gateway",
    "bare-observed": "bare Spring Cloud Gateway with Meshgate's observability (actuator, Prometheus, tracing at 10 %)",
    "mg-plain": "Meshgate, no policies",
    "mg-plain-cds": "Meshgate, one route, no policies, as the container image starts it (extracted, CDS archive)",
    "readme": "Meshgate, README's `java -jar`, Java 17",
    "container-cds": "Meshgate as the container image started it until Java 25: Java 17, extracted, CDS archive",
    "container-aot": "Meshgate as the container image starts it: Java 25, extracted, AOT cache",
    "readme-25": "Meshgate, `java -jar`, Java 25",
    "extracted-25": "Meshgate, Java 25, extracted, no cache",
    "aot-onrefresh": "Meshgate, Java 25, extracted, AOT cache trained with spring.context.exit=onRefresh",
    "aot-lazy": "Meshgate as the container image starts it, with spring.main.lazy-initialization=true",
    "aot-2cpu": "Meshgate as the container image starts it, on two CPUs",
    "mg-canary": "Meshgate + canary 90/10 sticky",
    "mg-mirror": "Meshgate + mirroring 10%",
    "mg-mtls": "Meshgate + mTLS to the upstream",
    "mg-resilience": "Meshgate + breaker, retries, outlier detection",
    "mg-tracing": "Meshgate + tracing 10% and metrics",
    "mg-all": "Meshgate, everything on",
    "mg-policies": "Meshgate with the no-policy, canary, mirroring, mTLS and resilience routes (one JVM)",
    "mg-observed": "Meshgate with tracing and metrics, its tracing-only and everything-on routes (one JVM)",
    "mg-idplain": "Meshgate, no policies, beside the identity contenders",
    "mg-jwt": "Meshgate + JWT required, verified token cached",
    "mg-authz": "Meshgate + 100 authorization rules",
    "mg-cors": "Meshgate, CORS preflight",
    "mg-uncached-plain": "Meshgate, no policies, no verified token kept",
    "mg-uncached": "Meshgate + JWT required, RS256 verified on every request",
    "mg-identity": "Meshgate with the identity contenders' no-policy, JWT, 100-rule and CORS routes (one JVM)",
    "base-plain": "baseline build: Meshgate, no policies",
    "base-all": "baseline build: Meshgate, everything on",
    "base-policies": "baseline build: Meshgate with the no-policy route (one JVM)",
    "base-observed": "baseline build: Meshgate with tracing and metrics, its everything-on route (one JVM)",
}

rounds = rows("rounds.tsv")
order = []
rps, cpu, non2xx = {}, {}, {}
cpu_by_round = {}  # (contender, round) -> CPU µs per request
for r, c, v, u, n, bad in rounds:
    if c not in order:
        order.append(c)
    rps.setdefault(c, []).append(float(v))
    cpu.setdefault(c, []).append(float(u))
    cpu_by_round[(c, r)] = float(u)
    non2xx[c] = non2xx.get(c, 0) + int(bad or 0)
m = {c: med(v) for c, v in rps.items()}
mc = {c: med(v) for c, v in cpu.items()}


def ratio(c, base):
    return "–" if base not in m or not m.get(base) else "%.2f" % (m[c] / m[base])


def cpu_ratio_to_bare(c):
    """Bare Spring Cloud Gateway's CPU µs per request over the contender's (medians of the rounds):
    how many of the contender's requests the CPU of one bare-SCG request pays for; > 1 is cheaper."""
    return mc["bare-scg"] / mc[c] if c in mc and mc.get("bare-scg") else None


def paired_cpu_ratios(c, base="bare-scg"):
    """The same ratio round by round, each from the two contenders' rounds of the same round number."""
    return [cpu_by_round[(base, r)] / u for (k, r), u in cpu_by_round.items()
            if k == c and (base, r) in cpu_by_round and u]


out = []
w = out.append
w("# Benchmarks")
w("")
ENV = "BENCH_WARMUP_SECONDS=%s " % os.environ["BENCH_WARMUP_SECONDS"] if os.environ.get("BENCH_WARMUP_SECONDS") else ""
COMMAND = ENV + "bench/run.sh" + ("" if a.mode == "full" else " " + a.mode)
w("Written by `%s` on %s UTC (the whole run took %s s). Compare only the ratios within "
  "one run: absolute numbers depend on the machine and on whatever else it was doing."
  % (COMMAND, a.written or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
     a.run_seconds))
w("")
w("## How it was measured")
w("")
cpu_model = "unknown"
try:
    with open("/proc/cpuinfo") as f:
        cpu_model = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
except Exception:
    pass
mem = "unknown"
try:
    with open("/proc/meminfo") as f:
        mem = "%.1f GiB" % (int(next(l.split()[1] for l in f if l.startswith("MemTotal"))) / 1024 / 1024)
except Exception:
    pass
osname = "Linux"
try:
    with open("/etc/os-release") as f:
        osname = next(l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME"))
except Exception:
    pass
w("| | |")
w("|---|---|")
w("| command | `%s` |" % COMMAND)
w("| machine | %d CPUs (%s), %s RAM, %s, kernel %s |" % (os.cpu_count(), cpu_model, mem, osname, platform.release()))
w("| load average (1/5/15 min) at start / end | %s / %s |" % (a.load_at_start, a.load_at_end))
w("| Java | %s |" % cmd("java", "-version"))
w("| JVM flags (bare SCG and every Meshgate) | `%s` |" % a.jvm_flags)
w("| Meshgate | Spring Boot 4.0.7, Spring Cloud 2025.1.4 (Spring Cloud Gateway 5.0.4), Reactor Netty |")
w("| peers | %s; %s |" % (cmd("nginx", "-v"), cmd("haproxy", "-v")))
settle = ("; a round in another process than the round before it starts after %s s of unmeasured load"
          % a.settle_seconds) if a.settle_seconds not in ("0", "") else ""
w("| load | `wrk -t2 -c%s -d%ss` (%s), %s rounds, contenders alternating with the order rotated each round%s; "
  "JVMs warmed %s s each first, on all their routes at once |"
  % (a.connections, a.round_seconds, cmd("wrk", "-v"), a.rounds, settle, a.warmup_seconds))
if a.baseline:
    w("| baseline build (contenders base-*) | `%s`, same JVM flags and configurations |" % a.baseline)
w("| pinning | `taskset`: the system under test and the nginx upstream on CPU 0, load generators on CPU 1 |")
w("| upstream | nginx, one worker, `return 200 \"hello world\\n\"` (12 bytes) |")
w("")
w("CPU per request is utime + stime of the proxy's processes (`/proc/PID/stat`) during the round, "
  "divided by the requests wrk completed. Latency is `bench/Wrk2j.java`: constant rate, 50 "
  "connections, measured from each request's scheduled time (no coordinated omission).")
w("")
w("## Throughput")
w("")
w("Median of the rounds, min–max in brackets; the ratios are of the medians. × bare SCG by CPU is bare "
  "Spring Cloud Gateway's CPU µs per request divided by the contender's: above 1, the contender costs less.")
w("")
w("| contender | rounds | req/s | × direct | × nginx | × bare SCG | CPU µs per request: median | min | "
  "× bare SCG by CPU | non-2xx |")
w("|---|---|---|---|---|---|---|---|---|---|")
for c in order:
    w("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |" % (
        NAMES.get(c, c), len(cpu[c]), rng(rps[c]), ratio(c, "direct"), ratio(c, "nginx"), ratio(c, "bare-scg"),
        rng(cpu[c], 1), fmt(min(cpu[c]), 1), fmt(cpu_ratio_to_bare(c), 2), non2xx[c]))
w("")
mesh_vs_bare = [c for c in ("mg-all", "mg-plain", "base-all", "base-plain") if c in mc]
if "bare-scg" in mc and mesh_vs_bare:
    w("### Against bare Spring Cloud Gateway, CPU per request")
    w("")
    w("Targets: everything on ≥ 1.0× bare Spring Cloud Gateway, no policies ≥ 1.3× (bare SCG's "
      "CPU µs per request over Meshgate's). Per round: the ratio of the two contenders' rounds of the same "
      "number (rounds interleave the contenders), so the spread shows how far a machine's drift moves it.")
    w("")
    w("| contender | rounds | CPU µs per request: median | min | bare SCG: median | min | "
      "× bare SCG, medians | × bare SCG, mins | × bare SCG per round: median (min–max) | target |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for c, goal in (("mg-all", 1.0), ("base-all", 1.0), ("mg-plain", 1.3), ("base-plain", 1.3)):
        if c not in mc:
            continue
        per_round = paired_cpu_ratios(c)
        w("| %s | %d | %s | %s | %s | %s | %s | %s | %s | ≥ %.1f× |" % (
            NAMES.get(c, c), len(cpu[c]), fmt(mc[c], 1), fmt(min(cpu[c]), 1), fmt(mc["bare-scg"], 1),
            fmt(min(cpu["bare-scg"]), 1), fmt(cpu_ratio_to_bare(c), 2), fmt(min(cpu["bare-scg"]) / min(cpu[c]), 2),
            rng(per_round, 2), goal))
    w("")
    if "mg-all" in mc and "bare-observed" in mc:
        w("For information, like for like: everything on carries request metrics and tracing at 10 %%, "
          "which bare Spring Cloud Gateway above does not. Against the same gateway built with Spring Boot's "
          "actuator, Prometheus and Micrometer Tracing, with the observed JVM's settings (%s µs per request, "
          "min %s), everything on measured **%.2f×** by medians, %.2f× by mins, per round %s." % (
              fmt(mc["bare-observed"], 1), fmt(min(cpu["bare-observed"]), 1), mc["bare-observed"] / mc["mg-all"],
              min(cpu["bare-observed"]) / min(cpu["mg-all"]), rng(paired_cpu_ratios("mg-all", "bare-observed"), 2)))
        w("")
# Issue 24's identity-and-access contenders: each against the no-policy route of its own JVM, with
# the target it has there (CPU µs per request added); reported in a table of their own.
IDENTITY = (("mg-jwt", "mg-idplain", 15, "JWT with a cached verified token"),
            ("mg-uncached", "mg-uncached-plain", 80, "uncached RS256 verify"),
            ("mg-authz", "mg-idplain", 5, "100 authorization rules"),
            ("mg-cors", "mg-idplain", 10, "CORS preflight"))
IDENTITY_ROUTES = {c for row in IDENTITY for c in row[:2]}
mesh = [c for c in order if c.startswith("mg-") and c != "mg-plain" and c not in IDENTITY_ROUTES]
if "mg-plain" in mc and mesh:
    w("Cost of each policy, CPU µs per request added to Meshgate with no policies "
      "(and to bare Spring Cloud Gateway):")
    w("")
    w("| contender | + µs over Meshgate plain | + µs over bare SCG |")
    w("|---|---|---|")
    for c in ["mg-plain"] + mesh:
        w("| %s | %s | %s |" % (NAMES.get(c, c), "%+.1f (%+.0f%%)" % (mc[c] - mc["mg-plain"], 100 * (mc[c] / mc["mg-plain"] - 1)),
                               "%+.1f" % (mc[c] - mc["bare-scg"]) if "bare-scg" in mc else "–"))
    w("")



def paired_added(c, base):
    """The contender's CPU µs per request minus its base's, round by round (same round number)."""
    return [u - cpu_by_round[(base, r)] for (k, r), u in cpu_by_round.items() if k == c and (base, r) in cpu_by_round]


w("## Identity and access (issue 24)")
w("")
w("Each contender against the route without policies of its own JVM (JIT state shared), as CPU µs "
  "per request added: the median of the contender's rounds minus the median of its base's, and the "
  "same difference round by round (rounds of the same number interleave). How they are made: "
  "\"Identity and access contenders\" in [bench/notes.md](../bench/notes.md).")
w("")
if any(c in mc for c, _, _, _ in IDENTITY):
    w("| contender | base (no policies, same JVM) | CPU µs per request: contender | base | added, medians | "
      "added per round: median (min–max) | target | non-2xx |")
    w("|---|---|---|---|---|---|---|---|")
    for c, base, goal, _ in IDENTITY:
        if c not in mc or base not in mc:
            continue
        w("| %s | %s | %s | %s | %+.1f | %s | ≤ %d µs | %d |" % (
            NAMES.get(c, c), NAMES.get(base, base), rng(cpu[c], 1), rng(cpu[base], 1), mc[c] - mc[base],
            rng(paired_added(c, base), 1), goal, non2xx[c]))
    w("")
else:
    w("Not in this run (its Meshgate contenders were `%s`)." % " ".join(
        c[3:] for c in order if c.startswith("mg-")))
    w("")


def saturated(kv, rate):
    """True when the target did not keep up with the planned rate (2 % slack), or kept close to it
    only by letting requests queue (a median latency of 100 ms or more)."""
    return float(kv.get("achieved", 0)) < 0.98 * float(rate) or float(kv.get("p50", 0)) >= 100_000


lat = rows("latency.tsv")
if lat:
    w("## Latency at a constant rate")
    w("")
    parsed = {}
    for c, rate, line in lat:
        kv = dict(re.findall(r"([\w.]+)=([\d.]+)", line))
        parsed[(c, rate)] = kv
    w("| contender | rate | achieved | p50 µs | p90 µs | p99 µs | added p50 / p90 / p99 over direct (µs) |")
    w("|---|---|---|---|---|---|---|")
    for (c, rate), kv in parsed.items():
        d = parsed.get(("direct", rate), {})
        added = "–"
        if saturated(kv, rate):
            added = "saturated: it could not sustain the rate, so requests queued"
        elif d and kv.get("p50") and c != "direct":
            added = " / ".join("%+d" % (int(kv[q]) - int(d[q])) for q in ("p50", "p90", "p99"))
        w("| %s | %s/s | %s/s | %s | %s | %s | %s |" % (NAMES.get(c, c), rate, kv.get("achieved", "?"), kv.get("p50", "?"),
                                                   kv.get("p90", "?"), kv.get("p99", "?"), added))
    w("")
    w("p99 on a shared 2-vCPU VM is noisy; read p50 and p90.")
    w("")

w("## Memory and start-up")
w("")
w("What was done for start-up and memory, with its numbers: [design/start-up-and-memory.md](design/start-up-and-memory.md).")
w("")
rss = rows("rss.tsv")
if rss:
    w("| process | RSS after warm-up |")
    w("|---|---|")
    for c, kib in rss:
        w("| %s | %.0f MiB |" % (NAMES.get(c, c), int(kib) / 1024))
    w("")
# bench/startup.sh: round, contender, ms (results before it: coldstart.tsv, with contender and round swapped)
starts = {}       # contender -> ms of each start
start_of = {}     # (contender, round) -> ms
for r, c, ms in rows("startup.tsv") or [(n, c, ms) for c, n, ms in rows("coldstart.tsv")]:
    starts.setdefault(c, []).append(int(ms))
    start_of[(c, r)] = int(ms)
readme_over_bare = [start_of[("readme", r)] / ms for (c, r), ms in start_of.items()
                    if c == "bare-scg" and ("readme", r) in start_of]
if starts:
    w("Launch to the first 200 through a route, pinned to one CPU (`bench/startup.sh`): every Meshgate with its "
      "built-in demo (polled on `/demo/`), as README's `java -jar` and `docker run` start it, with an empty route "
      "store; bare Spring Cloud Gateway with its one route. The contenders take turns, the order rotated each "
      "round. The container rows start the extracted jar as the Dockerfile does, with the cache its training run "
      "(`config/training-run.sh`) makes at image build; no Docker engine is involved.")
    w("")
    w("| start | starts | median | min | all, in round order |")
    w("|---|---|---|---|---|")
    for c, v in starts.items():
        w("| %s | %d | %.2f s | %.2f s | %s |" % (NAMES.get(c, c), len(v), med(v) / 1000, min(v) / 1000,
                                                 ", ".join("%.2f" % (x / 1000) for x in v)))
    w("")
    if readme_over_bare:
        w("README's start over bare Spring Cloud Gateway's, both `java -jar` on Java 17: %.2f× (medians), "
          "%.2f× (mins); per round %s." % (med(starts["readme"]) / med(starts["bare-scg"]),
                                          min(starts["readme"]) / min(starts["bare-scg"]), rng(readme_over_bare, 2)))
        w("")

scale = rows("scale.tsv")
sv = {}
if scale:
    w("## Route table size")
    w("")
    w("N routes with distinct path prefixes (`/r0/**` … `/rN-1/**`); every request matches the last one. "
      "The Meshgate JVM of the single-policy contenders, warm from their rounds, visits the sizes up and back "
      "down (1, 100, 1,000, 10,000, 10,000, 1,000, 100, 1), so each size is measured twice at times that "
      "average to the same point and whatever the JIT still does favours none; req/s and CPU are the mean of "
      "the two visits, each measured after 2 s of load on its path (30 s before the first; 5 s in --quick). "
      "Apply: `PUT /api/config` of the whole table in place of the previous one, until the last route answers. Edit: `PUT /api/routes/rN-1` on the admin API with a new path (the whole "
      "configuration validated, diffed, applied and stored with its history of 50 versions), until a request "
      "on the new path gets 200. `bench/RouteScaleProbe.java`, with the contenders' JVM flags. Why lookup and "
      "edits do not grow with the table: [design/route-table-scale.md](design/route-table-scale.md).")
    w("")
    w("| routes | req/s | visits | × 1 route | CPU µs per request | apply | edit, admin API (median) | edits |")
    w("|---|---|---|---|---|---|---|---|")
    visits = {}
    for n, v, u, bad, ready in scale:
        kv = dict(re.findall(r"(\w+)=(\[[^\]]*\]|\S+)", ready))
        visits.setdefault(int(n), []).append((float(v), float(u), kv))
    for n, vs in visits.items():
        first = next((kv for _, _, kv in vs if "editMs" in kv), vs[0][2])
        sv[n] = (sum(v for v, _, _ in vs) / len(vs), sum(u for _, u, _ in vs) / len(vs), first, [v for v, _, _ in vs])
    one = sv.get(1, (None,))[0]
    for n, (v, u, kv, each) in sorted(sv.items()):
        w("| %s | %s | %s | %s | %.1f | %s ms | %s ms | %s ms |" % (
            fmt(n), fmt(v), ", ".join(fmt(x) for x in each), "%.2f" % (v / one) if one else "–", u,
            kv.get("applyMs", "?"), kv.get("editMedianMs", "?"), kv.get("editMs", "?")))
    w("")

w("## Targets")
w("")
w("Reported as measured, not asserted anywhere. Missed targets: see [bench/notes.md](../bench/notes.md).")
w("")
w("| target | measured | verdict |")
w("|---|---|---|")


def verdict(ok, miss):
    return "met" if ok else "**missed** (%s)" % miss


def target(name, value, goal, higher_better, unit, fmt_value="%.2f"):
    if value is None:
        w("| %s | not measured in this mode | – |" % name)
        return
    ok = value >= goal if higher_better else value <= goal
    if higher_better:
        miss = "by %.0f%%: %s%s vs %s%s" % (100 * (1 - value / goal), fmt_value % value, unit, fmt_value % goal, unit)
    else:
        miss = "by %.0f%%: %s%s vs %s%s" % (100 * (value / goal - 1), fmt_value % value, unit, fmt_value % goal, unit)
    w("| %s | %s%s | %s |" % (name, fmt_value % value, unit, verdict(ok, miss)))


def cpu_ratio(c, base):
    return mc[c] / mc[base] - 1 if c in mc and base in mc else None


target("everything on ≥ 1.0× bare SCG (CPU per request, medians)", cpu_ratio_to_bare("mg-all"), 1.0, True, "×")
target("no policies ≥ 1.3× bare SCG (CPU per request, medians)", cpu_ratio_to_bare("mg-plain"), 1.3, True, "×")
added50 = None
if lat:
    d = parsed.get(("direct", "4000"))
    g = parsed.get(("mg-plain", "4000"))
    if d and g:
        added50 = int(g["p50"]) - int(d["p50"])
if lat and parsed.get(("mg-plain", "4000")) and saturated(parsed[("mg-plain", "4000")], "4000"):
    w("| added p50 at 4k req/s ≤ 60 µs (Meshgate no policies) | saturated: %s/s achieved of 4000/s | **missed** "
      "(no added latency to speak of: the gateway could not carry the rate) |" % parsed[("mg-plain", "4000")]["achieved"])
else:
    target("added p50 at 4k req/s ≤ 60 µs (Meshgate no policies)", added50, 60, False, " µs", "%d")
mir = cpu_ratio("mg-mirror", "mg-plain")
target("mirroring 10% ≤ 10% more CPU per request", None if mir is None else 100 * mir, 10, False, "%", "%+.0f")
mt = cpu_ratio("mg-mtls", "mg-plain")
target("mTLS ≤ 30% more CPU per request than plaintext", None if mt is None else 100 * mt, 30, False, "%", "%+.0f")
big = sv.get(10000)
target("10,000 routes ≥ 0.9× 1 route (req/s)", big[0] / sv[1][0] if big and 1 in sv else None, 0.9, True, "×")
target("edit within 1 s at 10,000 routes (admin API)", float(big[2]["editMedianMs"]) if big else None, 1000, False,
       " ms", "%.0f")
for c, base, goal, name in IDENTITY:
    target("%s ≤ %d µs CPU per request over the no-policy route" % (name, goal),
           mc[c] - mc[base] if c in mc and base in mc else None, goal, False, " µs", "%+.1f")
rss_mg = max((int(k) / 1024 for c, k in rss if c.startswith("mg-")), default=None)
target("RSS ≤ 300 MiB (largest Meshgate contender)", rss_mg, 300, False, " MiB", "%.0f")
container = next((c for c in ("container-aot", "mg-plain-cds", "container-cds") if c in starts), None)
target("first 200 ≤ 4 s of launch on one CPU, %s (median)" % NAMES.get(container, "the container image"),
       med(starts[container]) / 1000 if container else None, 4, False, " s")
target("README's `java -jar` start ≤ 1.5× bare SCG's (medians)",
       med(starts["readme"]) / med(starts["bare-scg"]) if readme_over_bare else None, 1.5, False, "×")
w("")

# issue 25's rows: bench/protocols.sh writes its own table into the same results directory
if os.path.exists(os.path.join(R, "protocols.md")):
    w("## Protocols: gRPC, TCP routes, TLS passthrough (bench/protocols.sh)")
    w("")
    with open(os.path.join(R, "protocols.md")) as f:
        w(f.read().rstrip())
    w("")

skipped = []
if os.path.exists(os.path.join(R, "skipped.txt")):
    with open(os.path.join(R, "skipped.txt")) as f:
        skipped = [l.strip() for l in f if l.strip()]
if skipped:
    w("## Not measured in this run")
    w("")
    for s in skipped:
        w("- " + s)
    w("")

if a.commentary:
    with open(a.commentary) as f:
        w(f.read().rstrip())
    w("")

w("## Notes")
w("")
w(NOTES_POINTER)
w("")
with open(a.out, "w") as f:
    f.write("\n".join(out))
