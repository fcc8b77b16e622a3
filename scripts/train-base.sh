#!/usr/bin/env bash
# Reproduces the shipped base model src/main/resources/models/t2-tiny-base from scratch: a 6-layer Llama with
# stories260K's 512-token vocabulary, pretrained in two phases — the name -> letter lookup alone (phase 1, 12 min),
# then the generated math / code / reasoning / classification corpus from that model (phase 2, 36 min) — on 2 cores;
# interrupted runs resume from the last checkpoint when started again.
#   scripts/train-base.sh            # trains into report/runs/base (the model in report/runs/base/model)
#   SHIP=1 scripts/train-base.sh     # then replaces the shipped model files with it
set -euo pipefail
cd "$(dirname "$0")/.."
SHIPPED=src/main/resources/models/t2-tiny-base
OUT=${OUT:-report/runs/base}
# Phase 1 teaches the in-context lookup (name -> its option's letter) densely: without it the reasoning letter stays at
# chance (the lookup forms between steps 750 and 950 here, as an induction head's phase change).
LOOKUP="--steps 1500 --stop-after 1000 --batch 32 --lr 2e-3 --min-lr 2e-4 --warmup 30 --checkpoint-every 50 --seed 1 --loss-on response --tasks synth-lookup:30000"
# Phase 2, the recipe; ShippedModelTest checks that the shipped model records exactly these options and LOOKUP's.
RECIPE="--steps 2000 --batch 32 --lr 2e-3 --min-lr 2e-4 --warmup 60 --checkpoint-every 100 --seed 1 --loss-on response --tasks synth-math:20000,synth-code:20000,synth-reasoning:20000,synth-classification:1500,synth-lookup:5000 --init-from $OUT/lookup/model"
mkdir -p "$OUT"
if [[ ! -f "$OUT/tokenizer/tokenizer.json" ]]; then
  rm -rf "$OUT/tokenizer"
  ./t2 convert -m src/main/resources/models/stories260K/stories260K.bin -o "$OUT/tokenizer" # its tokenizer as tokenizer.json
fi
# shellcheck disable=SC2086 # LOOKUP and RECIPE are lists of options
./t2 pretrain --config "$SHIPPED/recipe-config.json" --tokenizer "$OUT/tokenizer" -o "$OUT/lookup" $LOOKUP
# shellcheck disable=SC2086
./t2 pretrain --config "$SHIPPED/recipe-config.json" --tokenizer "$OUT/tokenizer" -o "$OUT" $RECIPE
if [[ ${SHIP:-0} == 1 ]]; then
  for f in config.json model.safetensors tokenizer.json tokenizer_config.json pretrain-metrics.jsonl; do
    if [[ -f "$OUT/model/$f" ]]; then cp "$OUT/model/$f" "$SHIPPED/$f"; fi
  done
  echo "shipped $OUT/model in $SHIPPED"
fi
