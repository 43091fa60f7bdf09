"""Golden gradients: d(loss)/d(every weight) of the golden fixtures' models, from torch autograd in float64.

Run with Debian's PyTorch:  /usr/bin/python3 tools/reference/golden_grads.py
Reads testdata/golden/<case>/ (config.json, model.safetensors, adapter/) and writes testdata/golden-grads/<case>/:
  grads.safetensors       d loss / d W for every tensor of model.safetensors (float32 of the float64 gradient)
  lora_grads.safetensors  d lora_loss / d (lora_A, lora_B) with the base frozen (cases with an adapter)
  expected.json           token ids, targets, loss and lora_loss
and testdata/golden-grads/adamw.json: torch.optim.AdamW's parameters after each of three steps with given
gradients (weight decay on one tensor, none on the other), to hold Orchard's optimizer to PyTorch's.
The loss is the mean next-token cross-entropy over positions 0..n-2 of the fixture's token_ids (the last position
has no target), i.e. what a training step on that one sequence minimises.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama_ref import Model  # noqa: E402
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GOLDEN = os.path.join(REPO, "testdata", "golden")
OUT = os.path.join(REPO, "testdata", "golden-grads")
CASES = ["gqa-tied", "gqa-qknorm", "untied-3q"]


def next_token_loss(model, token_ids):
    logits = model.logits(token_ids)
    targets = torch.tensor(token_ids[1:], dtype=torch.long)
    return torch.nn.functional.cross_entropy(logits[:-1], targets)


def main():
    for case in CASES:
        src = os.path.join(GOLDEN, case)
        with open(os.path.join(src, "config.json")) as f:
            cfg = json.load(f)
        with open(os.path.join(src, "expected.json")) as f:
            token_ids = json.load(f)["token_ids"]
        weights = read_safetensors(os.path.join(src, "model.safetensors"))
        model = Model(cfg, weights)
        for t in model.w.values():
            t.requires_grad_(True)
        loss = next_token_loss(model, token_ids)
        loss.backward()
        grads = {name: t.grad.numpy().astype(np.float32) for name, t in model.w.items()}
        out = os.path.join(OUT, case)
        os.makedirs(out, exist_ok=True)
        write_safetensors(os.path.join(out, "grads.safetensors"), grads)
        expected = {"token_ids": token_ids, "targets": token_ids[1:] + [-1], "loss": float(loss)}

        adapter_dir = os.path.join(src, "adapter")
        if os.path.isdir(adapter_dir):
            with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
                acfg = json.load(f)
            r, alpha = acfg["r"], acfg["lora_alpha"]
            scaling = alpha / (r ** 0.5) if acfg.get("use_rslora") else alpha / r
            lora = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
            lmodel = Model(cfg, weights, adapter=(scaling, lora))
            for t in lmodel.lora.values():
                t.requires_grad_(True)
            lora_loss = next_token_loss(lmodel, token_ids)
            lora_loss.backward()
            write_safetensors(os.path.join(out, "lora_grads.safetensors"),
                              {k: t.grad.numpy().astype(np.float32) for k, t in lmodel.lora.items()})
            expected["lora_loss"] = float(lora_loss)
        expected["notes"] = ("mean cross-entropy of token_ids[1:] given token_ids[:-1]; gradients from torch "
                             "autograd in float64 over tools/reference/llama_ref.py (tools/reference/golden_grads.py)")
        with open(os.path.join(out, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
            f.write("\n")
        norms = sorted(((float(np.abs(g).max()), n) for n, g in grads.items()), reverse=True)
        print(f"{case}: loss {float(loss):.6f}, largest |grad| {norms[0][0]:.3g} ({norms[0][1]}), "
              f"smallest max |grad| {norms[-1][0]:.3g} ({norms[-1][1]})"
              + (f", lora loss {expected['lora_loss']:.6f}" if "lora_loss" in expected else ""))


def adamw_fixture():
    torch.manual_seed(0)
    w = torch.tensor([0.5, -1.0, 2.0, 0.0, 0.25, -0.75], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([1.5, -0.5], dtype=torch.float64, requires_grad=True)
    settings = dict(lr=0.1, betas=(0.9, 0.95), eps=1e-8)
    opt = torch.optim.AdamW([{"params": [w], "weight_decay": 0.1}, {"params": [g], "weight_decay": 0.0}], **settings)
    grads = [([0.3, -0.2, 0.0, 1.0, -4.0, 0.01], [0.5, 0.5]),
             ([-0.1, -0.2, 0.5, 1.0, 2.0, 0.0], [-1.0, 0.25]),
             ([0.0, 0.7, -0.5, -1.0, 0.5, 0.02], [0.1, -0.3])]
    steps = []
    for gw, gg in grads:
        w.grad = torch.tensor(gw, dtype=torch.float64)
        g.grad = torch.tensor(gg, dtype=torch.float64)
        opt.step()
        steps.append({"decayed": w.detach().tolist(), "not_decayed": g.detach().tolist()})
    fixture = {"initial": {"decayed": [0.5, -1.0, 2.0, 0.0, 0.25, -0.75], "not_decayed": [1.5, -0.5]},
               "lr": 0.1, "betas": [0.9, 0.95], "eps": 1e-8, "weight_decay": 0.1,
               "grads": [{"decayed": gw, "not_decayed": gg} for gw, gg in grads], "after_step": steps,
               "notes": "torch.optim.AdamW in float64 (tools/reference/golden_grads.py)"}
    with open(os.path.join(OUT, "adamw.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
    adamw_fixture()
