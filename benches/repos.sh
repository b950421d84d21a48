#!/usr/bin/env bash
# Many repositories served locally: `keytrail scan --repos` over git daemon against the sum
# of single local `scan --git` runs, and peak RSS as the list grows.
#   benches/repos.sh [REPOS=50] [COMMITS=300] [FIXTURES=6]
# Needs a release build (cargo build --release) and git daemon. Repositories are generated
# by fixtures/make-secret-history.sh into benches/out/repos/ (kept between runs).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
N="${1:-50}"; COMMITS="${2:-300}"; FIX="${3:-6}"
BIN="${KEYTRAIL:-${CARGO_TARGET_DIR:-$HERE/../target}/release/keytrail}"
OUT="$HERE/out/repos"; SRV="$OUT/srv"
mkdir -p "$SRV"
for i in $(seq -w 1 "$N"); do
  [ -d "$SRV/r$i.git" ] || bash "$HERE/../fixtures/make-secret-history.sh" "$SRV/r$i.git" "$COMMITS" "$FIX" >/dev/null
done
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$(git --exec-path)/git-daemon" --reuseaddr --export-all --listen=127.0.0.1 --port="$PORT" --base-path="$SRV" 2>/dev/null &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null || true' EXIT
until (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; do sleep 0.1; done
list() { for i in $(seq -w 1 "$N" | head -n "$1"); do echo "git://127.0.0.1:$PORT/r$i.git"; done; }
# seconds and peak RSS (MB) of a command, from /usr/bin/time -v
measure() {
  /usr/bin/time -v "$@" 2>"$OUT/time.txt" >/dev/null || [ $? -le 1 ]
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; secs = s }
              /Maximum resident set size/ { rss = $2 / 1024 }
              END { printf "%.2f s, %.0f MB", secs, rss }' "$OUT/time.txt"
}
start=$(date +%s.%N); maxrss=0
for i in $(seq -w 1 "$N"); do
  /usr/bin/time -v "$BIN" scan --git "$SRV/r$i.git" --format jsonl -q -o /dev/null 2>"$OUT/time.txt" || true
  rss=$(awk -F': ' '/Maximum resident set size/ { print int($2 / 1024) }' "$OUT/time.txt")
  [ "$rss" -gt "$maxrss" ] && maxrss=$rss
done
single=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
for i in $(seq -w 1 "$N"); do git clone -q --mirror "git://127.0.0.1:$PORT/r$i.git" "$OUT/c.git"; rm -rf "$OUT/c.git"; done
clones=$(echo "$(date +%s.%N) - $start" | bc)
echo "| input | time, peak RSS |"
echo "|---|---:|"
printf '| %s single local `scan --git` runs, summed | %.2f s, %s MB (largest) |\n' "$N" "$single" "$maxrss"
printf '| %s `git clone --mirror` over git://, summed | %.2f s |\n' "$N" "$clones"
for n in 1 10 "$N"; do
  list "$n" > "$OUT/list-$n.txt"
  echo "| \`--repos\`, $n repositories over git:// | $(measure "$BIN" scan --repos "$OUT/list-$n.txt" --format jsonl -q -o /dev/null) |"
done
echo "| \`--repos --parallel-repos 2\`, $N repositories | $(measure "$BIN" scan --repos "$OUT/list-$N.txt" --parallel-repos 2 --format jsonl -q -o /dev/null) |"
