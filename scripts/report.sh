#!/usr/bin/env bash
# Regenerates the Transformer² section of REPORT.md (tables 1-3 and pictures) on the shipped base model:
# trains SVF and LoRA experts per domain and the classification expert, evaluates every row, renders with
# `t2 report`. Seeds are fixed; a finished step is skipped on a rerun and an interrupted training resumes.
#   scripts/report.sh            # everything (about 30 min on 2 cores)
#   SHIP=1 scripts/report.sh     # also copy the trained SVF experts into the shipped expert library
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-src/main/resources/models/t2-tiny-base}
RUNS=${RUNS:-report/runs}
SVF_STEPS=${SVF_STEPS:-50}
SVF_LR=${SVF_LR:-4e-3}
CLASSIFIER_STEPS=${CLASSIFIER_STEPS:-4}   # its prompts are ~850 tokens (the reference's classification prompt) and the base already classifies well
LORA_STEPS=${LORA_STEPS:-50}
LORA_LR=${LORA_LR:-1e-3}
BATCH=${BATCH:-32}
CEM_GENERATIONS=${CEM_GENERATIONS:-20}
SEED=42
mkdir -p "$RUNS/eval"
CACHE=(--cache-dir "$RUNS/svd")

train() { # method domain: the reference's REINFORCE (greedy rollouts, ±1 rewards) on synth-DOMAIN
  local out="$RUNS/$1-$2"
  [[ -f "$out/done" ]] && return
  local resume=() steps=$SVF_STEPS lr=$SVF_LR extra=()
  [[ -f "$out/checkpoint.safetensors" ]] && resume=(--resume)
  [[ $2 == classification ]] && steps=$CLASSIFIER_STEPS
  if [[ $1 == lora ]]; then steps=$LORA_STEPS; lr=$LORA_LR; extra=(--clip 1.0); fi
  ./t2 train -m "$BASE" "${CACHE[@]}" --task "synth-$2" --method "$1" --steps "$steps" --batch "$BATCH" --lr "$lr" \
      --seed "$SEED" --valid-every 10 --valid-limit 100 "${extra[@]}" -o "$out" "${resume[@]}"
  touch "$out/done"
}

evaluate() { # variant task [eval options...]: one JSON summary per (variant, task)
  local json="$RUNS/eval/$1__$2.json"
  [[ -s "$json" ]] && return
  ./t2 eval -m "$BASE" "${CACHE[@]}" --task "$2" --json --samples "$RUNS/eval/$1__$2.samples.jsonl" "${@:3}" > "$json.tmp"
  mv "$json.tmp" "$json"
}

for d in math code reasoning; do
  train svf "$d"
  train lora "$d"
done
train svf classification

rm -rf "$RUNS/experts"
for d in math code reasoning; do
  ./t2 experts add --experts "$RUNS/experts" --name "$d" --domain "$d" --description "SVF expert trained by REINFORCE on synth-$d" \
      "$RUNS/svf-$d/expert.safetensors"
done

# Table 1: trained domains
for d in math code reasoning; do
  evaluate base "synth-$d"
  evaluate "svf-$d" "synth-$d" --expert "$RUNS/svf-$d/expert.safetensors"
  evaluate "lora-$d" "synth-$d" --lora "$RUNS/lora-$d/expert.safetensors"
done
evaluate base synth-classification
evaluate svf-classification synth-classification --expert "$RUNS/svf-classification/expert.safetensors"

# Table 2 and 3: unseen families
declare -A DOMAIN_OF=([synth-math-hard]=math [synth-code-vars]=code [synth-reasoning-4]=reasoning)
for t in synth-math-hard synth-code-vars synth-reasoning-4; do
  evaluate base "$t"
  for d in math code reasoning; do evaluate "lora-$d" "$t" --lora "$RUNS/lora-$d/expert.safetensors"; done
  evaluate "svf-${DOMAIN_OF[$t]}" "$t" --expert "$RUNS/svf-${DOMAIN_OF[$t]}/expert.safetensors"
  evaluate prompt "$t" --experts "$RUNS/experts" --strategy prompt
  evaluate classifier "$t" --experts "$RUNS/experts" --strategy classifier --classifier-expert "$RUNS/svf-classification/expert.safetensors"
  if [[ ! -s "$RUNS/eval/fewshot__$t.json" ]]; then rm -f "$RUNS/eval/cem-$t.jsonl"; fi
  evaluate fewshot "$t" --experts "$RUNS/experts" --strategy fewshot --cem-generations "$CEM_GENERATIONS"
done

./t2 report --runs "$RUNS" --base "$BASE" --out REPORT.md --figures docs/t2

if [[ ${SHIP:-0} == 1 ]]; then
  rm -rf "$BASE/experts"
  cp -r "$RUNS/experts" "$BASE/experts"
  cp "$RUNS/svf-classification/expert.safetensors" "$BASE/experts/classifier.safetensors"
  echo "shipped the experts in $BASE/experts"
fi
