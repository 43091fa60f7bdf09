"""Re-derives testdata/golden/*/expected.json from the files on disk with a second, differently written forward.

llama_ref.py runs whole sequences in torch with rotate_half; this one is plain numpy that decodes one token at a
time with a KV cache, applies RoPE as a complex rotation of the pairs (j, j + d/2), writes the llama3 frequency
rule as a scalar branch per frequency and maps query heads to KV heads by explicit index. It reads config.json,
model.safetensors and adapter/ as a consumer would, so it also checks that the committed files and the committed
logits belong together.

Run: /usr/bin/python3 tools/reference/check_golden_consistency.py   (exit status 1 on any mismatch)
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_safetensors  # noqa: E402
from weight_encodings import round_trip  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GOLDEN = os.path.join(REPO, "testdata", "golden")
TOLERANCE = 5e-5   # expected.json keeps 6 significant digits of logits below 10 in magnitude


def frequencies(cfg, d):
    out = []
    scaling = cfg.get("rope_scaling")
    for i in range(d // 2):
        f = cfg["rope_theta"] ** (-2.0 * i / d)
        if scaling:
            factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
            old = scaling["original_max_position_embeddings"]
            wavelen = 2 * math.pi / f
            if wavelen > old / low:
                f = f / factor
            elif wavelen >= old / high:
                smooth = (old / wavelen - low) / (high - low)
                f = (1 - smooth) * f / factor + smooth * f
        out.append(f)
    return np.array(out)


def rope(x, pos, freqs):
    half = x.shape[-1] // 2
    z = (x[..., :half] + 1j * x[..., half:]) * np.exp(1j * pos * freqs)
    return np.concatenate([z.real, z.imag], axis=-1)


def norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


class Decoder:
    def __init__(self, cfg, w, lora=None, scaling=0.0):
        self.cfg, self.w, self.lora, self.scaling = cfg, w, lora or {}, scaling
        self.d = cfg["head_dim"]
        self.freqs = frequencies(cfg, self.d)
        self.cache = [([], []) for _ in range(cfg["num_hidden_layers"])]

    def proj(self, x, name):
        y = self.w[name + ".weight"] @ x
        key = "base_model.model." + name
        if key + ".lora_A.weight" in self.lora:
            y = y + self.scaling * (self.lora[key + ".lora_B.weight"] @ (self.lora[key + ".lora_A.weight"] @ x))
        return y

    def step(self, token, pos):
        cfg, w, d, eps = self.cfg, self.w, self.d, self.cfg["rms_norm_eps"]
        heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
        x = w["model.embed_tokens.weight"][token].copy()
        for i in range(cfg["num_hidden_layers"]):
            p = f"model.layers.{i}."
            h = norm(x, w[p + "input_layernorm.weight"], eps)
            q = self.proj(h, p + "self_attn.q_proj").reshape(heads, d)
            k = self.proj(h, p + "self_attn.k_proj").reshape(kv_heads, d)
            v = self.proj(h, p + "self_attn.v_proj").reshape(kv_heads, d)
            if cfg["qk_norm"]:
                q = norm(q, w[p + "self_attn.q_norm.weight"], eps)
                k = norm(k, w[p + "self_attn.k_norm.weight"], eps)
            keys, values = self.cache[i]
            keys.append(rope(k, pos, self.freqs))
            values.append(v)
            q = rope(q, pos, self.freqs)
            out = np.zeros((heads, d))
            for hq in range(heads):
                kv = hq * kv_heads // heads
                scores = np.array([q[hq] @ key[kv] for key in keys]) / math.sqrt(d)
                probs = np.exp(scores - scores.max())
                probs /= probs.sum()
                out[hq] = sum(pr * val[kv] for pr, val in zip(probs, values))
            x = x + self.proj(out.reshape(-1), p + "self_attn.o_proj")
            h = norm(x, w[p + "post_attention_layernorm.weight"], eps)
            gate = self.proj(h, p + "mlp.gate_proj")
            x = x + self.proj(gate / (1 + np.exp(-gate)) * self.proj(h, p + "mlp.up_proj"), p + "mlp.down_proj")
        x = norm(x, w["model.norm.weight"], eps)
        out = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
        return out @ x


def run(decoder, tokens):
    return np.stack([decoder.step(t, pos) for pos, t in enumerate(tokens)])


def check_case(folder):
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(folder, "expected.json")) as f:
        expected = json.load(f)
    weights = read_safetensors(os.path.join(folder, "model.safetensors"))
    ids = expected["token_ids"]
    ok = True
    report = []
    for enc, want in expected["logits"].items():
        w = {n: (round_trip(t, enc) if t.ndim == 2 else t).astype(np.float64) for n, t in weights.items()}
        diff = np.abs(run(Decoder(cfg, w), ids) - np.array(want)).max()
        ok &= diff < TOLERANCE
        report.append(f"{enc} {diff:.1e}")
    w64 = {n: t.astype(np.float64) for n, t in weights.items()}
    if "adapter_logits" in expected:
        with open(os.path.join(folder, "adapter", "adapter_config.json")) as f:
            acfg = json.load(f)
        lora = {n: t.astype(np.float64) for n, t in
                read_safetensors(os.path.join(folder, "adapter", "adapter_model.safetensors")).items()}
        r, alpha = acfg["r"], acfg["lora_alpha"]
        scaling = alpha / math.sqrt(r) if acfg["use_rslora"] else alpha / r
        diff = np.abs(run(Decoder(cfg, w64, lora, scaling), ids) - np.array(expected["adapter_logits"]["F32"])).max()
        ok &= diff < TOLERANCE
        report.append(f"adapter {diff:.1e}")
    decoder, seq, greedy = Decoder(cfg, w64), list(ids), []
    logits = run(decoder, seq)[-1]
    for _ in expected["greedy_after_prompt"]["F32"]:
        greedy.append(int(np.argmax(logits)))
        logits = decoder.step(greedy[-1], len(seq))
        seq.append(greedy[-1])
    same = greedy == expected["greedy_after_prompt"]["F32"]
    ok &= same
    report.append("greedy " + ("matches" if same else "DIFFERS"))
    print(f"{os.path.basename(folder)}: max |dlogit| " + ", ".join(report) + (" OK" if ok else " FAIL"))
    return ok


def main():
    ok = True
    for case in sorted(os.listdir(GOLDEN)):
        ok &= check_case(os.path.join(GOLDEN, case))
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
