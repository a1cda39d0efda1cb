#!/usr/bin/env python3
"""Makes multi_reference.jsonl: several-reference cases scored by the reference packages.

The shared vectors hold one reference per pair; this file covers the multi-reference paths of
rouge-score 0.1.2 (score_multi: best F per type), sacreBLEU 2.6.0 (sentence_bleu / sentence_chrf
with a list of references; corpus_bleu / corpus_chrf with two reference streams) and exact
match (any reference). Deterministic; Python is needed only to remake the file:

    pip install rouge-score==0.1.2 sacrebleu==2.6.0 nltk==3.10.4
    python3 Fixtures/Metrics/make_multi_reference.py

Pairs 0-39: DialogSum test dialogues test_0 ... test_39, prediction = summary1 (every 4th one
lower-cased, every 5th cut to its first 12 words), references = [summary2, summary3]
(CC BY-NC-SA 4.0). Pairs 40-47: hand-written edge cases (ties, empty references, a reference
equal to the prediction, NFC vs NFD, newlines for ROUGE-Lsum).
"""
import json, os
from rouge_score import rouge_scorer
import sacrebleu

here = os.path.dirname(os.path.abspath(__file__))
test = os.path.join(here, "..", "..", "..", "shared", "data", "dialogsum", "dialogsum.test.jsonl")

cases = []
with open(test, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i == 40:
            break
        d = json.loads(line)
        prediction = d["summary1"]
        if i % 4 == 0:
            prediction = prediction.lower()
        if i % 5 == 0:
            prediction = " ".join(prediction.split()[:12])
        cases.append((prediction, [d["summary2"], d["summary3"]]))
cases += [
    ("the cat sat on the mat", ["a cat sat on a mat", "the cat sat"]),
    ("the cat sat", ["", "the cat"]),
    ("Yes", ["yes", "Yes"]),
    ("caf\u00e9 au lait", ["cafe\u0301 au lait", "caf\u00e9 au lait!"]),
    ("first line\nsecond line here", ["second line here\nfirst line", "first line second"]),
    ("a b c d", ["a b c", "a b c d e"]),
    ("hello there", ["general kenobi", "no match at all"]),
    ("", ["something", ""]),
]

scorers = {s: rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=s)
           for s in (False, True)}


def rouge(prediction, references, stem):
    scores = scorers[stem].score_multi(references, prediction)
    return {t: {"precision": float(v.precision), "recall": float(v.recall),
                "fmeasure": float(v.fmeasure)} for t, v in scores.items()}


def bleu_fields(b):
    return {"score": b.score, "precisions": b.precisions, "bp": b.bp, "sys_len": b.sys_len,
            "ref_len": b.ref_len, "counts": b.counts, "totals": b.totals}


out = os.path.join(here, "multi_reference.jsonl")
with open(out, "w", encoding="utf-8") as f:
    for i, (prediction, references) in enumerate(cases):
        f.write(json.dumps({
            "id": f"multi-{i:02d}", "prediction": prediction, "references": references,
            "rouge_use_stemmer_false": rouge(prediction, references, False),
            "rouge_use_stemmer_true": rouge(prediction, references, True),
            "sentence_bleu": bleu_fields(sacrebleu.sentence_bleu(prediction, references)),
            "chrf": {"score": sacrebleu.sentence_chrf(prediction, references).score},
            "exact_match": 1.0 if prediction in references else 0.0,
        }) + "\n")
    hypotheses = [c[0] for c in cases]
    streams = [[c[1][0] for c in cases], [c[1][1] for c in cases]]
    f.write(json.dumps({
        "id": "corpus",
        "corpus_bleu": bleu_fields(sacrebleu.corpus_bleu(hypotheses, streams)),
        "corpus_chrf": {"score": sacrebleu.corpus_chrf(hypotheses, streams).score},
    }) + "\n")
