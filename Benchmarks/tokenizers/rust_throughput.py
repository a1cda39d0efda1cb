"""Times the Rust `tokenizers` library (one thread) on wiki.test.tokens, as
../shared/reference/tokenizers/throughput.json was measured, so `fmn bench tokenize` can be
compared side by side in the same session.

Usage: TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 \
       python3 Benchmarks/tokenizers/rust_throughput.py [--repeats 7]
Prints one JSON object: per tokenizer, whole-text and line-by-line seconds (median, min) and
token counts. Lines keep their "\n" (str.splitlines(keepends=True)).
"""
import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

from tokenizers import Tokenizer  # noqa: E402

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
TOKENIZERS = {
    "gpt2-hf": "data/tokenizers/gpt2-hf/tokenizer.json",
    "llama2-hf": "data/tokenizers/llama2-hf/tokenizer.json",
    "stories260K-hf": "data/models/stories260K-hf/tokenizer.json",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--text", default=os.path.join(SHARED, "data/text/wikitext2/wiki.test.tokens"))
    args = parser.parse_args()
    text = open(args.text, encoding="utf-8").read()
    lines = text.splitlines(keepends=True)
    result = {"bytes": len(text.encode("utf-8")), "lines": len(lines), "tokenizers": {}}
    for name, rel in TOKENIZERS.items():
        tok = Tokenizer.from_file(os.path.join(SHARED, rel))
        entry = {}
        for mode in ("whole", "lines"):
            times = []
            count = 0
            for _ in range(args.repeats + 1):  # first run warms the cache
                start = time.perf_counter()
                if mode == "whole":
                    count = len(tok.encode(text, add_special_tokens=False).ids)
                else:
                    count = sum(len(e.ids) for e in tok.encode_batch(lines, add_special_tokens=False))
                times.append(time.perf_counter() - start)
            warm = times[1:]
            entry[mode] = {"tokens": count, "median_seconds": round(statistics.median(warm), 4),
                           "min_seconds": round(min(warm), 4)}
        result["tokenizers"][name] = entry
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
