#!/usr/bin/env bash
# Orchard against llama.cpp on the same GGUF files, same threads, interleaved (orchard bench --against).
#
#   scripts/side-by-side.sh LLAMA_BENCH OUT_DIR FILE.gguf...      (env: THREADS="1 2", ROUNDS=2, REPEAT=5,
#                                                                  PROMPT=128, GEN=128)
#
# For each round, file and thread count it runs `orchard bench --against`, which alternates one Orchard run with
# one llama-bench run REPEAT times; the 1-minute load average is recorded beside every figure. The table printed
# at the end (and written to OUT_DIR/table.md) holds the median over all rounds of each engine's per-run figures.
# Make the files with tools/bench/make-side-by-side-files.sh. Timings on a shared machine are noisy: run it when
# the machine is quiet, and read the load column.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
LLAMA_BENCH=$1; OUT=$2; shift 2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS=${THREADS:-"1 2"}; ROUNDS=${ROUNDS:-2}; REPEAT=${REPEAT:-5}; PROMPT=${PROMPT:-128}; GEN=${GEN:-128}
mkdir -p "$OUT"
for round in $(seq 1 "$ROUNDS"); do
  for file in "$@"; do
    for t in $THREADS; do
      name="$(basename "$file" .gguf)-t$t-r$round"
      echo "== round $round: $file, $t threads (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      "$HERE/orchard" bench -m "$file" --threads "$t" --prompt-tokens "$PROMPT" --gen-tokens "$GEN" \
        --repeat "$REPEAT" --against "$LLAMA_BENCH" --json "$OUT/$name.json" > "$OUT/$name.txt" 2> "$OUT/$name.log" \
        || { echo "failed: see $OUT/$name.log" >&2; tail -3 "$OUT/$name.log" >&2; }
    done
  done
done
python3 "$HERE/tools/bench/side_by_side_table.py" "$OUT"/*.json | tee "$OUT/table.md"
