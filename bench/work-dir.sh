# Sourced by bench/ab.sh, bench/parts.sh, bench/allocations.sh and bench/profile.sh.
# prepare_work WORK FILE...: a fresh WORK with the demo PKI in WORK/pki (the nginx upstream's
# configuration also serves TLS, for the mTLS routes) and each FILE copied to WORK/config with
# @WORK@ replaced by WORK. From then on, when the script exits, every process whose PID it added
# to PIDS is stopped, and so is the nginx upstream whose PID file is WORK/up/nginx.pid.
PIDS=()
prepare_work() {
  local work="$1" file
  shift
  rm -rf "$work"; mkdir -p "$work/config" "$work/up" "$work/logs"
  DAYS=2 "$(dirname "${BASH_SOURCE[0]}")/../config/pki/make-demo-pki.sh" "$work/pki" >/dev/null
  for file in "$@"; do sed "s#@WORK@#$work#g" "$file" > "$work/config/$(basename "$file")"; done
  STARTED_IN="$work"
  trap _stop_started EXIT
}
_stop_started() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f $STARTED_IN/up/nginx.pid ]] && kill "$(cat "$STARTED_IN/up/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
# answers_200 URL LOG: waits up to 60 s for a 200 from URL (sent with run.sh's x-user header);
# otherwise says where to look (LOG) and fails.
answers_200() {
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H "$USER_HEADER" "$1" || true) == 200 ]] && return 0
    sleep 0.1
  done
  echo "no 200 from $1 within 60 s: see $2" >&2
  return 1
}
