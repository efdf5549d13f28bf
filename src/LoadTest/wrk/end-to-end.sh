#!/usr/bin/env bash
# Target 5 of issue 10 (docs/benchmarks.md): tasks run end to end while the queue also holds about 100,000 pending
# tasks of a type no server runs. Against a freshly started project (./owl run --detach on a new cluster): registers
# and funds 256 users (../shared/bench/setup-project.py), queues `data_processing` tasks with a 30 s wrk submit run,
# warms up with one 10 s `tasks` run, then runs the load tool's `tasks` scenario (64 producers, 64 simulated servers)
# RUNS times for 15 s each and prints each run's throughput and dispatch latency. Loopback only; stops by itself.
#   src/LoadTest/wrk/end-to-end.sh [RUNS]          env: OWL_URL (http://127.0.0.1:8000), BENCH_DIR (/tmp/owl-e2e)
set -euo pipefail
RUNS=${1:-3}; W=${BENCH_DIR:-/tmp/owl-e2e}; URL=${OWL_URL:-http://127.0.0.1:8000}
[ "$RUNS" -ge 1 ] 2>/dev/null || { echo "RUNS must be a whole number, at least 1" >&2; exit 2; }
case $URL in http://127.*|http://localhost*) ;; *) echo "refusing a non-loopback URL" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../../.." && pwd)"; bench="$(cd "$root/.." && pwd)/shared/bench"
[ -f "$bench/setup-project.py" ] || { echo "no $bench/setup-project.py: run from a checkout beside shared/" >&2; exit 1; }
tool="$root/src/LoadTest/bin/Release/net10.0/OwlFactory.LoadTest.dll"
[ -f "$tool" ] || dotnet build "$root/src/LoadTest" -c Release -nologo -clp:ErrorsOnly -v:quiet
mkdir -p "$W"
python3 "$bench/setup-project.py" "$URL" "$W" 256 0 0 >/dev/null
task='{"title":"bench","task_type":"data_processing","priority":2,"config":{"epochs":3}}'
TOKENS=$W/user-tokens.txt METHOD=POST BODY=$task THREADS=2 wrk -t2 -c64 -d30s -s "$bench/wrk/owl.lua" "$URL/api/tasks" \
  | awk '/Requests\/sec/ {printf "queued foreign tasks at %d/s for 30 s\n", $2}'
tasks() { dotnet "$tool" tasks --url "$URL" --clients 64 --servers 64 --seconds "$1"; }
tasks 10 >/dev/null
for i in $(seq "$RUNS"); do
  tasks 15 | awk -v run="$i" '/tasks run end to end/ {sub(/.*end to end: /, ""); rate = $0}
    /dispatch latency/ {sub(/.*: /, ""); dispatch = $0} END {print "run " run ": " rate "; dispatch " dispatch}'
done
