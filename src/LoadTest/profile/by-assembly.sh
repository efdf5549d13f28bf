#!/usr/bin/env bash
# Groups a perf recording's samples of one .NET process by assembly (managed frames) or "native/kernel".
# The process must have been started with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0, e.g.
#   DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ./owl run --detach
#   perf record -F 999 -g -p "$(pgrep -f ApiHost.dll)" -o /tmp/api.data -- sleep 5      (under load)
#   src/LoadTest/profile/by-assembly.sh /tmp/api.data "$(pgrep -f ApiHost.dll)" [TOP]
set -euo pipefail
perf report -i "$1" --pid "$2" --no-children --sort sym -q -g none 2>/dev/null \
  | sed -E 's/\[(OptimizedTier1OSR|OptimizedTier1|Optimized|Tier0|Tier1)\]//; s/^ *([0-9.]+%)\s+\[.\]\s+/\1 /' \
  | awk '{pct = $1; asm = "native/kernel"; if (match($0, /\[[A-Za-z0-9.]+\]/)) asm = substr($0, RSTART + 1, RLENGTH - 2); a[asm] += pct}
         END {for (k in a) printf "%6.2f%% %s\n", a[k], k}' \
  | sort -rn | head -"${3:-25}"
