#!/usr/bin/python3
"""Exports DiviML's model zoo to zoo/models/NAME.onnx.

Random weights (nothing downloaded), batch 1, ONNX opset 13, shape inference
run so value_info carries every tensor's shape, then the weight data stripped:
every initializer keeps name, dims and data_type but loses its data, except
small ones (<= KEEP_ELEMENTS elements: shape / axes / scalar constants, which
carry meaning, not weights). Constant nodes are kept as they are. The files
stay small (tens to a few hundred KB) and load with onnx.load.

Usage: /usr/bin/python3 scripts/zoo/export_zoo.py [--out zoo/models] [--opset 13] [NAME ...]
Deterministic (fixed seeds) and safe to run again: it overwrites the files.
Also writes zoo/models/README.md (model, input, node count, size).
"""
import argparse
import collections
import io
import os
import sys
import warnings

import onnx
import onnx.checker
import onnx.helper
import onnx.shape_inference
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_models  # noqa: E402

KEEP_ELEMENTS = 64
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DATA_FIELDS = ("float_data", "int32_data", "string_data", "int64_data", "double_data", "uint64_data")


def numel(t):
    n = 1
    for d in t.dims:
        n *= d
    return n


def strip(model):
    """Clears the data of every initializer with more than KEEP_ELEMENTS
    elements. Returns (stripped count, stripped bytes as the dims say)."""
    count, nbytes = 0, 0
    for t in model.graph.initializer:
        if numel(t) <= KEEP_ELEMENTS:
            continue
        count += 1
        elem = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type].itemsize
        nbytes += numel(t) * elem
        t.ClearField("raw_data")
        for f in DATA_FIELDS:
            t.ClearField(f)
    return count, nbytes


def constants_to_initializers(model):
    """Turns Constant nodes (value = a tensor) into initializers: they are
    data, not operators, and would otherwise add ~150 source nodes to the
    transformer graphs. Returns how many were turned."""
    keep, turned = [], 0
    for n in model.graph.node:
        if n.op_type == "Constant" and len(n.attribute) == 1 and n.attribute[0].name == "value":
            t = onnx.TensorProto()
            t.CopyFrom(n.attribute[0].t)
            t.name = n.output[0]
            model.graph.initializer.append(t)
            turned += 1
        else:
            keep.append(n)
    del model.graph.node[:]
    model.graph.node.extend(keep)
    return turned


def unshare_initializers(model):
    """torch's exporter deduplicates initializers with equal values (all
    LayerNorm weights of a freshly initialised model are ones, all causal
    masks equal) and puts Identity nodes where they were. Gives each such
    Identity output its own copy of the initializer (the data is stripped
    anyway) and drops the Identity, so every layer owns its parameters again
    and the graph has no Identity nodes hanging off weights."""
    inits = {t.name: t for t in model.graph.initializer}
    outputs = {o.name for o in model.graph.output}
    keep, removed = [], 0
    for n in model.graph.node:
        if n.op_type == "Identity" and n.input[0] in inits and n.output[0] not in outputs:
            t = onnx.TensorProto()
            t.CopyFrom(inits[n.input[0]])
            t.name = n.output[0]
            model.graph.initializer.append(t)
            removed += 1
        else:
            keep.append(n)
    del model.graph.node[:]
    model.graph.node.extend(keep)
    used = {i for n in model.graph.node for i in n.input} | outputs
    dead = [t for t in model.graph.initializer if t.name not in used]
    for t in dead:
        model.graph.initializer.remove(t)
    return removed


def structure_check(model):
    """onnx.checker on a copy whose stripped initializers are graph inputs of
    the same type and shape (the checker rejects a TensorProto without data)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    stripped = [t for t in m.graph.initializer if numel(t) > KEEP_ELEMENTS]
    for t in stripped:
        m.graph.input.append(onnx.helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
        m.graph.initializer.remove(t)
    try:
        onnx.checker.check_model(m, full_check=True)
        return "ok"
    except Exception as e:  # noqa: BLE001 - report, do not crash
        return "fails: " + str(e).splitlines()[0][:160]


def node_names_ok(model):
    names = [n.name for n in model.graph.node]
    empty = sum(1 for n in names if not n)
    dups = [k for k, v in collections.Counter(names).items() if v > 1 and k]
    return empty, dups


def export(name, out_dir, opset):
    ctor, shape, dtype, desc = zoo_models.MODELS[name]
    model, x = zoo_models.build(name)
    buf = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (x,), buf, opset_version=opset, do_constant_folding=True,
            input_names=zoo_models.INPUT_NAMES.get(name, ["input"]),
            output_names=zoo_models.OUTPUT_NAMES.get(name, ["output"]),
            training=torch.onnx.TrainingMode.EVAL)
    m = onnx.load_from_string(buf.getvalue())
    unshare_initializers(m)
    constants_to_initializers(m)
    m = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    m.doc_string = f"DiviML zoo model '{name}': {desc}; random weights, initializer data stripped"
    m.producer_name = "diviml-zoo (torch " + torch.__version__ + ")"
    params = sum(numel(t) for t in m.graph.initializer)
    full_size = m.ByteSize()
    n_stripped, stripped_bytes = strip(m)
    path = os.path.join(out_dir, name + ".onnx")
    onnx.save(m, path)

    # Checks: it loads; the checker passes on structure; names are unique.
    back = onnx.load(path)
    checker = structure_check(back)
    empty, dups = node_names_ok(back)
    if empty or dups:
        raise SystemExit(f"{name}: {empty} empty and {len(dups)} duplicate node names")
    known = {vi.name for vi in list(back.graph.value_info) + list(back.graph.input) + list(back.graph.output)}
    known |= {t.name for t in back.graph.initializer}
    missing = [o for n in back.graph.node for o in n.output if o and o not in known]
    ops = collections.Counter(n.op_type for n in back.graph.node)
    return {
        "name": name, "desc": desc, "input": "x".join(map(str, shape)),
        "dtype": "int64" if dtype == torch.int64 else "float32",
        "nodes": len(back.graph.node), "size": os.path.getsize(path), "full_size": full_size,
        "params": params, "stripped": n_stripped, "stripped_bytes": stripped_bytes,
        "checker": checker, "missing_shapes": missing, "ops": ops,
    }


def write_readme(rows, out_dir, opset):
    lines = [
        "# DiviML model zoo",
        "",
        "Generated by `scripts/zoo/export_zoo.py` (run `make zoo`; see docs/zoo.md). "
        f"ONNX opset {opset}, batch 1, random weights, shape inference applied (value_info "
        "holds every tensor's shape), initializer data stripped (name, dims and data_type kept; "
        f"initializers of at most {KEEP_ELEMENTS} elements keep their data). Reference MAC/FLOP "
        "counts: `reference_flops.json` (scripts/zoo/reference_flops.py).",
        "",
        "| model | input | ONNX nodes | file size | parameters | description |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(f"| {r['name']} | {r['input']} {r['dtype']} | {r['nodes']} | "
                     f"{r['size'] / 1024:.0f} KiB | {r['params'] / 1e6:.1f} M | {r['desc']} |")
    lines += ["", "Operator types per model:", ""]
    for r in rows:
        ops = ", ".join(f"{k} {v}" for k, v in sorted(r["ops"].items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"- **{r['name']}**: {ops}")
    lines.append("")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "zoo", "models"))
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("models", nargs="*", help="default: all of " + " ".join(zoo_models.MODELS))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    names = a.models or list(zoo_models.MODELS)
    for n in names:
        if n not in zoo_models.MODELS:
            raise SystemExit(f"export_zoo: unknown model '{n}' (known: {' '.join(zoo_models.MODELS)})")
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for n in names:
        r = export(n, a.out, a.opset)
        rows.append(r)
        print(f"{n:14s} {r['nodes']:5d} nodes  {r['size'] / 1024:7.1f} KiB (unstripped {r['full_size'] / 1e6:7.1f} MB, "
              f"{r['params'] / 1e6:6.1f} M params, {r['stripped']} initializers stripped)  checker: {r['checker']}"
              + (f"  NO SHAPE for {len(r['missing_shapes'])} tensors: {r['missing_shapes'][:3]}" if r["missing_shapes"] else ""),
              flush=True)
    if not a.models:  # the README describes the whole zoo
        write_readme(rows, a.out, a.opset)


if __name__ == "__main__":
    main()
