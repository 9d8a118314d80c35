# Sourced by bench/run.sh and bench/protocols.sh: stops a process the script started, by the PID
# file it wrote (never by name): TERM, up to 5 s, then KILL; the file is removed.
stop_pid_file() {
  local file="$1" pid
  [[ -f $file ]] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
