#!/usr/bin/env bash
# fmn's side of the probe speed comparison: each task of ../shared/reference/probes/tasks run
# with `fmn probe --json`, repeated; prints the best task time (scoring only: the `elapsedSeconds`
# of the task, model loading and tokenizer start-up excluded, as lm-eval's side excludes them).
#   Benchmarks/probes/fmn_scoring.sh [repeats] [task ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${FMN_SHARED_DIR:-$root/../shared}"
fmn="${FMN:-$root/.build-release/release/fmn}"
repeats="${1:-3}"
shift || true
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(sst2 copa arc_easy tinystories dialogsum)
for task in "${tasks[@]}"; do
  for _ in $(seq "$repeats"); do
    "$fmn" probe --model "$shared/data/models/stories260K-hf" \
      --suite "$shared/reference/probes/tasks/$task.yaml" --json --no-store
  done | python3 -c '
import json, os, sys
runs = [json.loads(line) for line in sys.stdin.read().replace("}\n{", "}\x00{").split("\x00")]
tasks = [r["tasks"][0] for r in runs]
best = min(t["elapsedSeconds"] for t in tasks)
t = tasks[0]
print(json.dumps({"task": sys.argv[1], "seconds": round(best, 4),
    "all_seconds": [round(x["elapsedSeconds"], 4) for x in tasks], "items": t["itemCount"],
    "items_per_s": round(t["itemCount"] / best, 1), "input_tokens": t["inputTokenCount"],
    "input_tokens_per_s": round(t["inputTokenCount"] / best), "loadavg": os.getloadavg()}))
' "$task"
done
