#!/usr/bin/env python3
"""Markdown table of `orchard bench --against ... --json` results: medians over all runs of each file and thread
count (every JSON holds one invocation's per-run samples of both engines), with the load averages seen."""
import collections
import json
import os
import statistics
import sys

groups = collections.OrderedDict()
for path in sys.argv[1:]:
    with open(path) as f:
        r = json.load(f)
    key = (os.path.basename(r["model"]), r["threads"])
    g = groups.setdefault(key, collections.defaultdict(list))
    for field in ("prefill_samples", "decode_samples", "llama_prefill_samples", "llama_decode_samples",
                  "load_average"):
        g[field].extend(r.get(field, []))

print("| file | threads | llama.cpp prefill | Orchard prefill | ratio | llama.cpp decode | Orchard decode | ratio "
      "| runs | load (1 min) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (model, threads), g in sorted(groups.items()):
    med = {k: statistics.median(v) for k, v in g.items() if v}
    print(f"| {model} | {threads} | {med['llama_prefill_samples']:.1f} | {med['prefill_samples']:.1f} "
          f"| {med['prefill_samples'] / med['llama_prefill_samples']:.2f} | {med['llama_decode_samples']:.1f} "
          f"| {med['decode_samples']:.1f} | {med['decode_samples'] / med['llama_decode_samples']:.2f} "
          f"| {len(g['decode_samples'])} | {min(g['load_average']):.1f}-{max(g['load_average']):.1f} |")
