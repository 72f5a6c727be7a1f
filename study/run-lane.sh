#!/usr/bin/env bash
# Runs the candidates listed in FILE (one per line: NAME [--Section:Key=value ...]) one after another, pinned
# to core CPU, skipping those whose run folder already exists. Two lanes (CPU 0 and 1) use both cores.
#   study/run-lane.sh CPU FILE
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 CPU FILE" >&2; exit 2; }
cpu=$1; file=$2
while read -r name rest; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -e "${STUDY_DIR:-checkpoints/study}/$name" ] && continue
  # shellcheck disable=SC2086  # the overrides are separate words
  STUDY_CPU=$cpu study/run-candidate.sh "$name" $rest
done < "$file"
