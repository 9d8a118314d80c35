# Sourced by bench/run.sh, bench/protocols.sh and bench/mirror-compare.sh: stops a process the
# script started, by the PID file it wrote (never by name): TERM, up to 5 s, then KILL; the file
# is removed.
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

# Stops every process a script started whose PID file is in directory $1 now and when the script
# exits (also on INT/TERM, after logging with the script's log function if it has one).
stop_pid_files_now_and_on_exit() {
  PID_FILES_DIR="$1"
  local file
  for file in "$PID_FILES_DIR"/*.pid; do [[ -e $file ]] && stop_pid_file "$file"; done
  trap '_stop_pid_files_on_exit' EXIT
  trap 'declare -F log >/dev/null && log "interrupted"; exit 130' INT TERM
}
_stop_pid_files_on_exit() {
  local status=$? file
  trap - EXIT INT TERM
  for file in "$PID_FILES_DIR"/*.pid; do [[ -e $file ]] && stop_pid_file "$file"; done
  exit "$status"
}
