"""Writes the golden fixtures under testdata/golden/<case>/ (see README.md beside this file).

Run from anywhere with Debian's PyTorch:  /usr/bin/python3 tools/reference/make_golden.py
Weights come from numpy's RandomState (a stream numpy keeps stable across versions), so a rerun rewrites
byte-identical weight files; the logits may differ in the last printed digit only if the BLAS changes.
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weight_encodings import ENCODINGS, round_trip  # noqa: E402
from llama_ref import Model, PROJECTIONS, head_dim, inv_frequencies  # noqa: E402
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(REPO, "testdata", "golden")
GREEDY_STEPS = 16
BOS, EOS = 1, 2

# Seeds were picked (among the first 60 after 1001, 2001, 3001) for a greedy continuation that does not just repeat
# one token and whose best two logits never come closer than 0.03, so a float32 implementation cannot flip it.
CASES = [
    dict(name="gqa-tied", seed=1012, prompt_len=12,
         config=dict(num_hidden_layers=2, hidden_size=64, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                     intermediate_size=96, vocab_size=128, tie_word_embeddings=True, qk_norm=False,
                     rope_theta=10000.0, rope_scaling=None, rms_norm_eps=1e-5, max_position_embeddings=128),
         adapter=dict(r=4, lora_alpha=8, use_rslora=False)),
    dict(name="gqa-qknorm", seed=2018, prompt_len=11,
         config=dict(num_hidden_layers=2, hidden_size=64, num_attention_heads=4, num_key_value_heads=2, head_dim=32,
                     intermediate_size=128, vocab_size=160, tie_word_embeddings=True, qk_norm=True,
                     rope_theta=500000.0,
                     rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                       original_max_position_embeddings=32),
                     rms_norm_eps=1e-5, max_position_embeddings=256),
         adapter=dict(r=8, lora_alpha=16, use_rslora=True)),
    dict(name="untied-3q", seed=3059, prompt_len=10,
         config=dict(num_hidden_layers=3, hidden_size=96, num_attention_heads=6, num_key_value_heads=2, head_dim=16,
                     intermediate_size=160, vocab_size=128, tie_word_embeddings=False, qk_norm=True,
                     rope_theta=10000.0, rope_scaling=None, rms_norm_eps=1e-6, max_position_embeddings=128),
         adapter=None),
]

# Weight scales: projections N(0, 1/in_features) keep activations O(1); the embedding (and lm_head) std 0.25 makes
# the logits O(1-10) after the final norm; norm weights 1 + N(0, 0.1^2).
EMBED_STD = 0.25
NORM_NOISE = 0.1
LORA_OUTPUT_STD = 0.3   # size of scaling * B(Ax) per output for unit-RMS inputs


def hf_config(case):
    c = case["config"]
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": c["hidden_size"],
        "intermediate_size": c["intermediate_size"],
        "num_attention_heads": c["num_attention_heads"],
        "num_key_value_heads": c["num_key_value_heads"],
        "num_hidden_layers": c["num_hidden_layers"],
        "head_dim": c["head_dim"],
        "hidden_act": "silu",
        "attention_bias": False,
        "mlp_bias": False,
        "rms_norm_eps": c["rms_norm_eps"],
        "rope_theta": c["rope_theta"],
        "rope_scaling": c["rope_scaling"],
        "vocab_size": c["vocab_size"],
        "tie_word_embeddings": c["tie_word_embeddings"],
        "max_position_embeddings": c["max_position_embeddings"],
        "bos_token_id": BOS,
        "eos_token_id": EOS,
        "torch_dtype": "float32",
        "qk_norm": c["qk_norm"],
    }


def shapes(cfg):
    """{name: shape} of every tensor the checkpoint stores, in Hugging Face names."""
    hidden, d = cfg["hidden_size"], head_dim(cfg)
    q_out, kv_out = cfg["num_attention_heads"] * d, cfg["num_key_value_heads"] * d
    ffn = cfg["intermediate_size"]
    out = {"model.embed_tokens.weight": (cfg["vocab_size"], hidden)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        out[p + "input_layernorm.weight"] = (hidden,)
        out[p + "self_attn.q_proj.weight"] = (q_out, hidden)
        out[p + "self_attn.k_proj.weight"] = (kv_out, hidden)
        out[p + "self_attn.v_proj.weight"] = (kv_out, hidden)
        out[p + "self_attn.o_proj.weight"] = (hidden, q_out)
        if cfg["qk_norm"]:
            out[p + "self_attn.q_norm.weight"] = (d,)
            out[p + "self_attn.k_norm.weight"] = (d,)
        out[p + "post_attention_layernorm.weight"] = (hidden,)
        out[p + "mlp.gate_proj.weight"] = (ffn, hidden)
        out[p + "mlp.up_proj.weight"] = (ffn, hidden)
        out[p + "mlp.down_proj.weight"] = (hidden, ffn)
    out["model.norm.weight"] = (hidden,)
    if not cfg["tie_word_embeddings"]:
        out["lm_head.weight"] = (cfg["vocab_size"], hidden)
    return out


def random_weights(cfg, rng):
    weights = {}
    for name, shape in shapes(cfg).items():
        if len(shape) == 1:
            w = 1.0 + NORM_NOISE * rng.standard_normal(shape)
        elif name in ("model.embed_tokens.weight", "lm_head.weight"):
            w = EMBED_STD * rng.standard_normal(shape)
        else:
            w = rng.standard_normal(shape) / math.sqrt(shape[1])
        weights[name] = w.astype(np.float32)
    return weights


def lora_scaling(adapter):
    r, alpha = adapter["r"], adapter["lora_alpha"]
    return alpha / math.sqrt(r) if adapter["use_rslora"] else alpha / r


def random_adapter(cfg, adapter, rng):
    """PEFT-keyed LoRA A [r, in] and B [out, r] for every projection; B is non-zero so the adapter shows."""
    r, scaling = adapter["r"], lora_scaling(adapter)
    tensors = {}
    for name, shape in shapes(cfg).items():
        proj = name.split(".")[-2]
        if proj not in PROJECTIONS:
            continue
        out_f, in_f = shape
        key = "base_model.model." + name[:-len(".weight")]
        tensors[key + ".lora_A.weight"] = (rng.standard_normal((r, in_f)) / math.sqrt(in_f)).astype(np.float32)
        b_std = LORA_OUTPUT_STD / (scaling * math.sqrt(r))
        tensors[key + ".lora_B.weight"] = (b_std * rng.standard_normal((out_f, r))).astype(np.float32)
    return tensors


def encoded(weights, encoding):
    """Every 2-D matrix round-tripped through the encoding; 1-D norm weights stay float32."""
    return {n: (round_trip(w, encoding) if w.ndim == 2 else w) for n, w in weights.items()}


def six(values):
    """Nested lists of floats with 6 significant digits."""
    return [[float(f"{v:.6g}") for v in row] for row in np.asarray(values).tolist()]


def dump_json(obj, indent=0):
    """JSON with each innermost list of numbers on one line (readable diffs, modest size)."""
    pad = " " * indent
    if isinstance(obj, dict):
        items = [f'{pad} {json.dumps(k)}: {dump_json(v, indent + 1).lstrip()}' for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and obj and isinstance(obj[0], (list, dict)):
        return pad + "[\n" + ",\n".join(dump_json(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return pad + json.dumps(obj)


def write_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text + "\n")
    os.replace(tmp, path)


def check_rope_scaling(cfg):
    """Makes sure llama3 scaling leaves some frequencies alone, divides some and interpolates some at this head_dim."""
    if not cfg.get("rope_scaling"):
        return ""
    plain = dict(cfg, rope_scaling=None)
    base, scaled = inv_frequencies(plain), inv_frequencies(cfg)
    factor = cfg["rope_scaling"]["factor"]
    same = int(torch.isclose(scaled, base, rtol=1e-12, atol=0).sum())
    divided = int(torch.isclose(scaled, base / factor, rtol=1e-12, atol=0).sum())
    between = len(base) - same - divided
    assert same > 0 and divided > 0 and between > 0, (same, divided, between)
    return (f" llama3 rope_scaling keeps {same} of the {len(base)} frequencies, divides {divided} by the factor"
            f" and interpolates {between}.")


def make_case(case):
    cfg = hf_config(case)
    rng = np.random.RandomState(case["seed"])
    weights = random_weights(cfg, rng)
    prompt = [BOS] + [int(t) for t in rng.randint(3, cfg["vocab_size"], size=case["prompt_len"] - 1)]
    adapter_tensors = random_adapter(cfg, case["adapter"], rng) if case["adapter"] else None

    folder = os.path.join(OUT, case["name"])
    os.makedirs(folder, exist_ok=True)
    write_text(os.path.join(folder, "config.json"), json.dumps(cfg, indent=2))
    write_safetensors(os.path.join(folder, "model.safetensors"), weights)
    assert all(np.array_equal(weights[k], v) for k, v in read_safetensors(os.path.join(folder, "model.safetensors")).items())

    expected = {"token_ids": prompt, "logits": {}}
    stats = {}
    f32 = None
    for enc in ENCODINGS:
        logits = Model(cfg, encoded(weights, enc)).logits(prompt).numpy()
        expected["logits"][enc] = six(logits)
        if enc == "F32":
            f32 = logits
        else:
            stats[f"max |{enc} - F32|"] = float(np.abs(logits - f32).max())
    stats["F32 logit min"], stats["F32 logit max"], stats["F32 logit std"] = (
        float(f32.min()), float(f32.max()), float(f32.std()))
    float32_logits = Model(cfg, weights, dtype=torch.float32).logits(prompt).numpy()
    stats["max |float32 forward - float64 forward|"] = float(np.abs(float32_logits - f32).max())

    notes = (f"Random Llama-family model ({cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']},"
             f" {cfg['num_attention_heads']} heads, {cfg['num_key_value_heads']} KV heads, head_dim {cfg['head_dim']},"
             f" FFN {cfg['intermediate_size']}, vocab {cfg['vocab_size']},"
             f" {'tied' if cfg['tie_word_embeddings'] else 'untied'} embeddings, qk_norm {cfg['qk_norm']},"
             f" rope_theta {cfg['rope_theta']:g}, rms_norm_eps {cfg['rms_norm_eps']:g}) made by"
             f" tools/reference/make_golden.py with seed {case['seed']}; forward in float64 torch on float32 weights."
             + check_rope_scaling(cfg) +
             " logits[E][p] are the vocab logits at position p of token_ids (positions from 0, whole prompt at once,"
             " causal) after every 2-D weight matrix (embedding, projections, lm_head) is round-tripped through"
             " encoding E (F16/BF16 round to nearest even; Q8_0/Q4_0 as llama.cpp's reference quantizers, blocks of"
             " 32 along each row); norm weights stay F32.")
    if adapter_tensors is not None:
        a = case["adapter"]
        scaling = lora_scaling(a)
        adapter_dir = os.path.join(folder, "adapter")
        os.makedirs(adapter_dir, exist_ok=True)
        adapter_config = {
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": f"testdata/golden/{case['name']}",
            "r": a["r"], "lora_alpha": a["lora_alpha"], "use_rslora": a["use_rslora"], "lora_dropout": 0.0,
            "target_modules": list(PROJECTIONS), "bias": "none", "fan_in_fan_out": False, "inference_mode": True,
            "modules_to_save": None, "layers_to_transform": None, "use_dora": False,
        }
        write_text(os.path.join(adapter_dir, "adapter_config.json"), json.dumps(adapter_config, indent=2))
        write_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"), adapter_tensors)
        adapted = Model(cfg, weights, adapter=(scaling, adapter_tensors)).logits(prompt).numpy()
        expected["adapter_logits"] = {"F32": six(adapted)}
        stats["max |adapter - F32|"] = float(np.abs(adapted - f32).max())
        notes += (f" adapter_logits[F32] use the F32 base plus the adapter in adapter/ (y = W x + s B(A x) on every"
                  f" projection, s = {'lora_alpha/sqrt(r)' if a['use_rslora'] else 'lora_alpha/r'} = {scaling:g}).")
    greedy, gap = Model(cfg, weights).greedy(prompt, GREEDY_STEPS)
    expected["greedy_after_prompt"] = {"F32": greedy}
    stats["greedy smallest top-2 gap"] = gap
    notes += (f" greedy_after_prompt[F32] are the {GREEDY_STEPS} argmax tokens after token_ids (F32 weights, no"
              f" stop at eos; smallest gap between the two best logits along the way {gap:.3g}).")
    expected["notes"] = notes
    write_text(os.path.join(folder, "expected.json"), dump_json(expected))
    return stats


def main():
    os.makedirs(OUT, exist_ok=True)
    for case in CASES:
        stats = make_case(case)
        print(case["name"])
        for k, v in stats.items():
            print(f"  {k}: {v:.4g}")


if __name__ == "__main__":
    main()
