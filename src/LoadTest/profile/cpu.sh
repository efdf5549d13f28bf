#!/usr/bin/env bash
# CPU used by each part of a running system over a window, in cores: PostgreSQL (all its backends), the silos, the
# API hosts, the load tool, wrk, and everything else. Reads /proc only; stops by itself.
#   src/LoadTest/profile/cpu.sh [SECONDS]        (default 10; start the load first)
set -euo pipefail
D=${1:-10}
snap() {
  local p c s k
  for p in /proc/[0-9]*; do
    { c=$(tr -d '\0' < "$p/cmdline" | head -c 200) && s=$(awk '{print $14+$15}' "$p/stat"); } 2>/dev/null || continue
    case "$c" in
      *postgres*) k=pg ;; *Silo.dll*) k=silo ;; *ApiHost.dll*) k=api ;; *LoadTest.dll*) k=load ;; wrk*) k=wrk ;; *) k=other ;;
    esac
    echo "$k ${p#/proc/} $s"
  done
}
a=$(mktemp); b=$(mktemp); trap 'rm -f "$a" "$b"' EXIT
snap | sort -k2,2 > "$a"; sleep "$D"; snap | sort -k2,2 > "$b"
join -1 2 -2 2 -a 2 -e 0 -o 2.1,1.3,2.3 "$a" "$b" \
  | awk -v hz="$(getconf CLK_TCK)" -v d="$D" '{u[$1] += $3 - $2} END {for (k in u) printf "%-6s %.2f cores\n", k, u[k] / hz / d}' | sort
