#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the project's fixtures and rule files.
set -euo pipefail
cd "$(dirname "$0")"
seed() {  # seed TARGET FILE...
  mkdir -p "corpus/$1"
  for f in "${@:2}"; do [ -f "$f" ] && cp "$f" "corpus/$1/$(basename "$(dirname "$f")")-$(basename "$f")"; done
}
seed rules_load ../rules/*.toml ../.keytrail.toml
seed engine_scan $(find ../fixtures -type f -size -256k | sort)
printf 'version = 1\nsalt = "%064d"\n\n[[keys]]\nlabel = "k"\ncreated = "2026-01-01T00:00:00Z"\nlen = 40\nhint = "Ug7x"\ndigest = "%064d"\n' 0 0 > corpus/seed-fingerprint.toml
seed fingerprint_file corpus/seed-fingerprint.toml
rm corpus/seed-fingerprint.toml
for t in decode chat_parsers archive; do
  [ -f "fuzz_targets/$t.rs" ] && seed "$t" $(find ../fixtures -type f -size -256k | sort)
done
echo "seeded: $(ls corpus | tr '\n' ' ')"
