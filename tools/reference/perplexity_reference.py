"""Golden per-token losses for Orchard's sliding-window perplexity (testdata/golden/perplexity/expected.json).

Run with Debian's PyTorch:  /usr/bin/python3 tools/reference/perplexity_reference.py
Uses the committed tiny model testdata/golden/gqa-tied (and its LoRA adapter) through llama_ref.Model in float64,
and the windowing of Hugging Face's "Perplexity of fixed-length models" guide: windows of at most `context` tokens
start every `stride` tokens; each window scores only the tokens after the previous window's end (labels before
them are -100), and a label at a window's first position has no logits to be predicted from.
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from llama_ref import Model  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODEL = os.path.join(REPO, "testdata", "golden", "gqa-tied")
OUT = os.path.join(REPO, "testdata", "golden", "perplexity")
BOS = 1
SETTINGS = [dict(context=32, stride=16), dict(context=32, stride=32), dict(context=128, stride=128),
            dict(context=20, stride=7)]


def losses(model, ids, context, stride):
    """nll[i] of ids[i + 1] in nats, None where no window scores it; HF's loop."""
    n = len(ids)
    out = [None] * (n - 1)
    prev_end = 0
    for begin in range(0, n, stride):
        end = min(begin + context, n)
        trg_len = end - prev_end
        window = ids[begin:end]
        logp = torch.log_softmax(model.logits(window), dim=-1)
        labels = list(window)
        for j in range(len(labels) - trg_len):
            labels[j] = -100
        # Shift as transformers does: logits at j predict labels[j + 1].
        for j in range(len(window) - 1):
            if labels[j + 1] != -100:
                out[begin + j] = float(-logp[j, labels[j + 1]])
        prev_end = end
        if end == n:
            break
    return out


def main():
    with open(os.path.join(MODEL, "config.json")) as f:
        cfg = json.load(f)
    weights = read_safetensors(os.path.join(MODEL, "model.safetensors"))
    with open(os.path.join(MODEL, "adapter", "adapter_config.json")) as f:
        acfg = json.load(f)
    scaling = acfg["lora_alpha"] / (math.sqrt(acfg["r"]) if acfg.get("use_rslora") else acfg["r"])
    adapter = (scaling, read_safetensors(os.path.join(MODEL, "adapter", "adapter_model.safetensors")))
    rng = np.random.RandomState(4242)
    ids = [BOS] + [int(t) for t in rng.randint(3, cfg["vocab_size"], size=99)]
    base = Model(cfg, weights)
    tuned = Model(cfg, weights, adapter=adapter)
    cases = []
    for s in SETTINGS:
        for name, model in (("base", base), ("adapter", tuned)):
            if name == "adapter" and s["context"] != 32:
                continue
            l = losses(model, ids, s["context"], s["stride"])
            scored = [x for x in l if x is not None]
            cases.append(dict(model=name, context=s["context"], stride=s["stride"],
                              losses=[None if x is None else round(x, 7) for x in l],
                              scored=len(scored), perplexity=round(math.exp(sum(scored) / len(scored)), 7)))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(dict(model="testdata/golden/gqa-tied", tokens=ids, cases=cases,
                       notes="float64 llama_ref forward; losses in nats of tokens[i+1]; null = not scored"), f,
                  indent=1)
        f.write("\n")
    for c in cases:
        print(c["model"], c["context"], c["stride"], c["scored"], c["perplexity"])


if __name__ == "__main__":
    main()
