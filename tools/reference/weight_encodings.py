"""Round-trips a float32 weight matrix through each storage encoding (numpy), so the forward sees exactly the
values a reader of that encoding would decode.

Q8_0 and Q4_0 follow llama.cpp's reference quantizers (ggml-quants.c quantize_row_q8_0_ref and
quantize_row_q4_0_ref) operation for operation in float32: blocks of 32 along each row (the in_features axis),
the scale d computed in float32 and stored as f16, the codes computed from id = 1/d (not from x/d).
"""
import numpy as np
import torch

ENCODINGS = ("F32", "F16", "BF16", "Q8_0", "Q4_0")
BLOCK = 32


def round_trip(weight, encoding):
    """Returns the float32 values that encoding stores for weight (a 2-D float32 ndarray [out, in])."""
    w = np.ascontiguousarray(weight, dtype=np.float32)
    if encoding == "F32":
        return w.copy()
    if encoding == "F16":
        return w.astype(np.float16).astype(np.float32)  # IEEE round to nearest even
    if encoding == "BF16":
        return torch.from_numpy(w).to(torch.bfloat16).to(torch.float32).numpy()  # round to nearest even
    if encoding == "Q8_0":
        return dequantize_q8_0(*quantize_q8_0(w))
    if encoding == "Q4_0":
        return dequantize_q4_0(*quantize_q4_0(w))
    raise ValueError(f"unknown encoding {encoding}")


def _blocks(w):
    if w.ndim != 2 or w.shape[1] % BLOCK != 0:
        raise ValueError(f"shape {w.shape}: rows must be a multiple of {BLOCK} long")
    return w.reshape(w.shape[0], w.shape[1] // BLOCK, BLOCK)


def _c_roundf(v):
    """C roundf on float32 values: halves away from zero. float64 makes |v| + 0.5 exact, so no double rounding."""
    a = np.abs(v.astype(np.float64))
    return (np.sign(v) * np.floor(a + 0.5)).astype(np.int32)


def quantize_q8_0(w):
    """Returns (d as float16 [rows, blocks], codes int8 [rows, blocks, 32]) as quantize_row_q8_0_ref computes them."""
    x = _blocks(w)
    amax = np.max(np.abs(x), axis=2)                               # float32
    d = (amax / np.float32(127)).astype(np.float32)                # const float d = amax / ((1 << 7) - 1);
    with np.errstate(divide="ignore"):
        id_ = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    x0 = (x * id_[:, :, None]).astype(np.float32)                  # x[..]*id in float32
    q = _c_roundf(x0)
    assert q.min() >= -127 and q.max() <= 127
    return d.astype(np.float16), q.astype(np.int8)


def dequantize_q8_0(d16, q):
    y = q.astype(np.float32) * d16.astype(np.float32)[:, :, None]
    return y.reshape(q.shape[0], -1)


def quantize_q4_0(w):
    """Returns (d as float16 [rows, blocks], codes 0..15 uint8 [rows, blocks, 32]) as quantize_row_q4_0_ref does.

    Codes are returned unpacked, in element order; llama.cpp packs element j (j < 16) in the low nibble of byte j
    and element j + 16 in its high nibble.
    """
    x = _blocks(w)
    # the element of largest magnitude with its sign; the first one wins ties (C loop with a strict '<')
    idx = np.argmax(np.abs(x), axis=2)
    mx = np.take_along_axis(x, idx[:, :, None], axis=2)[:, :, 0]
    d = (mx / np.float32(-8)).astype(np.float32)
    with np.errstate(divide="ignore"):
        id_ = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    x0 = (x * id_[:, :, None]).astype(np.float32)
    s = (x0 + np.float32(8.5)).astype(np.float32)                 # float32 add, as C does
    q = np.minimum(15, np.trunc(s).astype(np.int32))              # (int8_t) cast truncates toward zero
    assert q.min() >= 0
    return d.astype(np.float16), q.astype(np.uint8)


def dequantize_q4_0(d16, q):
    y = (q.astype(np.int32) - 8).astype(np.float32) * d16.astype(np.float32)[:, :, None]
    return y.reshape(q.shape[0], -1)


def pack_q4_0(q):
    """Packs unpacked codes [rows, blocks, 32] into llama.cpp's nibble order [rows, blocks, 16]."""
    return (q[:, :, :16] | (q[:, :, 16:] << 4)).astype(np.uint8)
