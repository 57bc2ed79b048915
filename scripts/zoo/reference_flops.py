#!/usr/bin/python3
"""Reference MAC / FLOP counts of the zoo models, from torch forward hooks.

Counts the multiply-accumulates of the layers that dominate every zoo model
(convolutions, fully connected layers and matrix products) in one forward
pass of the torch model with the zoo input, batch 1:

  Conv{1,2,3}d:      MACs = numel(output) * (C_in / groups) * prod(kernel)
  Linear:            MACs = numel(output) * in_features
  MatMul (zoo_models.MatMul, the attention products):
                     MACs = numel(output) * K   (K = last dim of the first operand)
  TiedLMHead (GPT-2): MACs = numel(output) * hidden

flops = 2 * macs. Elementwise operators, pooling, normalisation and softmax
are NOT counted (they add well under 1% for the CNNs; a few % for the
transformers, see docs/zoo.md), so an importer that counts every operator
should come out at or slightly above these numbers.

Writes zoo/models/reference_flops.json:
  {model: {"macs": int, "flops": int, "source": "torch hooks: conv, linear, matmul",
           "by_layer_type": {"conv": macs, "linear": macs, "matmul": macs}}}
Usage: /usr/bin/python3 scripts/zoo/reference_flops.py [--out FILE] [NAME ...]
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_models  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def count(name):
    model, x = zoo_models.build(name)
    totals = {"conv": 0, "linear": 0, "matmul": 0}

    def hook(module, inputs, output):
        if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            k = math.prod(module.kernel_size)
            totals["conv"] += output.numel() * (module.in_channels // module.groups) * k
        elif isinstance(module, nn.Linear):
            totals["linear"] += output.numel() * module.in_features
        elif isinstance(module, zoo_models.MatMul):
            totals["matmul"] += output.numel() * inputs[0].shape[-1]
        elif isinstance(module, zoo_models.TiedLMHead):
            totals["linear"] += output.numel() * inputs[0].shape[-1]

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear,
                                 zoo_models.MatMul, zoo_models.TiedLMHead))]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    macs = sum(totals.values())
    return {"macs": macs, "flops": 2 * macs, "source": "torch hooks: conv, linear, matmul",
            "by_layer_type": totals}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "zoo", "models", "reference_flops.json"))
    ap.add_argument("models", nargs="*")
    a = ap.parse_args()
    torch.set_num_threads(1)
    names = a.models or list(zoo_models.MODELS)
    result = {}
    if a.models and os.path.exists(a.out):
        with open(a.out) as f:
            result = json.load(f)
    for n in names:
        if n not in zoo_models.MODELS:
            raise SystemExit(f"reference_flops: unknown model '{n}'")
        result[n] = count(n)
        print(f"{n:14s} {result[n]['macs'] / 1e9:8.3f} GMACs  {result[n]['flops'] / 1e9:8.3f} GFLOPs", flush=True)
    ordered = {n: result[n] for n in zoo_models.MODELS if n in result}
    with open(a.out, "w") as f:
        json.dump(ordered, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
