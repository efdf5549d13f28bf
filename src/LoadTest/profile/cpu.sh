#!/usr/bin/env bash
# CPU used by each part of a running system over a window, in cores: PostgreSQL (all its backends), the silos, the
# API hosts, the load tool, wrk, and everything else; then the whole machine's busy time from /proc/stat, so the parts
# can be checked against it. Reads /proc only (in one process, so the sampling itself costs next to nothing and the
# window is timed, not assumed); stops by itself.
#   src/LoadTest/profile/cpu.sh [SECONDS]        (default 10; start the load first)
set -euo pipefail
exec python3 - "${1:-10}" <<'EOF'
import os, sys, time

def part(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read(300).replace(b"\0", b" ").decode(errors="replace")
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime + stime of every thread
    for needle, name in (("postgres", "pg"), ("Silo.dll", "silo"), ("ApiHost.dll", "api"), ("LoadTest.dll", "load")):
        if needle in cmd:
            return name, ticks
    return ("wrk" if cmd.startswith("wrk") else "other"), ticks

def snap():
    start = time.monotonic()
    parts = {pid: p for pid in os.listdir("/proc") if pid.isdigit() and (p := part(pid))}
    with open("/proc/stat") as f:
        machine = [int(x) for x in f.readline().split()[1:]]
    return (start + time.monotonic()) / 2, parts, machine

seconds = float(sys.argv[1])
t0, before, m0 = snap()
time.sleep(seconds)
t1, after, m1 = snap()
window, hz = t1 - t0, os.sysconf("SC_CLK_TCK")
used = {}
for pid, (name, ticks) in after.items():
    # A process that started during the window counts from zero; one that ended is not seen (a short undercount).
    used[name] = used.get(name, 0) + ticks - (before[pid][1] if pid in before else 0)
for name in sorted(used):
    print(f"{name:<6} {used[name] / hz / window:.2f} cores")
delta = [b - a for a, b in zip(m0, m1)]  # user nice system idle iowait irq softirq steal (guest is inside user)
idle = delta[3] + delta[4]  # idle + iowait
print(f"machine {(sum(delta[:8]) - idle) / hz / window:.2f} of {os.cpu_count()} cores busy over {window:.1f} s")
EOF
