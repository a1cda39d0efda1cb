#!/usr/bin/env python3
"""Cross-checks `fmn probe` against lm-eval + transformers on any Hugging Face Llama model, for
the first N items of the reference probe tasks (../shared/reference/probes/tasks), and times both.

    python3 Benchmarks/probes/check_against_lm_eval.py --model DIR [--limit N] [task ...]

lm-eval's side scores the same strings (the items' contexts and continuations, texts, prompts
from the reference JSON) with `HFLM` (float32, CPU, batch 8). Prints, per task, the largest
per-item log-likelihood difference, disagreements in argmax / greedy flags / generated text,
and both scoring times; exits 1 when a difference exceeds the reference README's tolerances
(1e-3 per log-likelihood; argmax, greedy flags and text exactly, except near-ties whose margin
is under 1e-3).
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent.parent
SHARED = Path(os.environ.get("FMN_SHARED_DIR", ROOT.parent / "shared"))
REFERENCE = SHARED / "reference" / "probes"
FMN = os.environ.get("FMN", str(ROOT / ".build-release" / "release" / "fmn"))


def fmn_items(model: str, task: str, limit: int):
    start = time.perf_counter()
    out = subprocess.run(
        [FMN, "probe", "--model", model, "--suite", str(REFERENCE / "tasks" / f"{task}.yaml"),
         "--limit", str(limit), "--json", "--no-store"],
        check=True, capture_output=True, text=True).stdout
    result = json.loads(out)["tasks"][0]
    return result["items"], result["elapsedSeconds"], time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks", nargs="*", default=["sst2", "copa", "arc_easy", "tinystories",
                                                     "dialogsum"])
    parser.add_argument("--model", required=True)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import lm_eval.api.instance as instance
    import torch
    from lm_eval.models.huggingface import HFLM

    torch.set_num_threads(args.threads)
    lm = HFLM(pretrained=args.model, dtype="float32", device="cpu", batch_size=8)
    failed = False
    for task in args.tasks:
        data = json.loads((REFERENCE / f"{task}.stories260K.json").read_text())
        items = data["items"][: args.limit]
        ours, fmn_seconds, _ = fmn_items(args.model, task, args.limit)
        problems = []
        worst = 0.0
        if "continuations" in items[0]:
            requests = [(item["context"], c) for item in items for c in item["continuations"]]
            insts = [instance.Instance("loglikelihood", {}, r, i) for i, r in enumerate(requests)]
            start = time.perf_counter()
            scores = lm.loglikelihood(insts, disable_tqdm=True)
            seconds = time.perf_counter() - start
            k = 0
            for item, got in zip(items, ours):
                theirs = scores[k:k + len(item["continuations"])]
                k += len(item["continuations"])
                lls = [s[0] for s in theirs]
                for a, b in zip(got["choiceLogLikelihoods"], lls):
                    worst = max(worst, abs(a - b))
                if got["choiceIsGreedy"] != [bool(s[1]) for s in theirs]:
                    problems.append(f"doc {item['doc_id']}: greedy flags differ")
                top = sorted(lls, reverse=True)
                margin = (top[0] - top[1]) / 2 if len(top) > 1 else 1
                if got["predictedChoice"] != lls.index(max(lls)) and margin >= 1e-3:
                    problems.append(f"doc {item['doc_id']}: argmax {got['predictedChoice']} "
                                    f"vs {lls.index(max(lls))}")
        elif "windows" in items[0]:
            insts = [instance.Instance("loglikelihood_rolling", {}, (item["text"],), i)
                     for i, item in enumerate(items)]
            start = time.perf_counter()
            scores = lm.loglikelihood_rolling(insts, disable_tqdm=True)
            seconds = time.perf_counter() - start
            for got, ll in zip(ours, scores):
                worst = max(worst, abs(got["logLikelihood"] - ll))
        else:
            kwargs = dict(data["config"]["generation_kwargs"])
            insts = [instance.Instance("generate_until", {}, (item["prompt"], kwargs), i)
                     for i, item in enumerate(items)]
            start = time.perf_counter()
            texts = lm.generate_until(insts, disable_tqdm=True)
            seconds = time.perf_counter() - start
            for item, got, text in zip(items, ours, texts):
                if got["prediction"] != text:
                    problems.append(f"doc {item['doc_id']}: {got['prediction']!r} vs {text!r}")
        if worst > 1e-3:
            problems.append(f"log-likelihood differs by {worst:.2e}")
        print(f"{task}: {len(items)} items; worst log-likelihood difference {worst:.1e}; "
              f"lm-eval {seconds:.3f} s, fmn {fmn_seconds:.3f} s "
              f"({seconds / fmn_seconds:.1f}x); {len(problems)} problems")
        for problem in problems[:10]:
            print(f"  {problem}")
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
