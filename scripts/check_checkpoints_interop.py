#!/usr/bin/env python3
"""Side-by-side check that the Swift `Checkpoints` module and the Python ecosystem agree.

Not part of the test suite (the product and its tests never need Python). It checks, with the
real libraries, that:

1. adapters written by peft (several configurations) are read by Swift, which rewrites them
   byte-identically (weights) and with the same configuration;
2. `safetensors.torch.load_file` reads the model files Swift writes (F32, BF16, F16, sharded),
   with the values torch itself gives when it converts to those dtypes (round to nearest even);
3. transformers `AutoModelForCausalLM.from_pretrained` / `AutoTokenizer` load the model folders
   Swift writes and give the same logits as the original folder;
4. peft `PeftModel.from_pretrained` loads the adapter folders Swift writes, with every LoRA
   tensor taken from the file (none left at its initial value), and gives the parity logits.

Usage (from the repository root; needs `pip install torch safetensors peft transformers`):

    python3 scripts/check_checkpoints_interop.py [--dir /tmp/fmn-interop]
        [--swift-test "swift test --filter InteropExportTests"]

Phase 1 writes peft adapters to DIR/peft/, phase 2 runs the Swift test `InteropExportTests` with
FMN_CHECKPOINTS_INTEROP_DIR=DIR (it reads DIR/peft/* and writes DIR/swift/*), phase 3 checks.
Exit status 0 when every check passes.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import load_file  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FMN_SHARED_DIR", REPO.parent / "shared"))
PARITY = SHARED / "reference" / "parity"
STORIES = REPO / "Fixtures" / "Models" / "stories260K-hf"

failures = []


def check(condition, message):
    print(("PASS " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def load_folder_tensors(folder):
    folder = Path(folder)
    index = folder / "model.safetensors.index.json"
    if index.exists():
        weight_map = json.loads(index.read_text())["weight_map"]
        tensors = {}
        for shard in sorted(set(weight_map.values())):
            tensors.update(load_file(str(folder / shard)))
        return tensors
    return load_file(str(folder / "model.safetensors"))


def make_peft_adapters(out):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    configs = {
        "r8-all-projections": LoraConfig(
            r=8, lora_alpha=16, lora_dropout=0.1, task_type="CAUSAL_LM",
            target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]),
        "all-linear": LoraConfig(r=4, lora_alpha=4, target_modules="all-linear", task_type="CAUSAL_LM"),
        "layers-to-transform": LoraConfig(
            r=3, lora_alpha=6, target_modules=["v_proj", "down_proj"], layers_to_transform=[0],
            task_type="CAUSAL_LM"),
        "regex": LoraConfig(r=2, lora_alpha=5, target_modules=r".*\.1\.self_attn\.(q|k)_proj",
                            task_type="CAUSAL_LM"),
    }
    for i, (name, config) in enumerate(configs.items()):
        base = AutoModelForCausalLM.from_pretrained(str(PARITY / "base"), dtype=torch.float32)
        model = get_peft_model(base, config)
        torch.manual_seed(100 + i)
        with torch.no_grad():
            for pname, param in model.named_parameters():
                if "lora_" in pname:
                    param.normal_(0, 0.05)  # B too, so the adapter is not a no-op
        model.save_pretrained(str(out / name))
    print(f"wrote {len(configs)} peft adapters to {out}")


def check_model_folders(swift):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    original = load_file(str(STORIES / "model.safetensors"))
    ids = torch.tensor([[1, 403, 407, 261, 378]])
    reference_model = AutoModelForCausalLM.from_pretrained(str(STORIES), dtype=torch.float32)
    with torch.no_grad():
        reference_logits = reference_model(ids).logits
    for name, dtype in [("stories-f32", torch.float32), ("stories-bf16", torch.bfloat16),
                        ("stories-f16", torch.float16), ("stories-sharded", torch.float32)]:
        folder = swift / name
        tensors = load_folder_tensors(folder)
        check(set(tensors) == set(original), f"{name}: safetensors.torch reads the same {len(original)} names")
        same = all(tensors[k].dtype == dtype and torch.equal(tensors[k], original[k].to(dtype)) for k in original)
        check(same, f"{name}: every tensor equals torch's own conversion to {dtype}")
        files = sorted(folder.glob("*.safetensors"))
        with safe_open(str(files[0]), framework="pt") as handle:
            check(handle.metadata() == {"format": "pt"}, f"{name}: metadata is {{'format': 'pt'}}")
        model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32)
        with torch.no_grad():
            logits = model(ids).logits
        gap = (logits - reference_logits).abs().max().item()
        if dtype == torch.float32:
            check(gap == 0.0, f"{name}: transformers loads it; logits identical to the original (gap {gap})")
        else:
            check(gap < 0.5, f"{name}: transformers loads it; logits within rounding of the original (gap {gap:.3g})")
    tokenizer = AutoTokenizer.from_pretrained(str(swift / "stories-f32"))
    check(tokenizer("Once upon a time").input_ids == [1, 403, 407, 261, 378],
          "stories-f32: AutoTokenizer loads the copied tokenizer files")


def peft_logits(adapter_folder, input_ids):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(str(PARITY / "base"), dtype=torch.float32)
    model = PeftModel.from_pretrained(base, str(adapter_folder))
    model.eval()
    with torch.no_grad():
        return model, model(input_ids).logits


def check_adapters(root):
    swift, peft_dir = root / "swift", root / "peft"
    input_ids = load_file(str(PARITY / "inputs.safetensors"))["input_ids"]
    expected = load_file(str(PARITY / "lora_expected.safetensors"))["logits"]

    _, logits = peft_logits(swift / "parity-adapter", input_ids)
    gap = (logits - expected).abs().max().item()
    check(gap < 1e-5, f"parity-adapter: PeftModel.from_pretrained loads it; logits match lora_expected (gap {gap:.2g})")

    # The formula adapter: every LoRA parameter must hold the value Swift wrote.
    model, _ = peft_logits(swift / "adapter-layer1-all-projections", input_ids)
    config = model.peft_config["default"]
    check(config.r == 2 and config.lora_alpha == 16 and config.layers_to_transform == [1],
          f"adapter-layer1-all-projections: peft reads r/alpha/layers_to_transform ({config.r}, {config.lora_alpha}, "
          f"{config.layers_to_transform})")
    written = load_file(str(swift / "adapter-layer1-all-projections" / "adapter_model.safetensors"))
    params = {k.replace(".default", ""): v for k, v in model.named_parameters() if "lora_" in k}
    check(set(params) == set(written), f"adapter-layer1-all-projections: peft made exactly the {len(written)} LoRA tensors "
          f"in the file (extra: {sorted(set(params) - set(written))[:3]}, missing: {sorted(set(written) - set(params))[:3]})")
    check(all(torch.equal(params[k], written[k]) for k in written if k in params),
          "adapter-layer1-all-projections: every LoRA tensor holds the value from the file")
    for k in sorted(written)[:1]:
        rows, cols = written[k].shape
        # Swift computes Float(i % 7) * 0.01 - 0.03 in float32.
        a_formula = (torch.arange(rows * cols) % 7).to(torch.float32) * torch.tensor(0.01) - torch.tensor(0.03)
        if "lora_A" in k:
            check(torch.equal(written[k].flatten(), a_formula), f"adapter-layer1-all-projections: {k} is the Swift formula")

    for source in sorted(peft_dir.iterdir()):
        ours = swift / f"roundtrip-{source.name}"
        same_bytes = (ours / "adapter_model.safetensors").read_bytes() == \
            (source / "adapter_model.safetensors").read_bytes()
        check(same_bytes, f"roundtrip-{source.name}: adapter_model.safetensors byte-identical to peft's")
        theirs_config = json.loads((source / "adapter_config.json").read_text())
        ours_config = json.loads((ours / "adapter_config.json").read_text())

        def norm(c):
            c = dict(c)
            if isinstance(c.get("target_modules"), list):
                c["target_modules"] = sorted(c["target_modules"])
            return c
        diff = {k for k in set(theirs_config) | set(ours_config)
                if norm(theirs_config).get(k) != norm(ours_config).get(k)}
        check(not diff, f"roundtrip-{source.name}: adapter_config.json equal to peft's (differs in {sorted(diff)})")
        _, theirs = peft_logits(source, input_ids)
        _, mine = peft_logits(ours, input_ids)
        check(torch.equal(theirs, mine), f"roundtrip-{source.name}: peft gives identical logits")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default="/tmp/fmn-checkpoints-interop")
    parser.add_argument("--swift-test", default="swift test --filter InteropExportTests",
                        help="command that runs the Swift export test (run in --swift-cwd)")
    parser.add_argument("--swift-cwd", default=str(REPO))
    args = parser.parse_args()
    root = Path(args.dir)
    shutil.rmtree(root, ignore_errors=True)
    (root / "peft").mkdir(parents=True)

    make_peft_adapters(root / "peft")
    env = dict(os.environ, FMN_CHECKPOINTS_INTEROP_DIR=str(root), FMN_SHARED_DIR=str(SHARED))
    result = subprocess.run(args.swift_test, shell=True, cwd=args.swift_cwd, env=env)
    check(result.returncode == 0, f"Swift export test ran ({args.swift_test})")
    if result.returncode != 0:
        sys.exit(1)
    check_model_folders(root / "swift")
    check_adapters(root)
    print(f"\n{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
