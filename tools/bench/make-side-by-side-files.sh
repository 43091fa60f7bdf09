#!/usr/bin/env bash
# Writes the side-by-side benchmark files into DIR: random-weight SmolLM2 135M and 360M shapes from
# `orchard convert --random` (F32), given a synthetic tokenizer (gguf_add_tokenizer.py, llama.cpp's gguf-py) so
# that llama.cpp loads them, then quantized by llama.cpp's own llama-quantize to Q4_0, Q8_0 and F16.
#
#   tools/bench/make-side-by-side-files.sh LLAMA_CPP_DIR DIR
#
# LLAMA_CPP_DIR holds build/bin/llama-quantize and gguf-py (nothing is built or downloaded). gguf-py needs
# Debian's python3-numpy, python3-yaml and python3-sentencepiece under /usr/bin/python3.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
LLAMA=$1; DIR=$2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$DIR"
for shape in 135m 360m; do
  "$HERE/orchard" convert --random "smollm2-$shape" --encoding f32 --output "$DIR/raw-$shape-f32.gguf"
  /usr/bin/python3 "$HERE/tools/bench/gguf_add_tokenizer.py" --gguf-py "$LLAMA/gguf-py" \
    "$DIR/raw-$shape-f32.gguf" "$DIR/smollm2-$shape-f32.gguf"
  rm "$DIR/raw-$shape-f32.gguf"
  for type in Q4_0 Q8_0 F16; do
    lower=$(echo "$type" | tr 'A-Z' 'a-z')
    "$LLAMA/build/bin/llama-quantize" "$DIR/smollm2-$shape-f32.gguf" "$DIR/smollm2-$shape-$lower.gguf" "$type" \
      > "$DIR/quantize-$shape-$lower.log" 2>&1
    echo "wrote $DIR/smollm2-$shape-$lower.gguf"
  done
done
