#!/usr/bin/env python3
"""Runs `fmn probe` on every item of the reference probe tasks (../shared/reference/probes) and
compares each item with lm-eval's numbers at that README's tolerances: per-choice and per-document
log-likelihood within 1e-3 absolute, acc/acc_norm/greedy flags exactly (items whose flip margin is
below 1e-3 may flip), perplexities within 1e-4 relative, generated text exactly.

    python3 Benchmarks/probes/check_reference.py [task ...]     # FMN=path/to/fmn to choose

Prints the worst differences per task and exits 1 when any check fails. The unit tests check a
subset of items in debug builds; this checks them all on a release build.
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SHARED = Path(os.environ.get("FMN_SHARED_DIR", ROOT.parent / "shared"))
REFERENCE = SHARED / "reference" / "probes"
FMN = os.environ.get("FMN", str(ROOT / ".build-release" / "release" / "fmn"))
MODEL = SHARED / "data" / "models" / "stories260K-hf"


def run(task: str) -> dict:
    out = subprocess.run(
        [FMN, "probe", "--model", str(MODEL), "--suite", str(REFERENCE / "tasks" / f"{task}.yaml"),
         "--json", "--no-store"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["tasks"][0]


def check(task: str) -> list[str]:
    reference = json.loads((REFERENCE / f"{task}.stories260K.json").read_text())
    ours = run(task)
    failures = []
    items = ours["items"]
    if len(items) != len(reference["items"]):
        return [f"{len(items)} items, reference has {len(reference['items'])}"]
    worst = 0.0
    margins = reference.get("margins", {})
    may_flip = set(margins.get("doc_ids_flip_eps_acc_below_0.001", [])), set(
        margins.get("doc_ids_flip_eps_acc_norm_below_0.001", []))
    for got, want in zip(items, reference["items"]):
        doc = want["doc_id"]
        if "continuations" in want:
            for a, b in zip(got["choiceLogLikelihoods"], want["loglik"]):
                worst = max(worst, abs(a - b))
            if got["choiceIsGreedy"] != want["is_greedy"]:
                failures.append(f"doc {doc}: greedy flags {got['choiceIsGreedy']} vs {want['is_greedy']}")
            for metric, flips in (("acc", may_flip[0]), ("acc_norm", may_flip[1])):
                if got["scores"][metric] != want[metric] and doc not in flips:
                    failures.append(f"doc {doc}: {metric} {got['scores'][metric]} vs {want[metric]}")
        elif "windows" in want:
            worst = max(worst, abs(got["logLikelihood"] - want["loglik"]))
        else:
            if got["prediction"] != want["prediction"]:
                failures.append(f"doc {doc}: prediction {got['prediction']!r} vs {want['prediction']!r}")
    if worst > 1e-3:
        failures.append(f"log-likelihood differs by {worst:.2e} (tolerance 1e-3)")
    aggregates = []
    for metric in ours["metrics"]:
        name, value = metric["name"], metric["value"]
        expected = reference["results"].get(name)
        if expected is None:
            continue
        if "perplexity" in name or name == "bits_per_byte":
            difference = abs(value - expected) / abs(expected)
            ok = difference <= 1e-4
            aggregates.append(f"{name} {value:.6f} (rel. diff {difference:.1e})")
        else:
            difference = abs(value - expected)
            ok = difference <= 1e-12 or name in ("acc_norm",) and difference <= 1 / len(items) + 1e-12
            aggregates.append(f"{name} {value:.6f} (diff {difference:.1e})")
        if not ok:
            failures.append(f"{name} {value} vs {expected}")
    print(f"{task}: {len(items)} items; worst log-likelihood difference {worst:.1e}; "
          + ", ".join(aggregates) + ("" if not failures else f"; {len(failures)} FAILURES"))
    return failures


def main() -> None:
    tasks = sys.argv[1:] or ["sst2", "copa", "arc_easy", "tinystories", "dialogsum"]
    failed = False
    for task in tasks:
        for failure in check(task):
            failed = True
            print(f"  {task}: {failure}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
