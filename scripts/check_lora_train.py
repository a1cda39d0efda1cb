#!/usr/bin/env python3
"""Real-model check of `fmn train` (issue 6), outside the test suite.

1. LoRA fine-tune of Fixtures/Models/stories260K-hf on DialogSum prompt-completion pairs
   (Fixtures/Training/dialogsum-train.jsonl) with `fmn train`;
2. `fmn loss` on held-out pairs (Fixtures/Training/dialogsum-heldout.jsonl) before and after:
   the adapter must lower it;
3. the adapter loads in peft (`PeftModel.from_pretrained`), and peft's loss on the same held-out
   examples, tokenized by the shared rule (TRL prompt-completion: prompt+completion as one text
   with BOS, the first len(tokenize(prompt)) positions unscored, EOS appended), agrees with
   `fmn loss` per example, and log-softmax(logits) agrees position by position (every scored
   target of one example, and the whole vocabulary at one position) within 1e-4;
4. peft's merged model and the unmerged adapter give the same logits (sanity of the folder).

Needs: pip install torch transformers peft tokenizers; a release build of fmn
(swift build -c release --product fmn). Usage:
  python3 scripts/check_lora_train.py [--fmn .build/release/fmn] [--train 400] [--heldout 60]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "Fixtures/Models/stories260K-hf"


def fmn(binary: str, *args: str) -> str:
    result = subprocess.run([binary, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"fmn {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def fmn_loss(binary: str, data: Path, adapter: Path | None, max_len: int) -> dict:
    args = ["loss", "--model", str(MODEL), "--data", str(data), "--max-seq-len", str(max_len), "--json"]
    if adapter:
        args += ["--adapter", str(adapter)]
    return json.loads(fmn(binary, *args))


def encode(tok, eos: int, prompt: str, completion: str, max_len: int):
    """The shared TRL rule (Sources/Training/Data/ExampleEncoding.swift)."""
    p = tok.encode(prompt).ids
    ids = tok.encode(prompt + completion).ids + [eos]
    labels = [-100] * len(p) + ids[len(p):]
    if len(ids) > max_len:  # keep BOS and the completion, cut the prompt from the left
        completion_len = len(ids) - len(p)
        keep_prompt = max(0, max_len - 1 - completion_len)
        keep = [0] + list(range(len(p) - keep_prompt, len(p))) + list(range(len(p), len(ids)))
        keep = keep[:max_len]
        ids, labels = [ids[i] for i in keep], [labels[i] for i in keep]
    return ids, labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fmn", default=str(ROOT / ".build/release/fmn"))
    ap.add_argument("--train", type=int, default=400)
    ap.add_argument("--heldout", type=int, default=60)
    ap.add_argument("--max-seq-len", type=int, default=256)
    ap.add_argument("--epochs", default="2")
    a = ap.parse_args()

    import torch
    from peft import PeftModel
    from tokenizers import Tokenizer
    from transformers import AutoModelForCausalLM

    work = Path(tempfile.mkdtemp(prefix="fmn-lora-check-"))
    train = work / "train.jsonl"
    heldout = work / "heldout.jsonl"
    train.write_text("".join((ROOT / "Fixtures/Training/dialogsum-train.jsonl").read_text()
                             .splitlines(keepends=True)[: a.train]))
    held_lines = (ROOT / "Fixtures/Training/dialogsum-heldout.jsonl").read_text().splitlines(keepends=True)
    heldout.write_text("".join(held_lines[: a.heldout]))

    adapter = work / "adapter"
    fmn(a.fmn, "train", "--method", "lora", "--model", str(MODEL), "--data", str(train),
        "--out", str(adapter), "--lora-rank", "8", "--lora-alpha", "16",
        "--target-modules", "q_proj,k_proj,v_proj,o_proj", "--learning-rate", "3e-3",
        "--batch-size", "8", "--epochs", a.epochs, "--warmup-steps", "5", "--schedule", "cosine",
        "--max-seq-len", str(a.max_seq_len), "--seed", "1")
    log = [json.loads(x) for x in (adapter / "training_log.jsonl").read_text().splitlines()]
    print(f"trained {len(log)} steps: loss {log[0]['loss']:.4f} -> {log[-1]['loss']:.4f}, "
          f"{sum(r['tokens_per_second'] for r in log) / len(log):.0f} tokens/s mean")

    before = fmn_loss(a.fmn, heldout, None, a.max_seq_len)
    after = fmn_loss(a.fmn, heldout, adapter, a.max_seq_len)
    print(f"held-out loss (fmn loss, {before['tokens']} tokens): base {before['loss']:.4f} -> "
          f"adapter {after['loss']:.4f}")
    assert after["loss"] < before["loss"], "the adapter did not lower the held-out loss"

    # peft: load the adapter folder as it is.
    torch.set_num_threads(2)
    base = AutoModelForCausalLM.from_pretrained(str(MODEL), dtype=torch.float32)
    model = PeftModel.from_pretrained(base, str(adapter)).eval()
    tok = Tokenizer.from_file(str(MODEL / "tokenizer.json"))
    eos = 2
    worst = 0.0
    nats, count = 0.0, 0
    for i, line in enumerate(held_lines[: min(a.heldout, 20)]):
        ex = json.loads(line)
        ids, labels = encode(tok, eos, ex["prompt"], ex["completion"], a.max_seq_len)
        one = work / f"one-{i}.jsonl"
        one.write_text(json.dumps({"input_ids": ids, "labels": labels}) + "\n")
        ours = fmn_loss(a.fmn, one, adapter, a.max_seq_len)
        with torch.no_grad():
            out = model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels]))
        worst = max(worst, abs(ours["loss"] - out.loss.item()))
        nats += out.loss.item() * ours["tokens"]
        count += ours["tokens"]
    print(f"per-example loss, fmn vs peft (20 held-out examples): max |diff| {worst:.2e}")
    assert worst < 1e-4, worst

    # Log-softmax of the logits, position by position: `fmn loss` on a line whose only scored
    # label is token v at position t gives -log p(v | ids[:t]). Every scored target of one
    # held-out example, and the whole vocabulary at one position (log-softmax equal means
    # logits equal up to the constant that softmax ignores).
    ex = json.loads(held_lines[0])
    ids, labels = encode(tok, eos, ex["prompt"], ex["completion"], a.max_seq_len)
    with torch.no_grad():
        logp = torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0], dim=-1)

    def ours_logp(prefix: list[int], token: int) -> float:
        one = work / "single.jsonl"
        one.write_text(json.dumps({"input_ids": prefix + [token],
                                   "labels": [-100] * len(prefix) + [token]}) + "\n")
        return -fmn_loss(a.fmn, one, adapter, a.max_seq_len)["loss"]

    scored = [t for t in range(1, len(ids)) if labels[t] != -100][:40]
    gap_targets = max(abs(ours_logp(ids[:t], ids[t]) - logp[t - 1, ids[t]].item()) for t in scored)
    t0 = scored[len(scored) // 2]
    vocab = logp.shape[-1]
    gap_vocab = max(abs(ours_logp(ids[:t0], v) - logp[t0 - 1, v].item()) for v in range(vocab))
    print(f"log-softmax(logits), fmn vs peft: {len(scored)} targets max |diff| {gap_targets:.2e}; "
          f"all {vocab} tokens at position {t0} max |diff| {gap_vocab:.2e}")
    assert gap_targets < 1e-4 and gap_vocab < 1e-4

    # The merged model (peft merge_and_unload) gives the adapter's logits.
    ids = torch.tensor([encode(tok, eos, json.loads(held_lines[0])["prompt"],
                               json.loads(held_lines[0])["completion"], a.max_seq_len)[0]])
    with torch.no_grad():
        unmerged = model(input_ids=ids).logits
        merged = model.merge_and_unload()(input_ids=ids).logits
    gap = (unmerged - merged).abs().max().item()
    print(f"peft unmerged vs merged logits: max |diff| {gap:.2e}")
    assert gap < 1e-4
    print(f"OK ({work})")


if __name__ == "__main__":
    main()
