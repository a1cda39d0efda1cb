#!/usr/bin/env python3
"""Makes the demo experiment's training files in Fixtures/Training/ from ../shared/data.

Deterministic (no randomness): run it again and the files come out byte-identical.
  - sst2-train.jsonl: SST-2 dev rows 572-871 (0-based data rows of dev.tsv, header excluded),
    as {"prompt": "Review: <sentence>\\nSentiment:", "completion": " positive"|" negative"},
    the same template as the SST-2 probe. Rows 0-571 are never used for training, so the
    probe part (taken from the first rows) stays disjoint.
  - dialogsum-train.jsonl: DialogSum train_0..train_399 (dialogsum.train.first601.csv),
    {"prompt": "Dialogue:\\n<dialogue>\\nSummary:", "completion": " <summary>"}, the dialogue cut
    to at most 600 characters of whole turns (the DialogSum probe's rule).
  - dialogsum-heldout.jsonl: train_400..train_600 in the same form, never trained on.
Python is used only to make these fixtures; the product and its tests never run it.
"""
import csv
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "Fixtures" / "Training"
OUT.mkdir(parents=True, exist_ok=True)


def whole_turns(dialogue: str, limit: int = 600) -> str:
    kept = []
    for turn in dialogue.split("\n"):
        candidate = "\n".join(kept + [turn])
        if len(candidate) > limit and kept:
            break
        kept.append(turn)
    return "\n".join(kept)


def write(name, rows):
    with open(OUT / name, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


with open(SHARED / "probes" / "sst2" / "dev.tsv", encoding="utf-8") as f:
    lines = f.read().split("\n")
assert lines[0] == "sentence\tlabel"
data = [line.split("\t") for line in lines[1:] if line]
assert len(data) == 872
write("sst2-train.jsonl", [
    {"prompt": f"Review: {sentence}\nSentiment:",
     "completion": " positive" if label == "1" else " negative"}
    for sentence, label in data[572:]
])

with open(SHARED / "dialogsum" / "dialogsum.train.first601.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == 601 and rows[0]["fname"] == "train_0"
pairs = [
    {"prompt": f"Dialogue:\n{whole_turns(r['dialogue'].strip())}\nSummary:",
     "completion": " " + r["summary"].strip()}
    for r in rows
]
write("dialogsum-train.jsonl", pairs[:400])
write("dialogsum-heldout.jsonl", pairs[400:])
