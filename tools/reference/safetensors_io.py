"""Minimal safetensors writer and reader (stdlib + numpy), F32 only.

Layout: 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple of 8),
then the raw little-endian tensor data, each tensor at its [begin, end) data_offsets.
"""
import json
import os
import struct

import numpy as np


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: float32 ndarray} to path (via a temp file and rename); tensors are stored in name order."""
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name], dtype="<f4")
        data = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)))
        out.write(header_bytes)
        for blob in blobs:
            out.write(blob)
    os.replace(tmp, path)


def read_safetensors(path):
    """Reads an F32 safetensors file back into {name: float32 ndarray}."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, only F32 is supported")
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(raw[base + begin:base + end], dtype="<f4").reshape(info["shape"]).copy()
    return tensors
