"""Minimal GGUF (v2/v3) reader, stdlib + numpy: metadata and tensors of types F32, F16, BF16, Q8_0, Q4_0.

Layout: magic "GGUF", uint32 version, uint64 tensor count, uint64 metadata count, the metadata key/value pairs,
the tensor infos (name, dims innermost first, type, offset into the data section), then the data section at the
next multiple of general.alignment (default 32). All little-endian.
"""
import struct

import numpy as np

SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9
F32, F16, Q4_0, Q8_0, BF16 = 0, 1, 2, 8, 30
TYPE_NAMES = {F32: "F32", F16: "F16", Q4_0: "Q4_0", Q8_0: "Q8_0", BF16: "BF16"}
BLOCK_BYTES = {Q4_0: 18, Q8_0: 34}   # per 32 elements: f16 scale, then 16 packed nibbles or 32 int8


class GGUFFile:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.raw = f.read()
        self.pos = 0
        if self.raw[:4] != b"GGUF":
            raise ValueError(f"{path}: not a GGUF file")
        self.pos = 4
        self.version = self._read("<I")
        n_tensors, n_kv = self._read("<Q"), self._read("<Q")
        self.metadata = {}
        for _ in range(n_kv):
            key = self._string()
            self.metadata[key] = self._value(self._read("<I"))
        self.infos = {}
        for _ in range(n_tensors):
            name = self._string()
            dims = [self._read("<Q") for _ in range(self._read("<I"))]
            self.infos[name] = (dims, self._read("<I"), self._read("<Q"))
        alignment = self.metadata.get("general.alignment", 32)
        self.data_start = (self.pos + alignment - 1) // alignment * alignment

    def _read(self, fmt):
        (value,) = struct.unpack_from(fmt, self.raw, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def _string(self):
        n = self._read("<Q")
        self.pos += n
        return self.raw[self.pos - n:self.pos].decode("utf-8")

    def _value(self, kind):
        if kind == STRING:
            return self._string()
        if kind == ARRAY:
            item_kind, count = self._read("<I"), self._read("<Q")
            return [self._value(item_kind) for _ in range(count)]
        return self._read(SCALARS[kind])

    def type_name(self, name):
        return TYPE_NAMES.get(self.infos[name][1], str(self.infos[name][1]))

    def raw_bytes(self, name):
        """The stored bytes of one tensor (quantized blocks as they are in the file)."""
        dims, kind, offset = self.infos[name]
        count = int(np.prod(dims))
        size = {F32: 4 * count, F16: 2 * count, BF16: 2 * count}.get(kind) or count // 32 * BLOCK_BYTES[kind]
        start = self.data_start + offset
        return self.raw[start:start + size]

    def tensor(self, name):
        """The tensor decoded to float32, shaped [outer .. inner] (GGUF lists dims innermost first)."""
        dims, kind, _ = self.infos[name]
        data = self.raw_bytes(name)
        shape = list(reversed(dims))
        if kind == F32:
            return np.frombuffer(data, "<f4").reshape(shape).copy()
        if kind == F16:
            return np.frombuffer(data, "<f2").astype(np.float32).reshape(shape)
        if kind == BF16:
            return (np.frombuffer(data, "<u2").astype(np.uint32) << 16).view(np.float32).reshape(shape)
        blocks = np.frombuffer(data, np.uint8).reshape(-1, BLOCK_BYTES[kind])
        d = blocks[:, :2].copy().view("<f2").astype(np.float32)           # [n_blocks, 1]
        if kind == Q8_0:
            q = blocks[:, 2:].view(np.int8).astype(np.float32)
        elif kind == Q4_0:
            packed = blocks[:, 2:]
            q = np.concatenate([packed & 0x0F, packed >> 4], axis=1).astype(np.float32) - 8
        else:
            raise ValueError(f"tensor {name}: GGML type {kind} is not supported")
        return (q * d).reshape(shape)
