"""A Llama-family decoder written out in torch, top to bottom as the math (no model library).

Covers: grouped-query attention (each KV head shared by num_attention_heads / num_key_value_heads consecutive
query heads, as Hugging Face's repeat_kv), an explicit head_dim, optional Qwen3-style QK-norm (per-head RMSNorm
over head_dim on q and k before RoPE), RoPE in the Hugging Face rotate_half layout with optional llama3
rope_scaling, SwiGLU feed-forward, tied or separate lm_head, and PEFT LoRA deltas on every projection.

Weights are {Hugging Face tensor name: float32 ndarray}; the forward runs in float64 by default, so the logits are
the exact function of the (float32) weights up to float64 rounding. Pass dtype=torch.float32 to see how far a
float32 implementation drifts.
"""
import math

import numpy as np
import torch

PROJECTIONS = {
    "q_proj": "self_attn", "k_proj": "self_attn", "v_proj": "self_attn", "o_proj": "self_attn",
    "gate_proj": "mlp", "up_proj": "mlp", "down_proj": "mlp",
}


def head_dim(cfg):
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def inv_frequencies(cfg):
    """RoPE inverse frequencies 1/theta^(2i/d), with llama3 rope_scaling as transformers' _compute_llama3_parameters."""
    d = head_dim(cfg)
    inv_freq = 1.0 / (float(cfg["rope_theta"]) ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    scaling = cfg.get("rope_scaling")
    if not scaling:
        return inv_freq
    kind = scaling.get("rope_type", scaling.get("type"))
    if kind != "llama3":
        raise ValueError(f"rope_scaling type {kind!r} is not supported")
    factor = float(scaling["factor"])
    low = float(scaling["low_freq_factor"])
    high = float(scaling["high_freq_factor"])
    old_context = float(scaling["original_max_position_embeddings"])
    low_freq_wavelen = old_context / low
    high_freq_wavelen = old_context / high
    wavelen = 2 * math.pi / inv_freq
    # wavelength shorter than high_freq_wavelen: unchanged; longer than low_freq_wavelen: divided by factor
    scaled = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    # in between: interpolate between the two
    smooth = (old_context / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
    return torch.where(medium, smoothed, scaled)


def rope_tables(cfg, n, dtype):
    """cos and sin [n, head_dim] for positions 0..n-1, both halves of each head sharing a frequency."""
    freqs = torch.arange(n, dtype=torch.float64)[:, None] * inv_frequencies(cfg)[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


class Model:
    def __init__(self, cfg, weights, adapter=None, dtype=torch.float64):
        """weights: {name: ndarray}; adapter: None or (scaling, {peft key: ndarray})."""
        self.cfg = cfg
        self.dtype = dtype
        self.w = {name: torch.from_numpy(np.asarray(t, dtype=np.float32)).to(dtype) for name, t in weights.items()}
        self.lora = {}
        if adapter is not None:
            scaling, tensors = adapter
            for key, t in tensors.items():
                self.lora[key] = torch.from_numpy(np.asarray(t, dtype=np.float32)).to(dtype)
            self.lora_scaling = scaling

    def linear(self, x, layer, proj):
        name = f"model.layers.{layer}.{PROJECTIONS[proj]}.{proj}"
        y = x @ self.w[name + ".weight"].T
        a = self.lora.get(f"base_model.model.{name}.lora_A.weight")
        if a is not None:
            b = self.lora[f"base_model.model.{name}.lora_B.weight"]
            y = y + self.lora_scaling * ((x @ a.T) @ b.T)
        return y

    def attention(self, x, layer, cos, sin):
        cfg = self.cfg
        n = x.shape[0]
        heads, kv_heads, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
        eps = cfg["rms_norm_eps"]
        q = self.linear(x, layer, "q_proj").view(n, heads, d).transpose(0, 1)      # [heads, n, d]
        k = self.linear(x, layer, "k_proj").view(n, kv_heads, d).transpose(0, 1)   # [kv_heads, n, d]
        v = self.linear(x, layer, "v_proj").view(n, kv_heads, d).transpose(0, 1)
        if cfg.get("qk_norm"):
            q = rms_norm(q, self.w[f"model.layers.{layer}.self_attn.q_norm.weight"], eps)
            k = rms_norm(k, self.w[f"model.layers.{layer}.self_attn.k_norm.weight"], eps)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = heads // kv_heads
        k = k.repeat_interleave(group, dim=0)   # query head h reads KV head h // group
        v = v.repeat_interleave(group, dim=0)
        scores = (q @ k.transpose(1, 2)) / math.sqrt(d)
        future = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v                                   # [heads, n, d]
        return self.linear(out.transpose(0, 1).reshape(n, heads * d), layer, "o_proj")

    def feed_forward(self, h, layer):
        gate = self.linear(h, layer, "gate_proj")
        return self.linear(torch.nn.functional.silu(gate) * self.linear(h, layer, "up_proj"), layer, "down_proj")

    def logits(self, token_ids):
        """Logits [len(token_ids), vocab] for every position of one causal sequence starting at position 0."""
        cfg = self.cfg
        eps = cfg["rms_norm_eps"]
        x = self.w["model.embed_tokens.weight"][torch.tensor(token_ids, dtype=torch.long)]
        cos, sin = rope_tables(cfg, len(token_ids), self.dtype)
        for i in range(cfg["num_hidden_layers"]):
            x = x + self.attention(rms_norm(x, self.w[f"model.layers.{i}.input_layernorm.weight"], eps), i, cos, sin)
            h = rms_norm(x, self.w[f"model.layers.{i}.post_attention_layernorm.weight"], eps)
            x = x + self.feed_forward(h, i)
        x = rms_norm(x, self.w["model.norm.weight"], eps)
        out = self.w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else self.w["lm_head.weight"]
        return x @ out.T

    def greedy(self, token_ids, steps):
        """The next `steps` argmax tokens (lowest id on ties), recomputing the whole sequence each step; also returns
        the smallest gap between the best and second-best logit seen, to judge how robust the sequence is."""
        seq = list(token_ids)
        produced, min_gap = [], float("inf")
        for _ in range(steps):
            last = self.logits(seq)[-1].numpy()
            best = int(np.argmax(last))
            min_gap = min(min_gap, float(last[best] - np.partition(last, -2)[-2]))
            produced.append(best)
            seq.append(best)
        return produced, min_gap
