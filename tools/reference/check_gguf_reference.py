"""Cross-checks this directory's reference against files made by llama.cpp's tools (testdata/gguf/).

1. Forward: every tiny GGUF model (F32, F16, Q8_0, Q4_0) is decoded, its q/k rows are put back from GGUF's
   adjacent-pair RoPE order into the Hugging Face rotate_half order, and llama_ref.Model's logits are compared
   with expected.json (an independent PyTorch forward in GGUF layout) and its greedy tokens with llama.cpp's own
   greedy run (llama_cpp_crosscheck).
2. Quantizers: the F32 file's matrices are encoded with weight_encodings.py and compared byte for byte with the
   blocks llama-quantize wrote into the F16, Q8_0 and Q4_0 files.

Run: /usr/bin/python3 tools/reference/check_gguf_reference.py   (exit status 1 on any mismatch)
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_reader import GGUFFile  # noqa: E402
from llama_ref import Model  # noqa: E402
from weight_encodings import pack_q4_0, quantize_q4_0, quantize_q8_0  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GGUF_DIR = os.path.join(REPO, "testdata", "gguf")
LOGIT_TOLERANCE = 1e-4   # expected.json prints 6 decimals; both forwards agree far closer than this

HF_NAMES = {
    "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
    "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}


def unpermute(w, heads):
    """Inverse of convert_hf_to_gguf's permute: GGUF row 2j (2j+1) of a head is Hugging Face row j (j + d/2)."""
    out_f, in_f = w.shape
    d = out_f // heads
    return w.reshape(heads, d // 2, 2, in_f).swapaxes(1, 2).reshape(out_f, in_f)


def load(path):
    g = GGUFFile(path)
    m = g.metadata
    heads, kv_heads = m["llama.attention.head_count"], m["llama.attention.head_count_kv"]
    cfg = {
        "hidden_size": m["llama.embedding_length"], "num_hidden_layers": m["llama.block_count"],
        "num_attention_heads": heads, "num_key_value_heads": kv_heads,
        "head_dim": m["llama.embedding_length"] // heads, "intermediate_size": m["llama.feed_forward_length"],
        "rope_theta": m["llama.rope.freq_base"], "rope_scaling": None,
        "rms_norm_eps": m["llama.attention.layer_norm_rms_epsilon"],
        "tie_word_embeddings": "output.weight" not in g.infos, "qk_norm": False,
    }
    weights = {}
    for name in g.infos:
        t = g.tensor(name)
        parts = name.split(".")
        if name == "token_embd.weight":
            weights["model.embed_tokens.weight"] = t
        elif name == "output_norm.weight":
            weights["model.norm.weight"] = t
        elif name == "output.weight":
            weights["lm_head.weight"] = t
        elif parts[0] == "blk":
            if parts[2] == "attn_q":
                t = unpermute(t, heads)
            elif parts[2] == "attn_k":
                t = unpermute(t, kv_heads)
            weights[f"model.layers.{parts[1]}.{HF_NAMES[parts[2]]}.weight"] = t
        else:
            raise ValueError(f"{path}: unexpected tensor {name}")
    return g, cfg, weights


def check_forward(expected):
    ok = True
    ids = expected["token_ids"]
    for file_name, want in expected["files"].items():
        _, cfg, weights = load(os.path.join(GGUF_DIR, file_name))
        model = Model(cfg, weights)
        logits = model.logits(ids).numpy()
        d_last = np.abs(logits[-1] - np.array(want["last_logits"])).max()
        d_first8 = np.abs(logits[:, :8] - np.array(want["logits_first8_per_position"])).max()
        greedy, gap = model.greedy(ids, len(want["greedy_after_prompt"]))
        same = greedy == want["greedy_after_prompt"]
        good = d_last < LOGIT_TOLERANCE and d_first8 < LOGIT_TOLERANCE and same
        ok &= good
        print(f"{file_name}: max |dlogit| last position {d_last:.2e}, first 8 at every position {d_first8:.2e};"
              f" greedy {'matches' if same else 'DIFFERS'} (smallest top-2 gap {gap:.3g}) {'OK' if good else 'FAIL'}")
    cross = expected.get("llama_cpp_crosscheck")
    if cross:
        _, cfg, weights = load(os.path.join(GGUF_DIR, cross["file"]))
        greedy, _ = Model(cfg, weights).greedy(cross["prompt_ids"], len(cross["greedy_ids"]))
        same = greedy == cross["greedy_ids"]
        ok &= same
        print(f"{cross['file']}: greedy after {cross['prompt']!r} {'matches' if same else 'DIFFERS FROM'}"
              f" llama.cpp's llama-simple {'OK' if same else 'FAIL'}")
    return ok


def encode_like_llama_cpp(w, type_name):
    if type_name == "F16":
        return w.astype("<f2").tobytes()
    if type_name == "Q8_0":
        d, q = quantize_q8_0(w)
        return np.concatenate([d.reshape(-1, 1).astype("<f2").view(np.uint8),
                               q.reshape(-1, 32).view(np.uint8)], axis=1).tobytes()
    if type_name == "Q4_0":
        d, q = quantize_q4_0(w)
        return np.concatenate([d.reshape(-1, 1).astype("<f2").view(np.uint8),
                               pack_q4_0(q).reshape(-1, 16)], axis=1).tobytes()
    raise ValueError(type_name)


def check_quantizers():
    ok = True
    source = GGUFFile(os.path.join(GGUF_DIR, "tiny-f32.gguf"))
    for file_name in ("tiny-f16.gguf", "tiny-q8_0.gguf", "tiny-q4_0.gguf"):
        g = GGUFFile(os.path.join(GGUF_DIR, file_name))
        counts = {}
        for name in g.infos:
            kind = g.type_name(name)
            if kind == "F32":
                continue
            mine = encode_like_llama_cpp(source.tensor(name), kind)
            theirs = g.raw_bytes(name)
            same = mine == theirs
            total, match = counts.get(kind, (0, 0))
            counts[kind] = (total + 1, match + same)
            if not same:
                diff = int(np.sum(np.frombuffer(mine, np.uint8) != np.frombuffer(theirs, np.uint8)))
                print(f"  {file_name} {name} ({kind}): {diff} of {len(theirs)} bytes differ")
        good = all(t == m for t, m in counts.values())
        ok &= good
        summary = ", ".join(f"{m}/{t} {k} tensors byte-identical" for k, (t, m) in counts.items())
        print(f"{file_name}: {summary} {'OK' if good else 'FAIL'}")
    return ok


def main():
    with open(os.path.join(GGUF_DIR, "expected.json")) as f:
        expected = json.load(f)
    ok = check_forward(expected)
    ok &= check_quantizers()
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
