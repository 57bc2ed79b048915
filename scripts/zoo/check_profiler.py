#!/usr/bin/python3
"""Checks profile_cpu.py's ONNX interpreter against the torch models.

For each model (default: all zoo models) exports the torch model WITH its
weights (in memory, nothing stripped, same clean-up as export_zoo.py), runs
the ONNX graph through profile_cpu.Interpreter and compares the outputs with
the torch module's. Prints the largest relative difference per output and
exits non-zero above 1e-4. Slow (~10 minutes for the whole zoo on 2 busy
cores; the two transformers take most of it).

Usage: /usr/bin/python3 scripts/zoo/check_profiler.py [NAME ...]
"""
import io
import os
import sys
import warnings

import onnx
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_zoo  # noqa: E402
import profile_cpu  # noqa: E402
import zoo_models  # noqa: E402


def main():
    torch.set_num_threads(1)
    names = sys.argv[1:] or list(zoo_models.MODELS)
    worst = 0.0
    for name in names:
        model, x = zoo_models.build(name)
        buf = io.BytesIO()
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (x,), buf, opset_version=13, do_constant_folding=True,
                              training=torch.onnx.TrainingMode.EVAL)
        m = onnx.load_from_string(buf.getvalue())
        export_zoo.unshare_initializers(m)
        export_zoo.constants_to_initializers(m)
        interp = profile_cpu.Interpreter(m)
        interp.inputs[m.graph.input[0].name] = x
        with torch.inference_mode():
            ref = model(x)
            out = interp.run()
        ref = ref if isinstance(ref, tuple) else (ref,)
        errs = [float((a - b).abs().max() / (b.abs().max() + 1e-12)) for a, b in zip(out, ref)]
        worst = max([worst] + errs)
        print(f"{name:14s} max relative difference per output: " + ", ".join(f"{e:.2e}" for e in errs), flush=True)
    if worst > 1e-4:
        raise SystemExit(f"check_profiler: FAILED, difference {worst:.2e} > 1e-4")
    print("check_profiler: ok")


if __name__ == "__main__":
    main()
