#!/usr/bin/env bash
# Side-by-side speed of ForgetMeNot's Metrics and the Python packages on the same 10,000
# DialogSum pairs: all four ROUGE types with the Porter stemmer, sentence BLEU, sentence chrF.
#
#   pip install rouge-score==0.1.2 sacrebleu==2.6.0 nltk==3.10.4
#   swift build -c release --scratch-path .build-metrics --product fmn
#   Benchmarks/metrics/compare.sh [ROUNDS]      # default 3 rounds, Python and fmn alternating
#
# Each round runs ../shared/bench/metrics_bench.py (single process) and then
# `fmn bench metrics` (median of 5 runs, both cores and one thread) with the Python figure of
# that round, so both see the same machine load. Python's CPU seconds (user + sys) are printed
# too: on a busy machine compare its pairs per CPU second with fmn's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
FMN="${FMN:-.build-metrics/release/fmn}"
BENCH="../shared/bench/metrics_bench.py"
PAIRS="$(mktemp -t fmn-metrics-pairs.XXXXXX.jsonl)"
trap 'rm -f "$PAIRS"' EXIT
for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round"
    py_json=$(/usr/bin/time -f "%U %S" -o "$PAIRS.time" python3 "$BENCH" --write-pairs "$PAIRS")
    echo "python: $py_json"
    read -r user sys < "$PAIRS.time"
    rate=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pairs_per_second"])' "$py_json")
    python3 -c 'import sys; u,s=float(sys.argv[1]),float(sys.argv[2]); print(f"python: {u+s:.2f} CPU s, {10000/(u+s):.1f} pairs per CPU second")' "$user" "$sys"
    "$FMN" bench metrics --pairs "$PAIRS" --runs 5 --reference-pairs-per-second "$rate"
    rm -f "$PAIRS.time"
done
