#!/usr/bin/env bash
# Scores finished full-length runs of one direction as the README reports them: each run's average of its last
# five checkpoints, each run's best checkpoint, the ensemble of the runs' averages, the ensemble of their averages
# and best checkpoints together, and (for the first run) the ensemble of its last five checkpoints against their
# average — every candidate and length penalty on val first;
# the test sets only for the candidates named in TEST_CANDIDATES (default: every run's average and the ensemble).
# Appends "candidate set beam lp bleu chrf bleu_lc" rows to OUT/scores.tsv and keeps the hypotheses.
#
#   study/score-final.sh CONFIG OUT RUN [RUN ...]
#
# Environment: SEQ2SEQ (the command; default: dotnet run of the CLI project, built), BEAM (5), LPS ("1.0 1.5"),
# CANDIDATES (the candidates to score on val, e.g. "ensemble-avg NAME-avg"; default: all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: $0 CONFIG OUT RUN [RUN ...]" >&2; exit 2; }
config=$1; out=$2; shift 2; runs=("$@")
read -r -a seq2seq <<< "${SEQ2SEQ:-dotnet run --project src/Seq2Seq.Cli -c Release --no-build --}"
beam=${BEAM:-5}; read -r -a lps <<< "${LPS:-1.0 1.5}"
data=$(dirname "$(jq -r '.Data.Valid' "$config")")
src=$(jq -r '.Data.SourceLanguage' "$config"); tgt=$(jq -r '.Data.TargetLanguage' "$config")
mkdir -p "$out"
[ -s "$out/scores.tsv" ] || printf 'candidate\tset\tbeam\tlp\tbleu\tchrf\tbleu_lc\tmodels\n' > "$out/scores.tsv"

declare -A models   # candidate name -> --model arguments
averages=()
for run in "${runs[@]}"; do
  name=$(basename "$run")
  [ -d "$run-avg" ] || "${seq2seq[@]}" average --run "$run" --last 5 --out "$run-avg" >&2
  models[$name-avg]="--model $run-avg"; averages+=(--model "$run-avg")
  models[$name-best]="--model $run"
done
if [ ${#runs[@]} -gt 1 ]; then
  models[ensemble-avg]="${averages[*]}"
  models[ensemble-avg-best]="${averages[*]}$(printf ' --model %s' "${runs[@]}")"   # each run's average and best checkpoint
fi
last5=$(ls -d "${runs[0]}"/checkpoints/step-* | sort | tail -5 | sed 's/^/--model /' | tr '\n' ' ')
models[$(basename "${runs[0]}")-ensemble-last5]="$last5"

score() {   # candidate set lp
  local candidate=$1 set=$2 lp=$3 hyp="$out/$1.$2.lp$3.hyp"
  # shellcheck disable=SC2086  # the model arguments are separate words
  local result; result=$("${seq2seq[@]}" evaluate ${models[$candidate]} --source "$data/$set.$src.gz" --ref "$data/$set.$tgt.gz" \
    --beam "$beam" --length-penalty "$lp" --output "$hyp")
  local lc; lc=$("${seq2seq[@]}" evaluate --hyp "$hyp" --ref "$data/$set.$tgt.gz" --lowercase | grep -oE '^BLEU = [0-9.]+' | grep -oE '[0-9.]+$')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$candidate" "$set" "$beam" "$lp" \
    "$(grep -oE '^BLEU = [0-9.]+' <<< "$result" | grep -oE '[0-9.]+$')" "$(grep -oE 'chrF2 = [0-9.]+' <<< "$result" | grep -oE '[0-9.]+$')" \
    "$lc" "${models[$candidate]}" | tee -a "$out/scores.tsv"
}

read -r -a candidates <<< "${CANDIDATES:-${!models[*]}}"
for candidate in "${candidates[@]}"; do for lp in "${lps[@]}"; do score "$candidate" val "$lp"; done; done
read -r -a tests <<< "${TEST_CANDIDATES:-$(printf '%s ' "${!models[@]}" | tr ' ' '\n' | grep -E -- '-avg$|^ensemble-avg$' | tr '\n' ' ')}"
for candidate in "${tests[@]}"; do
  # The penalty this candidate scored best with on val.
  lp=$(awk -F'\t' -v c="$candidate" '$1 == c && $2 == "val" { if ($5 > best) { best = $5; lp = $4 } } END { print lp }' "$out/scores.tsv")
  for set in test_2016_flickr test_2017_flickr; do score "$candidate" "$set" "$lp"; done
done
