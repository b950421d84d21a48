#!/usr/bin/env bash
# Start-up cost: CPU time (user + sys) of scans with next to nothing to read, where loading
# the built-in rules and building the engine is most of the work. Prints a markdown table.
#
#   benches/startup.sh [KEYTRAIL]   (default: target/release/keytrail, built with the shipped profile)
#
# Cases: an empty directory; one small config file; `scan --staged` in a small repository
# with one staged change. Env: RUNS (timed runs, median and best reported; default 30).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
RUNS="${RUNS:-30}"
KT="${1:-}"
if [ -z "$KT" ]; then
  (cd "$REPO" && cargo build --release --locked -q)
  KT="${CARGO_TARGET_DIR:-$REPO/target}/release/keytrail"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/empty" "$WORK/one" "$WORK/repo"
printf 'DATABASE_HOST=db.internal\nLOG_LEVEL=info\nFEATURE_FLAGS=a,b,c\n' > "$WORK/one/settings.env"
(
  cd "$WORK/repo"
  git init -q . && git config user.email bench@example.com && git config user.name bench
  for i in $(seq 50); do printf 'def f%d():\n    return %d\n' "$i" "$i" > "m$i.py"; done
  git add . && git commit -qm init
  printf 'TIMEOUT = 30\n' >> m1.py && git add m1.py
)

python3 - "$KT" "$RUNS" "$WORK" <<'EOF'
import os, statistics, subprocess, sys, time

kt, runs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cases = [
    ("empty directory", [kt, "scan", "-q", f"{work}/empty"], None),
    ("one small file", [kt, "scan", "-q", f"{work}/one/settings.env"], None),
    ("--staged, 1 change", [kt, "scan", "-q", "--staged"], f"{work}/repo"),
]

def once(cmd, cwd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {os.waitstatus_to_exitcode(status)}")
    return (ru.ru_utime + ru.ru_stime) * 1e3, wall * 1e3

print(f"keytrail start-up ({runs} runs each; CPU = user + sys)\n")
print("| case | CPU ms (median) | CPU ms (best) | wall ms (median) |")
print("|---|---|---|---|")
for name, cmd, cwd in cases:
    for _ in range(3):
        once(cmd, cwd)
    samples = [once(cmd, cwd) for _ in range(runs)]
    cpu = [s[0] for s in samples]
    wall = [s[1] for s in samples]
    print(f"| {name} | {statistics.median(cpu):.1f} | {min(cpu):.1f} | {statistics.median(wall):.1f} |")
EOF
