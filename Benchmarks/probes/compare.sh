#!/usr/bin/env bash
# Side by side, alternating so both see the same machine: lm-eval + transformers scoring the
# reference probe tasks (Benchmarks/probes/lm_eval_scoring.py, best of 3 calls, model loaded),
# then `fmn bench probe` on the same task files with those timings as --reference.
#   Benchmarks/probes/compare.sh [rounds] [threads]      FMN=path/to/fmn to choose the binary
# Needs lm-eval 0.4.13, torch and transformers (pip); a release build of fmn (make release).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${FMN_SHARED_DIR:-$root/../shared}"
fmn="${FMN:-$root/.build-release/release/fmn}"
rounds="${1:-3}"
threads="${2:-2}"
tasks=(sst2 copa arc_easy tinystories dialogsum)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  echo "tasks:"
  for task in "${tasks[@]}"; do echo "  - path: $shared/reference/probes/tasks/$task.yaml"; done
} > "$work/suite.yaml"
for round in $(seq "$rounds"); do
  echo "== round $round (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 "$here/lm_eval_scoring.py" --threads "$threads" --repeats 3 "${tasks[@]}" \
    2>/dev/null | grep '^{' > "$work/lm_eval.jsonl"
  "$fmn" bench probe --model "$shared/data/models/stories260K-hf" --suite "$work/suite.yaml" \
    --runs 3 --reference "$work/lm_eval.jsonl"
done
