#!/usr/bin/env python3
"""lm-eval's side of `fmn probe`'s speed comparison, timed the way
../shared/reference/probes records it (`timing.harness_scoring_only`): the best of N calls of
lm-eval's `HFLM.loglikelihood`, `loglikelihood_rolling` or `generate_until` on one task's
requests, batch size 8, model already loaded, at a given number of torch threads.

The requests are rebuilt from the reference JSON (`context` + `continuations`, `text`, or
`prompt` + `generation_kwargs`), so both sides score exactly the same strings.

    python3 Benchmarks/probes/lm_eval_scoring.py --threads 2 --repeats 3 sst2 copa tinystories
Prints one JSON object per task: the task file's `task:` name, seconds (best), items/s, input
tokens/s; `fmn bench probe --reference` reads these lines.
Needs lm-eval 0.4.13, torch and transformers (the reference's versions); no network.
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("FMN_SHARED_DIR", HERE.parent.parent.parent / "shared"))
REFERENCE = SHARED / "reference" / "probes"
MODEL = SHARED / "data" / "models" / "stories260K-hf"


def task_name(task: str) -> str:
    """The `task:` name of the reference task file (what `fmn bench probe` reports)."""
    for line in (REFERENCE / "tasks" / f"{task}.yaml").read_text().splitlines():
        if line.startswith("task:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return task


def requests_for(task: str):
    import lm_eval.api.instance as instance

    data = json.loads((REFERENCE / f"{task}.stories260K.json").read_text())
    items = data["items"]
    out = []
    if "continuations" in items[0]:
        kind = "loglikelihood"
        for item in items:
            for continuation in item["continuations"]:
                out.append((item["context"], continuation))
    elif "windows" in items[0]:
        kind = "loglikelihood_rolling"
        out = [(item["text"],) for item in items]
    else:
        kind = "generate_until"
        kwargs = dict(data["config"]["generation_kwargs"])
        out = [(item["prompt"], kwargs) for item in items]
    instances = [
        instance.Instance(request_type=kind, doc={}, arguments=args, idx=i)
        for i, args in enumerate(out)
    ]
    return kind, instances, len(items), data["timing"]["counts"]["input_tokens"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tasks", nargs="+")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import torch
    from lm_eval.models.huggingface import HFLM

    torch.set_num_threads(args.threads)
    lm = HFLM(pretrained=str(MODEL), dtype="float32", device="cpu", batch_size=8)
    for task in args.tasks:
        kind, instances, items, tokens = requests_for(task)
        call = getattr(lm, kind)
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            call(instances, disable_tqdm=True)
            times.append(time.perf_counter() - start)
        best = min(times)
        print(json.dumps({
            "task": task_name(task), "reference_file": f"{task}.stories260K.json", "kind": kind, "threads": args.threads, "seconds": round(best, 4),
            "all_seconds": [round(t, 4) for t in times], "items": items,
            "items_per_s": round(items / best, 1), "input_tokens": tokens,
            "input_tokens_per_s": round(tokens / best),
            "loadavg": os.getloadavg(),
        }), flush=True)


if __name__ == "__main__":
    main()
