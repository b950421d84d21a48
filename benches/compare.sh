#!/usr/bin/env bash
# End-to-end benchmark: keytrail against rg reading the same bytes (our physical limit),
# and against peer scanners when they are installed. Prints a markdown table and writes a
# PNG chart of throughput by thread count.
#
#   benches/compare.sh [dir] [git] [histories] [trace] [threads] [staged]   (default: all)
#
# Corpora (built once under $OUT, never inside the repository's tracked files):
#   registry  crate sources from `cargo fetch` of benches/corpus-crates (pinned by its Cargo.lock)
#   git       a generated 10,000-commit history (fixtures/make-big-history.sh), if present
#   histories a generated history shaped like a project whose test fixtures hold many fake
#             secrets (fixtures/make-secret-history.sh: 2,400 commits, 60 fixture files of
#             ten keys each, ~200 feature branches merged back, ~120 tags), plus every bare
#             repository named in HISTORIES (space-separated paths, e.g. mirrors of
#             rails/rails and paramiko/paramiko made with `git clone --mirror URL`)
# Env: OUT (default benches/out), RUNS (timed runs, median reported; default 5), WARMUP (2),
#      PEERS_DIR (a directory with kingfisher/, gitleaks/, betterleaks/ from the shared bench
#      installer; optional), THREADS_LIST (default "1 2").
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
OUT="${OUT:-$HERE/out}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-2}"
THREADS_LIST="${THREADS_LIST:-1 2}"
PEERS_DIR="${PEERS_DIR:-}"
mkdir -p "$OUT/bin" "$OUT/logs"
MODES=("$@"); [ ${#MODES[@]} -eq 0 ] && MODES=(dir git histories trace threads staged)
log() { echo "[compare] $*" >&2; }

# --- tools -------------------------------------------------------------------------------
(cd "$REPO" && cargo build --release --locked -q)
KT="$REPO/target/release/keytrail"
RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  [ -x "$OUT/bin/rg" ] || cargo install --locked --root "$OUT" ripgrep >&2
  RG="$OUT/bin/rg"
fi
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >&2; }

# --- corpora -----------------------------------------------------------------------------
REG_HOME="$OUT/cargo-home"
if [ ! -d "$REG_HOME/registry/src" ]; then
  log "fetching the registry corpus (pinned crate list)"
  (cd "$HERE/corpus-crates" && CARGO_HOME="$REG_HOME" cargo fetch --locked -q)
fi
REGISTRY="$(ls -d "$REG_HOME"/registry/src/*/ | head -1)"
GITREPO="$OUT/history/repo"
if [ ! -d "$GITREPO" ] && [ -x "$REPO/fixtures/make-big-history.sh" ]; then
  log "generating the 10k-commit history"
  "$REPO/fixtures/make-big-history.sh" "$OUT/history/repo" 10000 >&2
fi

bytes_of() { du -sb --apparent-size "$1" | cut -f1; }
KEYWORDS="$OUT/keywords.txt"
"$KT" rules list --format json | python3 -c 'import json,sys; print("\n".join(sorted({k for r in json.load(sys.stdin) for k in r["keywords"]})))' > "$KEYWORDS"

# --- timing ------------------------------------------------------------------------------
# run NAME CMD...: WARMUP untimed runs, RUNS timed runs; records median wall, cpu, max RSS.
declare -A WALL CPU RSS
run() {
  local name="$1"; shift
  for _ in $(seq "$WARMUP"); do "$@" > /dev/null 2>&1 || true; done
  local walls=() cpus=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$OUT/logs/time.txt" "$@" > "$OUT/logs/$name.out" 2> "$OUT/logs/$name.err" || true
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/logs/time.txt")")
    cpus+=("$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$OUT/logs/time.txt")")
    local r; r="$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/logs/time.txt")"
    [ "$r" -gt "$rss" ] && rss="$r"
  done
  WALL[$name]="$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  CPU[$name]="$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  RSS[$name]="$rss"
}

ROWS=()
row() {  # row NAME BYTES FINDINGS REF_NAME
  local n="$1" b="$2" f="$3" ref="${4:-}"
  local mbs; mbs="$(python3 -c "print(f'{$b/1e6/max(${WALL[$n]},1e-3):.1f}')")"
  local ratio="–"
  [ -n "$ref" ] && [ -n "${WALL[$ref]:-}" ] && ratio="$(python3 -c "print(f'{${WALL[$ref]}/max(${WALL[$n]},1e-3):.2f}')")"
  ROWS+=("| $n | ${WALL[$n]} | $mbs | $ratio | ${CPU[$n]} | $((RSS[$n] / 1024)) | $f |")
}
count_json() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$1" 2>/dev/null || echo "?"; }

for mode in "${MODES[@]}"; do
  case "$mode" in
  dir)
    B="$(bytes_of "$REGISTRY")"
    log "dir: $REGISTRY ($((B / 1000000)) MB)"
    run rg-keywords "$RG" -c -i -F -uu -f "$KEYWORDS" "$REGISTRY"
    row rg-keywords "$B" "$(wc -l < "$OUT/logs/rg-keywords.out") files" rg-keywords
    run keytrail-dir "$KT" scan "$REGISTRY" --no-ignore --format json -o "$OUT/logs/keytrail-dir.json"
    row keytrail-dir "$B" "$(count_json "$OUT/logs/keytrail-dir.json")" rg-keywords
    if [ -n "$PEERS_DIR" ] && [ -x "$PEERS_DIR/kingfisher/kingfisher.bin" ]; then
      run kingfisher-dir "$PEERS_DIR/kingfisher/kingfisher.bin" scan "$REGISTRY" --no-validate --no-extract-archives --format json --output "$OUT/logs/kf.json"
      row kingfisher-dir "$B" "see log" rg-keywords
    fi
    ;;
  git)
    [ -d "$GITREPO" ] || { log "git: no history at $GITREPO (fixtures/make-big-history.sh missing)"; continue; }
    B="$(git -C "$GITREPO" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '$1=="blob" {s+=$2} END {print s}')"
    log "git: $GITREPO ($((B / 1000000)) MB of unique blobs)"
    run git-log-rg bash -c "git -C '$GITREPO' log -p --all | '$RG' -c -i -F -f '$KEYWORDS'"
    row git-log-rg "$B" "$(cat "$OUT/logs/git-log-rg.out") lines" git-log-rg
    run keytrail-git "$KT" scan --git "$GITREPO" --format json -o "$OUT/logs/keytrail-git.json"
    row keytrail-git "$B" "$(count_json "$OUT/logs/keytrail-git.json")" git-log-rg
    ;;
  histories)
    SECRETS="$OUT/secret-history/repo"
    [ -d "$SECRETS" ] || "$REPO/fixtures/make-secret-history.sh" "$SECRETS" 2400 60 >&2
    for H in "$SECRETS" ${HISTORIES:-}; do
      n="$(basename "$(dirname "$H")")-$(basename "$H")"
      B="$(git -C "$H" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '$1=="blob" {s+=$2} END {print s}')"
      log "histories: $H ($(git -C "$H" rev-list --all --count) commits, $(git -C "$H" for-each-ref | wc -l) refs, $((B / 1000000)) MB of blobs)"
      run "keytrail-$n" "$KT" scan --git "$H" --format json -o "$OUT/logs/keytrail-$n.json"
      row "keytrail-$n" "$B" "$(count_json "$OUT/logs/keytrail-$n.json")"
      if [ -n "$PEERS_DIR" ] && [ -x "$PEERS_DIR/kingfisher/kingfisher.bin" ]; then
        run "kingfisher-$n" "$PEERS_DIR/kingfisher/kingfisher.bin" scan "$H" --git-history full --no-validate --no-update-check --no-extract-archives -q -f json -o "$OUT/logs/kf-$n.json"
        row "kingfisher-$n" "$B" "see log" "keytrail-$n"
      fi
      if [ -n "$PEERS_DIR" ] && [ -x "$PEERS_DIR/gitleaks/gitleaks.bin" ]; then
        run "gitleaks-$n" "$PEERS_DIR/gitleaks/gitleaks.bin" git "$H" --no-banner -l warn -f json -r "$OUT/logs/gl-$n.json" --exit-code 0 --max-archive-depth 0
        # gitleaks reads `git log -p`, which stops at the first object it cannot read (a
        # history with missing objects): its time is then of part of the history.
        f="$(count_json "$OUT/logs/gl-$n.json")"
        grep -q "fatal: " "$OUT/logs/gitleaks-$n.err" && f="$f (incomplete: git log failed)"
        row "gitleaks-$n" "$B" "$f" "keytrail-$n"
      fi
    done
    ;;
  trace)
    B="$(bytes_of "$REGISTRY")"
    for n in 1 100 10000; do
      fp="$OUT/fp-$n.toml"
      [ -f "$fp" ] || python3 -c "import secrets,string; a=string.ascii_letters+string.digits; print('\n'.join('sk-'+''.join(secrets.choice(a) for _ in range(48)) for _ in range($n)))" | "$KT" fingerprint --label bench -o "$fp" 2>/dev/null
      run "keytrail-trace-$n" "$KT" trace -f "$fp" "$REGISTRY" --format json -o "$OUT/logs/trace-$n.json"
      row "keytrail-trace-$n" "$B" "$(count_json "$OUT/logs/trace-$n.json")" rg-keywords
      # exact copies only: what looking for broken copies costs
      run "keytrail-trace-$n-exact" "$KT" trace --no-broken -f "$fp" "$REGISTRY" --format json -o "$OUT/logs/trace-$n-exact.json"
      row "keytrail-trace-$n-exact" "$B" "$(count_json "$OUT/logs/trace-$n-exact.json")" "keytrail-trace-$n"
    done
    ;;
  threads)
    B="$(bytes_of "$REGISTRY")"
    : > "$OUT/threads.tsv"
    for t in $THREADS_LIST; do
      run "keytrail-t$t" "$KT" scan "$REGISTRY" --no-ignore --threads "$t" --format json -o /dev/null
      run "rg-t$t" "$RG" -c -i -F -uu -j "$t" -f "$KEYWORDS" "$REGISTRY"
      row "keytrail-t$t" "$B" "-" "rg-t$t"
      printf '%s\t%s\t%s\n' "$t" "$(python3 -c "print($B/1e6/${WALL[keytrail-t$t]})")" "$(python3 -c "print($B/1e6/${WALL[rg-t$t]})")" >> "$OUT/threads.tsv"
    done
    python3 -c 'import matplotlib' 2>/dev/null || pip install -q matplotlib >&2
    python3 - "$OUT/threads.tsv" "$OUT/throughput-by-threads.png" <<'PY'
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
t = [int(r[0]) for r in rows]
plt.figure(figsize=(6, 4))
plt.plot(t, [float(r[1]) for r in rows], "o-", label="keytrail scan (all rules)")
plt.plot(t, [float(r[2]) for r in rows], "s--", label="rg -c -i -F (all keywords)")
plt.xlabel("threads"); plt.ylabel("MB/s"); plt.xticks(t); plt.grid(alpha=0.3); plt.legend()
plt.title("Throughput by thread count (registry corpus, warm cache)")
plt.tight_layout(); plt.savefig(sys.argv[2], dpi=120)
PY
    log "chart: $OUT/throughput-by-threads.png"
    ;;
  staged)
    S="$OUT/staged-repo"
    if [ ! -d "$S/.git" ]; then
      mkdir -p "$S" && git -C "$S" init -q
      python3 - "$S" <<'PY'
import os, sys, random
root = sys.argv[1]; r = random.Random(7)
for i in range(10000):
    d = os.path.join(root, f"pkg{i % 100:03d}"); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"mod{i:05d}.py"), "w") as f:
        f.write("".join(f"def f{j}(x):\n    return x * {r.randrange(1000)}\n" for j in range(20)))
PY
      git -C "$S" add -A && git -C "$S" -c user.name=b -c user.email=b@example.com commit -qm init
      for i in 1 2 3 4 5; do echo "value_$i = compute($i)" >> "$S/pkg00$i/mod0000$i.py"; done
      git -C "$S" add -A
    fi
    run keytrail-staged bash -c "cd '$S' && '$KT' scan --staged -q"
    ROWS+=("| keytrail-staged (10k files, 5 changed) | ${WALL[keytrail-staged]} | – | – | ${CPU[keytrail-staged]} | $((RSS[keytrail-staged] / 1024)) | – |")
    ;;
  esac
done

echo
echo "| run | wall s (median of $RUNS) | MB/s | speed vs reference | cpu s | peak RSS MiB | findings |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
