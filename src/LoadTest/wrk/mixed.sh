#!/usr/bin/env bash
# The mixed load of issue 10 (docs/benchmarks.md): reads, submits and heartbeats each alone on 8 connections, then 8
# connections of each at once, against the project that ../shared/bench/side-by-side.sh prepared (its tokens in
# $BENCH_DIR). Each run also samples CPU by part (../profile/cpu.sh): alone, it gives what one request of that kind
# costs each process, in microseconds of CPU; mixed, where the two cores went. Loopback only; each run stops after
# SECONDS.
#   src/LoadTest/wrk/mixed.sh [SECONDS]          env: OWL_URL (http://127.0.0.1:8000), BENCH_DIR (/tmp/owl-bench)
set -euo pipefail
D=${1:-15}; W=${BENCH_DIR:-/tmp/owl-bench}; URL=${OWL_URL:-http://127.0.0.1:8000}
[ "$D" -ge 3 ] 2>/dev/null || { echo "SECONDS must be a whole number, at least 3" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
lua="$(cd "$here/../../../.." && pwd)/shared/bench/wrk/owl.lua"
[ -f "$lua" ] || { echo "no $lua: run from a checkout beside shared/" >&2; exit 1; }
case $URL in http://127.*|http://localhost*) ;; *) echo "refusing a non-loopback URL" >&2; exit 2 ;; esac
task='{"title":"bench","task_type":"data_processing","priority":2,"config":{"epochs":3}}'
beat='{"agent_version":"bench","task_types":["test"],"cpu_usage":12.5,"memory_usage":40,"gpus":[{"gpu_id":0,"name":"Sim GPU","usage":50,"memory_used":3,"memory_total":24,"temperature":50}],"running_tasks":[]}'
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
# run KIND: one wrk of that kind on 8 connections; its rate goes to $out/KIND, its line to stdout
run() {
  local tokens method body path
  case $1 in
    reads) tokens=user-tokens.txt method=GET body="" path=/api/users/me ;;
    submits) tokens=user-tokens.txt method=POST body=$task path=/api/tasks ;;
    heartbeats) tokens=agent-tokens.txt method=POST body=$beat path=/api/agent/heartbeat ;;
  esac
  TOKENS=$W/$tokens METHOD=$method BODY=$body THREADS=1 wrk -t1 -c8 -d"${D}s" --latency -s "$lua" "$URL$path" 2>&1 \
    | awk -v kind="$1" -v file="$out/$1" '/Requests\/sec/ {r=$2} $1=="99%" {p=$2}
        END {print r > file; printf "  %-10s %10s/s  p99 %s\n", kind, r, p}'
}
# cpu: CPU by part over the middle of a run (from 1 s in to 1 s before its end) into $out/cpu
cpu() { sleep 1; "$here/../profile/cpu.sh" "$((D - 2))" > "$out/cpu"; }
for kind in reads submits heartbeats; do
  echo "$kind alone:"
  cpu & run "$kind"; wait
  awk -v rate="$(cat "$out/$kind")" '$3 == "cores" && rate > 0 && $1 != "other" && $1 != "wrk" {
      printf "    %-5s %6.0f us of CPU a request\n", $1, $2 * 1e6 / rate }' "$out/cpu"
  cp "$out/$kind" "$out/$kind.alone"
done
echo "mixed:"
cpu & run reads & run submits & run heartbeats & wait
sed 's/^/    /' "$out/cpu"
awk -v a="$(cat "$out/reads.alone")" -v m="$(cat "$out/reads")" 'BEGIN {printf "reads keep %.2f of their rate alone\n", m / a}'
