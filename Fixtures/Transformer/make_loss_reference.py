#!/usr/bin/env python3
"""Reference loss for Fixtures/Transformer/loss_sample.jsonl on stories260K-hf (PyTorch +
transformers, float32, CPU), with TRL's prompt-completion tokenization:
prompt_ids = tok(prompt), ids = tok(prompt + completion) + [eos], the first len(prompt_ids)
labels -100; plain text: tok(text), every position scored. Prints the mean nats per scored
token over the whole file, the number of scored tokens, and each line's ids."""
import json, math, os, sys
os.environ["HF_HUB_OFFLINE"] = "1"
import torch
from transformers import AutoTokenizer, LlamaForCausalLM

here = os.path.dirname(os.path.abspath(__file__))
model_dir = os.path.join(here, "..", "Models", "stories260K-hf")
tok = AutoTokenizer.from_pretrained(model_dir)
model = LlamaForCausalLM.from_pretrained(model_dir, torch_dtype=torch.float32).eval()
total, count = 0.0, 0
for line in open(os.path.join(here, "loss_sample.jsonl")):
    ex = json.loads(line)
    if "prompt" in ex:
        p = tok(ex["prompt"])["input_ids"]
        ids = tok(ex["prompt"] + ex["completion"])["input_ids"] + [tok.eos_token_id]
        labels = [-100] * len(p) + ids[len(p):]
    else:
        ids = tok(ex["text"])["input_ids"]
        labels = list(ids)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0]
    lp = torch.log_softmax(logits[:-1], dim=-1)
    for t in range(len(ids) - 1):
        if labels[t + 1] != -100:
            total += -lp[t, labels[t + 1]].item()
            count += 1
    print(json.dumps({"ids": ids, "labels": labels}))
print(json.dumps({"loss": total / count, "tokens": count, "perplexity": math.exp(total / count)}))
