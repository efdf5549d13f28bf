#!/usr/bin/env bash
# The mixed load of issue 10 (docs/benchmarks.md): reads alone on 8 connections, then 8 connections each of reads,
# submits and heartbeats at once, against the project that ../shared/bench/side-by-side.sh prepared (its tokens in
# $BENCH_DIR). Loopback only; each run stops after SECONDS.
#   src/LoadTest/wrk/mixed.sh [SECONDS]          env: OWL_URL (http://127.0.0.1:8000), BENCH_DIR (/tmp/owl-bench)
set -euo pipefail
D=${1:-15}; W=${BENCH_DIR:-/tmp/owl-bench}; URL=${OWL_URL:-http://127.0.0.1:8000}
lua="$(cd "$(dirname "$0")/../../../.." && pwd)/shared/bench/wrk/owl.lua"
[ -f "$lua" ] || { echo "no $lua: run from a checkout beside shared/" >&2; exit 1; }
case $URL in http://127.*|http://localhost*) ;; *) echo "refusing a non-loopback URL" >&2; exit 2 ;; esac
task='{"title":"bench","task_type":"data_processing","priority":2,"config":{"epochs":3}}'
beat='{"agent_version":"bench","task_types":["test"],"cpu_usage":12.5,"memory_usage":40,"gpus":[{"gpu_id":0,"name":"Sim GPU","usage":50,"memory_used":3,"memory_total":24,"temperature":50}],"running_tasks":[]}'
# run LABEL TOKENS METHOD BODY PATH
run() {
  TOKENS=$2 METHOD=$3 BODY=$4 THREADS=1 wrk -t1 -c8 -d"${D}s" --latency -s "$lua" "$URL$5" 2>&1 \
    | awk -v label="$1" '/Requests\/sec/ {r=$2} $1=="99%" {p=$2} END {printf "%-10s %10s/s  p99 %s\n", label, r, p}'
}
echo "reads alone:"
run reads "$W/user-tokens.txt" GET "" /api/users/me
echo "mixed:"
run reads "$W/user-tokens.txt" GET "" /api/users/me &
run submits "$W/user-tokens.txt" POST "$task" /api/tasks &
run heartbeats "$W/agent-tokens.txt" POST "$beat" /api/agent/heartbeat &
wait
