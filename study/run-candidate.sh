#!/usr/bin/env bash
# One row of the recipe study: trains a candidate (the base recipe plus overrides) for a fixed number of
# epochs with a fixed seed on one thread, then scores the best checkpoint on val with beam 5, and appends a
# row to results.tsv. The budget is counted in epochs, not minutes, so the BLEU of a row does not depend on
# what else ran on the machine (training is deterministic for a seed); minutes per epoch are reported beside
# it as the speed measure.
#
#   study/run-candidate.sh NAME [--Section:Key=value ...]
#
# Environment: STUDY_CONFIG (configs/multi30k.en-de.json), STUDY_EPOCHS (4), STUDY_THREADS (1),
# STUDY_CPU (pin to this core with taskset; unset = no pinning), STUDY_DIR (checkpoints/study),
# SEQ2SEQ (the command; default: dotnet run of the CLI project).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 NAME [--Section:Key=value ...]" >&2; exit 2; }
name=$1; shift
config=${STUDY_CONFIG:-configs/multi30k.en-de.json}
epochs=${STUDY_EPOCHS:-4}
threads=${STUDY_THREADS:-1}
dir=${STUDY_DIR:-checkpoints/study}
read -r -a seq2seq <<< "${SEQ2SEQ:-dotnet run --project src/Seq2Seq.Cli -c Release --no-build --}"
pin=(); [ -n "${STUDY_CPU:-}" ] && pin=(taskset -c "$STUDY_CPU")
data=$(jq -r '.Data.Valid' "$config")
src=$(jq -r '.Data.SourceLanguage' "$config"); tgt=$(jq -r '.Data.TargetLanguage' "$config")
run="$dir/$name"
mkdir -p "$dir"
[ -e "$run" ] && { echo "$run exists; remove it or pick another name" >&2; exit 2; }

"${pin[@]}" "${seq2seq[@]}" train --config "$config" --out "$run" --threads "$threads" \
  --Training:MaxEpochs="$epochs" --Training:MaxSeconds=0 --Training:EarlyStoppingPatience=0 \
  --Training:Seed=1 --Training:ReportSeconds=60 "$@" > "$run.train.log" 2>&1
"${pin[@]}" "${seq2seq[@]}" evaluate --model "$run" --source "$data.$src.gz" --ref "$data.$tgt.gz" \
  --beam 5 --length-penalty 1.0 --threads "$threads" --output "$run.val.hyp" > "$run.eval.log" 2>&1

state=$(ls -d "$run"/checkpoints/step-* | tail -1)/trainer_state.json
seconds=$(jq '.training_seconds' "$state")
greedy=$(jq '[.history[].bleu] | max' "$state")
beam5=$(grep -oE '^BLEU = [0-9.]+' "$run.eval.log" | grep -oE '[0-9.]+$')
params=$(grep -oE '[0-9,]+ parameters' "$run.train.log" | head -1 | tr -d ', parameters')
[ -s "$dir/results.tsv" ] || printf 'name\toverrides\tepochs\tval_bleu_beam5\tval_bleu_greedy_best\tminutes\tminutes_per_epoch\tparameters\n' > "$dir/results.tsv"
printf '%s\t%s\t%s\t%s\t%s\t%.1f\t%.2f\t%s\n' "$name" "${*:-(base)}" "$epochs" "$beam5" "$greedy" \
  "$(echo "$seconds/60" | bc -l)" "$(echo "$seconds/60/$epochs" | bc -l)" "$params" >> "$dir/results.tsv"
tail -1 "$dir/results.tsv"
