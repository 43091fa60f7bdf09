#!/usr/bin/env bash
# Reproduces models/orchard-stories: trains its 2,048-token BPE and pre-trains the model on TinyStories, then
# copies the model files into models/orchard-stories/. About 35 minutes on a quiet 2-core machine; rerunning the
# same command after an interruption resumes from the last checkpoint in runs/orchard-stories.
# Usage: scripts/train-stories.sh [STEPS]   (default 3000; the learning-rate schedule depends on it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA=${ORCHARD_DATA:-../shared/data}/tinystories
STEPS=${1:-3000}
./orchard tokenizer train --input "$DATA/train.jsonl" --vocab-size 2048 --output runs/stories-tokenizer
./orchard pretrain --train "$DATA/train.jsonl" --valid "$DATA/valid.jsonl" --holdout "$DATA/holdout.jsonl" \
  --tokenizer runs/stories-tokenizer --preset orchard-stories --context 256 --batch 16 --steps "$STEPS" \
  --lr 1e-3 --min-lr 1e-4 --warmup 200 --eval-every 500 --eval-docs 200 --checkpoint-every 250 --threads 2 \
  --output runs/orchard-stories
mkdir -p models/orchard-stories
for f in config.json model.safetensors generation_config.json tokenizer.json tokenizer_config.json \
         train_log.jsonl loss_curve.html; do
  cp "runs/orchard-stories/$f" models/orchard-stories/
done
echo "models/orchard-stories is ready: ./orchard generate --prompt 'Once upon a time'"
