# Sourced by bench/grpc-ab.sh (and meant for bench/ab.sh, which has the same two steps inline):
# bytes a JVM allocated over a measurement, from `jstat -gc` (Serial GC collects when eden is
# full): eden's use after minus before, plus eden's capacity per young collection in between.
eden() { # pid -> "eden_capacity_KB eden_used_KB young_collections"
  taskset -c 1 jstat -gc "$1" | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
    NR == 2 {print $col["EC"], $col["EU"], $col["YGC"]}'
}
allocated_kb() { # "eden before" "eden after" -> KB allocated in between
  python3 -c "
capacity, used_before, young_before = map(float, '$1'.split())
_, used_after, young_after = map(float, '$2'.split())
print(used_after - used_before + (young_after - young_before) * capacity)"
}
