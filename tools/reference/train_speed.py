"""Training throughput of a Llama-architecture model in PyTorch on the CPU, to compare with `orchard pretrain`.

Same model as Orchard's training graph (and llama2.c's model.py): RMSNorm, GQA attention with HF rotate-half RoPE,
optional QK-norm, SwiGLU, tied embeddings; AdamW (decoupled weight decay), gradient clipping at 1.0. Default
config: llama2.c's stories260K (dim 64, 5 layers, 8 heads, 4 KV heads, hidden 172, vocab 512, context 512).

    /usr/bin/python3 tools/reference/train_speed.py --threads 2 --batch 8 --steps 20
    /usr/bin/python3 tools/reference/train_speed.py --tokens runs/260k/data/train.tokens ...   # real data

Prints tokens/s over the timed steps (the first --warmup steps are not timed). Random tokens unless --tokens
points at an Orchard token file (flat little-endian uint16).
"""
import argparse
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Block(nn.Module):
    def __init__(self, a):
        super().__init__()
        hd = a.dim // a.heads
        self.a, self.hd = a, hd
        self.input_layernorm = RMSNorm(a.dim, 1e-5)
        self.q_proj = nn.Linear(a.dim, a.heads * hd, bias=False)
        self.k_proj = nn.Linear(a.dim, a.kv_heads * hd, bias=False)
        self.v_proj = nn.Linear(a.dim, a.kv_heads * hd, bias=False)
        self.o_proj = nn.Linear(a.heads * hd, a.dim, bias=False)
        self.q_norm = RMSNorm(hd, 1e-5) if a.qk_norm else None
        self.k_norm = RMSNorm(hd, 1e-5) if a.qk_norm else None
        self.post_attention_layernorm = RMSNorm(a.dim, 1e-5)
        self.gate_proj = nn.Linear(a.dim, a.hidden, bias=False)
        self.up_proj = nn.Linear(a.dim, a.hidden, bias=False)
        self.down_proj = nn.Linear(a.hidden, a.dim, bias=False)

    def forward(self, x, cos, sin, mask):
        a, hd = self.a, self.hd
        b, n, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, n, a.heads, hd).transpose(1, 2)
        k = self.k_proj(h).view(b, n, a.kv_heads, hd).transpose(1, 2)
        v = self.v_proj(h).view(b, n, a.kv_heads, hd).transpose(1, 2)
        if self.q_norm is not None:
            q, k = self.q_norm(q), self.k_norm(k)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = a.heads // a.kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd) + mask
        out = F.softmax(att, dim=-1) @ v
        x = x + self.o_proj(out.transpose(1, 2).reshape(b, n, a.heads * hd))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Model(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        self.embed_tokens = nn.Embedding(a.vocab, a.dim)
        self.layers = nn.ModuleList(Block(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.dim, 1e-5)
        hd = a.dim // a.heads
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2).float() / hd))
        freqs = torch.arange(a.context).float()[:, None] * inv[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos", emb.cos())
        self.register_buffer("sin", emb.sin())
        self.register_buffer("mask", torch.full((a.context, a.context), float("-inf")).triu(1))
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * a.layers) if name.endswith(("o_proj.weight", "down_proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, tokens, targets):
        x = self.embed_tokens(tokens)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin, self.mask)
        logits = self.norm(x) @ self.embed_tokens.weight.T   # tied output projection
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--layers", type=int, default=5)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--kv-heads", type=int, default=4)
    p.add_argument("--hidden", type=int, default=172)
    p.add_argument("--vocab", type=int, default=512)
    p.add_argument("--context", type=int, default=512)
    p.add_argument("--qk-norm", action="store_true")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--tokens", help="Orchard token file (uint16) to draw windows from")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1337)
    model = Model(a)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95))
    data = np.memmap(a.tokens, dtype="<u2", mode="r") if a.tokens else None
    rng = np.random.default_rng(0)

    def batch():
        if data is None:
            t = torch.randint(0, a.vocab, (a.batch, a.context + 1))
        else:
            starts = rng.integers(0, len(data) - a.context - 1, a.batch)
            t = torch.from_numpy(np.stack([data[s:s + a.context + 1].astype(np.int64) for s in starts]))
        return t[:, :-1], t[:, 1:]

    params = sum(p.numel() for p in model.parameters())
    timed_tokens, start, losses = 0, None, []
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            start = time.perf_counter()
        x, y = batch()
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(float(loss))
        if step >= a.warmup:
            timed_tokens += a.batch * a.context
    seconds = time.perf_counter() - start
    print(f"torch {torch.__version__}, {a.threads} threads, {params:,} parameters, batch {a.batch} x {a.context}: "
          f"{timed_tokens / seconds:,.0f} tokens/s over {a.steps} steps ({seconds:.1f} s); "
          f"loss {losses[0]:.3f} -> {losses[-1]:.3f}")


if __name__ == "__main__":
    main()
