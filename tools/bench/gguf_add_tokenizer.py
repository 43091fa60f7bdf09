#!/usr/bin/env python3
"""Copies a GGUF file, adding a minimal synthetic tokenizer so that llama.cpp accepts it.

Measurement only: `orchard convert --random` writes random-weight models without tokenizer.ggml.* keys, and
llama.cpp (b4747) refuses such files. This adds a byte-level 'gpt2' vocabulary of the model's vocabulary size:
the 256 byte symbols of GPT-2's byte-level alphabet, one merge ("a b" -> "ab"; llama.cpp needs the merges key and
gguf-py drops an empty array), then filler tokens "<t257>", ... up to the vocabulary size, so that llama-bench
and Orchard can both load the same weights.

Uses llama.cpp's own gguf-py (not copied into this repository): pass its directory with --gguf-py or set
LLAMA_CPP to the llama.cpp checkout. Needs Debian's python3-numpy, python3-yaml and python3-sentencepiece
(gguf-py imports them), so run it with /usr/bin/python3.

    /usr/bin/python3 tools/bench/gguf_add_tokenizer.py --gguf-py /work/llama.cpp/gguf-py in.gguf out.gguf
"""
import argparse
import os
import sys


def byte_symbols():
    """GPT-2's byte-to-unicode table: printable bytes map to themselves, the rest to code points from 256 on."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    shifted = 0
    symbols = {}
    for b in range(256):
        if b in keep:
            symbols[b] = chr(b)
        else:
            symbols[b] = chr(256 + shifted)
            shifted += 1
    return [symbols[b] for b in range(256)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("target")
    ap.add_argument("--gguf-py", default=os.path.join(os.environ.get("LLAMA_CPP", "/work/llama.cpp"), "gguf-py"),
                    help="llama.cpp's gguf-py directory (default: $LLAMA_CPP/gguf-py)")
    args = ap.parse_args()
    sys.path.insert(0, args.gguf_py)
    try:
        from gguf import GGUFReader, GGUFWriter, GGUFValueType
    except ImportError as e:
        sys.exit(f"cannot import gguf-py from {args.gguf_py}: {e}")

    reader = GGUFReader(args.source)
    if "tokenizer.ggml.model" in reader.fields:
        sys.exit(f"{args.source} already has a tokenizer (tokenizer.ggml.model); nothing to add")

    def value(field):
        kind = field.types[0]
        if kind == GGUFValueType.ARRAY:
            if field.types[-1] == GGUFValueType.STRING:
                return [bytes(field.parts[i]).decode() for i in field.data]
            return [field.parts[i].tolist()[0] for i in field.data]
        if kind == GGUFValueType.STRING:
            return bytes(field.parts[field.data[0]]).decode()
        return field.parts[field.data[0]].tolist()[0]

    arch = value(reader.fields["general.architecture"])
    embeddings = [t for t in reader.tensors if t.name == "token_embd.weight"]
    if not embeddings:
        sys.exit(f"{args.source} has no token_embd.weight: cannot tell the vocabulary size")
    vocab = int(embeddings[0].shape[1])

    tmp = args.target + ".tmp"
    writer = GGUFWriter(tmp, arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue
        if field.types[0] == GGUFValueType.ARRAY:
            writer.add_key_value(name, value(field), field.types[0], field.types[-1])
        else:
            writer.add_key_value(name, value(field), field.types[0])
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    if vocab < 257:
        sys.exit(f"vocabulary of {vocab} is smaller than the 257 tokens of the synthetic tokenizer")
    tokens = byte_symbols() + ["ab"] + [f"<t{i}>" for i in range(257, vocab)]
    writer.add_token_list(tokens)
    writer.add_token_types([1] * vocab)
    writer.add_token_merges(["a b"])
    for t in reader.tensors:
        writer.add_tensor(t.name, t.data, raw_shape=list(reversed([int(x) for x in t.shape])),
                          raw_dtype=t.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(tmp, args.target)
    print(f"wrote {args.target} ({vocab} synthetic tokens)")


if __name__ == "__main__":
    main()
