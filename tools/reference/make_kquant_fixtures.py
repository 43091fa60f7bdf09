"""Makes testdata/gguf-kquants/: a tiny random Llama GGUF (hidden 256, so every matrix row holds whole K-quant
super-blocks of 256), quantized by llama.cpp's own llama-quantize to Q2_K, Q3_K, Q4_K, Q5_K, Q6_K (--pure: every
matrix in that type) and Q4_K_M (llama.cpp's usual mixture), with two kinds of llama.cpp reference output:

- dequant.json: every quantized tensor dequantized by llama.cpp itself (llama-quantize --allow-requantize to F32),
  as a SHA-256 of its little-endian float32 values plus its first 16 values;
- <file>.kld: llama-perplexity's --kl-divergence-base dump for a short text (n_ctx 64, 2 chunks): the token ids and,
  for the last 31 positions of each chunk, the 512 log-probabilities llama.cpp computed (uint16 over a per-position
  scale and minimum, see examples/perplexity/perplexity.cpp), and its perplexity printed in expected.json.

The source F32 model is written with llama.cpp's gguf-py package (imported from the llama.cpp checkout, not copied)
and carries the tokenizer of testdata/gguf/tiny-f32.gguf (512 tokens), because llama.cpp refuses GGUF files
without tokenizer.ggml.* keys. The source itself is not committed (3.6 MB); it is rewritten byte-identically
from the seed.

Run: PYTHONPATH=/work/llama.cpp/gguf-py:<dir with a stub sentencepiece.py> \
     python3 tools/reference/make_kquant_fixtures.py /work/llama.cpp/build/bin
(gguf-py imports sentencepiece at start-up; only the writer and reader are used, so a stub module defining
`class SentencePieceProcessor: pass` is enough.)
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from gguf import GGUFReader, GGUFWriter, GGMLQuantizationType

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(REPO, "testdata", "gguf-kquants")
TOKENIZER_SOURCE = os.path.join(REPO, "testdata", "gguf", "tiny-f32.gguf")
TEXT_SOURCE = "/work/shared/data/wikitext-2-raw/wiki.test.raw"

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, VOCAB, CONTEXT = 256, 1, 4, 2, 256, 512, 256
TYPES = ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"]
N_CTX, CHUNKS = 64, 2


def tokenizer_fields():
    r = GGUFReader(TOKENIZER_SOURCE)
    f = r.fields
    text = lambda k: bytes(f[k].parts[f[k].data[0]]).decode()
    strings = lambda k: [bytes(f[k].parts[i]).decode() for i in f[k].data]
    return {
        "model": text("tokenizer.ggml.model"),
        "pre": text("tokenizer.ggml.pre"),
        "tokens": strings("tokenizer.ggml.tokens"),
        "token_type": [int(f["tokenizer.ggml.token_type"].parts[i][0]) for i in f["tokenizer.ggml.token_type"].data],
        "merges": strings("tokenizer.ggml.merges"),
    }


def write_source(path):
    rng = np.random.RandomState(20261204)
    w = GGUFWriter(path, "llama")
    w.add_name("orchard-kquant-tiny")
    w.add_context_length(CONTEXT)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_dimension_count(HIDDEN // HEADS)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(VOCAB)
    w.add_file_type(0)
    tok = tokenizer_fields()
    w.add_tokenizer_model(tok["model"])
    w.add_tokenizer_pre(tok["pre"])
    w.add_token_list(tok["tokens"])
    w.add_token_types(tok["token_type"])
    w.add_token_merges(tok["merges"])
    w.add_bos_token_id(0)
    w.add_eos_token_id(0)
    w.add_add_bos_token(False)

    def matrix(rows, cols, std):
        return (rng.standard_normal((rows, cols)) * std).astype(np.float32)

    def norm():
        return (1.0 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32)

    # Small enough that the logits span well under the 16 nats llama-perplexity keeps of each distribution.
    w.add_tensor("token_embd.weight", matrix(VOCAB, HIDDEN, 0.1))
    w.add_tensor("output_norm.weight", norm())
    head_dim = HIDDEN // HEADS
    for i in range(LAYERS):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", norm())
        w.add_tensor(p + "ffn_norm.weight", norm())
        w.add_tensor(p + "attn_q.weight", matrix(HIDDEN, HIDDEN, HIDDEN ** -0.5))
        w.add_tensor(p + "attn_k.weight", matrix(KV_HEADS * head_dim, HIDDEN, HIDDEN ** -0.5))
        w.add_tensor(p + "attn_v.weight", matrix(KV_HEADS * head_dim, HIDDEN, HIDDEN ** -0.5))
        w.add_tensor(p + "attn_output.weight", matrix(HIDDEN, HIDDEN, HIDDEN ** -0.5))
        w.add_tensor(p + "ffn_gate.weight", matrix(FFN, HIDDEN, HIDDEN ** -0.5))
        w.add_tensor(p + "ffn_up.weight", matrix(FFN, HIDDEN, HIDDEN ** -0.5))
        w.add_tensor(p + "ffn_down.weight", matrix(HIDDEN, FFN, FFN ** -0.5))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def run(args):
    res = subprocess.run(args, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    return res.stdout + res.stderr


def dequantized(path):
    out = {}
    for t in GGUFReader(path).tensors:
        if t.tensor_type != GGMLQuantizationType.F32:
            sys.exit(f"{path}: {t.name} is {t.tensor_type.name}, expected F32")
        values = np.ascontiguousarray(t.data, dtype="<f4").reshape(-1)
        out[t.name] = {"sha256": hashlib.sha256(values.tobytes()).hexdigest(),
                       "first16": [float(v) for v in values[:16]]}
    return out


def tensor_types(path):
    return {t.name: t.tensor_type.name for t in GGUFReader(path).tensors}


def main():
    bin_dir = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "tiny256-f32.gguf")
        write_source(source)
        text = open(TEXT_SOURCE, encoding="utf-8").read()[2000:6000]
        text_path = os.path.join(OUT, "text.txt")
        with open(text_path, "w", encoding="utf-8") as f:
            f.write(text)
        expected = {"notes": "written by tools/reference/make_kquant_fixtures.py (see its docstring)", "n_ctx": N_CTX, "chunks": CHUNKS, "files": {}}
        dequant = {}
        variants = [(t, ["--pure"]) for t in TYPES] + [("Q4_K_M", [])]
        targets = [("F32", source)]
        for qtype, flags in variants:
            name = f"tiny256-{qtype.lower()}.gguf"
            path = os.path.join(OUT, name)
            run([os.path.join(bin_dir, "llama-quantize"), *flags, source, path, qtype, "1"])
            back = os.path.join(tmp, name + ".f32")
            run([os.path.join(bin_dir, "llama-quantize"), "--allow-requantize", path, back, "F32", "1"])
            types = tensor_types(path)
            dq = dequantized(back)
            dequant[name] = {k: dict(v, type=types[k]) for k, v in dq.items() if types[k] != "F32"}
            targets.append((qtype, path))
        for label, path in targets:
            # The F32 source is not committed, so neither is its dump; its perplexity is kept for comparison.
            kld = os.path.join(OUT if label != "F32" else tmp, os.path.basename(path) + ".kld")
            log = run([os.path.join(bin_dir, "llama-perplexity"), "-m", path, "-f", text_path, "-c", str(N_CTX),
                       "-b", str(N_CTX), "--chunks", str(CHUNKS), "-t", "1", "--kl-divergence-base", kld])
            m = re.search(r"Final estimate: PPL = ([0-9.]+) \+/- ([0-9.]+)", log)
            if not m:
                sys.exit(f"no perplexity in llama-perplexity output for {path}:\n{log}")
            expected["files"][os.path.basename(path)] = {
                "type": label, "perplexity": float(m.group(1)), "perplexity_error": float(m.group(2)),
                "kld": os.path.basename(kld) if label != "F32" else None}
        with open(os.path.join(OUT, "dequant.json"), "w") as f:
            json.dump(dequant, f, indent=1)
        with open(os.path.join(OUT, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
