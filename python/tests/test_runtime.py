"""diviml.runtime: export -> run equals the whole model (resnet18, googlenet,
mobilenet_v2, bert_base), bad input is one line and exit 1, a part failing
inside ONNX Runtime stops every worker without a hang, and the profiler
gives every node of every zoo model a time that `diviml solve` accepts."""
import json
import subprocess
import sys
import threading
import time

import pytest

from conftest import CLI, ROOT

import onnx  # Debian's python3-onnx (scripts/setup-python.sh)
import onnxruntime as ort  # python/requirements.txt (scripts/setup-venv.sh)
from onnx import helper, TensorProto

from diviml.runtime import RuntimeInputError, export_parts, profile_model, run_parts  # noqa: E402
from diviml.runtime.onnx_ids import node_ids  # noqa: E402

ZOO = ["bert_base", "densenet121", "googlenet", "gpt2_small", "inception_v3", "mobilenet_v2", "resnet18",
       "resnet50", "squeezenet1_1", "vgg16"]


def host_profile(model, tmp):
    """The zoo's CPU profile as times of host:NxC's device type host-1c."""
    text = (ROOT / "zoo" / "profiles" / f"{model}.cpu.csv").read_text().replace(",cpu,", ",host-1c,")
    p = tmp / f"{model}.host.csv"
    p.write_text(text)
    return p


def solve(model, tmp, solver="split", profile=None):
    plan = tmp / f"{model}.{solver}.plan.json"
    r = subprocess.run([str(CLI), "solve", "--graph", f"zoo:{model}", "--platform", "host:2x1", "--profile",
                        str(profile or host_profile(model, tmp)), "--solver", solver, "-q", "--out", str(plan)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return plan


def python_m(*args):
    env = {"PYTHONPATH": str(ROOT / "python")}
    import os
    env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-m", "diviml", *args], capture_output=True, text=True, env=env)


# inception_v3: its Pad + AveragePool blocks differ from the whole model
# unless the sessions leave out onnxruntime's Pad_Fusion (session.py).
@pytest.mark.parametrize("model,solver", [("resnet18", "split"), ("googlenet", "split"),
                                          ("mobilenet_v2", "heft"), ("bert_base", "heft"),
                                          ("inception_v3", "heft")])
def test_export_run_equals_whole_model(model, solver, tmp_path):
    plan = solve(model, tmp_path, solver)
    m = export_parts(f"zoo:{model}", plan, tmp_path / "parts")
    assert len(m["parts"]) >= 1 and m["operators"] > 0
    assert {p["device"] for p in m["parts"]} <= {"cpu0", "cpu1"}
    # Every part passes the ONNX checker with full shape inference.
    for p in m["parts"]:
        onnx.checker.check_model(str(tmp_path / "parts" / p["file"]), full_check=True)
    r = run_parts(tmp_path / "parts", "host:2x1", runs=2, warmup=1, check=True)
    assert r["outputs_match"], r["max_abs_diff"]
    assert r["measured_latency_s"] > 0 and r["latency"]["min_s"] <= r["measured_latency_s"]
    assert r["predicted_makespan_s"] == pytest.approx(json.loads(plan.read_text())["makespan_s"])
    assert set(r["busy_s"]) == {p["device"] for p in m["parts"]}
    # The outputs are not trivial (random weights gave finite, varied values).
    import numpy as np
    for y in r["_outputs"].values():
        assert np.all(np.isfinite(y)) and np.std(y) > 0
    # And they are the model's by ONNX semantics: the whole model without
    # any graph rewrite gives the same (a rewrite that changes results in
    # both the parts and the check session would hide from outputs_match).
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    whole = ort.InferenceSession(str(tmp_path / "parts" / "model.onnx"), so, providers=["CPUExecutionProvider"])
    feeds = {i.name: r["_inputs"][i.name] for i in whole.get_inputs()}
    for o, y in zip(whole.get_outputs(), whole.run(None, feeds)):
        np.testing.assert_allclose(r["_outputs"][o.name], y, rtol=1e-3, atol=1e-3 * np.abs(y).max())


@pytest.fixture(scope="module")
def r18(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("r18")
    plan = solve("resnet18", tmp, "split")
    export_parts("zoo:resnet18", plan, tmp / "parts")
    heft = solve("resnet18", tmp, "heft")
    export_parts("zoo:resnet18", heft, tmp / "other")
    return tmp


def one_line_error(args):
    r = python_m(*args)
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diviml: "), r.stderr
    return lines[0]


def test_cli_run_json(r18):
    r = python_m("run", "--parts", str(r18 / "parts"), "--platform", "host:2x1", "--runs", "2", "--warmup", "0",
                 "--check", "--json")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["outputs_match"] is True
    for k in ("measured_latency_s", "predicted_makespan_s", "busy_s", "latency"):
        assert k in j


def test_bad_device_map(r18):
    line = one_line_error(["run", "--parts", str(r18 / "parts"), "--platform", "host:2x1", "--device-map",
                           "gpu7=cpu:0"])
    assert "device 'gpu7' does not exist" in line


def test_cuda_without_gpu(r18):
    if "CUDAExecutionProvider" in ort.get_available_providers():
        pytest.skip("this onnxruntime has CUDA: the no-GPU message cannot be provoked")
    line = one_line_error(["run", "--parts", str(r18 / "parts"), "--platform", "host:2x1", "--device-map",
                           "cpu1=cuda:0"])
    assert "no CUDA execution provider" in line and "cpu1" in line


def test_platform_without_the_parts_devices(r18, tmp_path):
    plat = tmp_path / "one.platform.json"
    plat.write_text(json.dumps({"format": "diviml-platform-v1", "name": "one", "devices": [{"name": "cpu0"}]}))
    line = one_line_error(["run", "--parts", str(r18 / "parts"), "--platform", str(plat),
                           "--device-map", "cpu0=cpu:0"])
    assert "device 'cpu1'" in line and "another plan" in line


def test_parts_of_another_plan(r18, tmp_path):
    import shutil
    mixed = tmp_path / "mixed"
    shutil.copytree(r18 / "parts", mixed)
    m = json.loads((mixed / "manifest.json").read_text())
    other = json.loads((r18 / "other" / "manifest.json").read_text())
    # Put the other plan's part 0 in place, with the manifest's byte count
    # patched so that only the stamp inside the part can tell.
    shutil.copy(r18 / "other" / other["parts"][0]["file"], mixed / m["parts"][0]["file"])
    m["parts"][0]["bytes"] = (mixed / m["parts"][0]["file"]).stat().st_size
    (mixed / "manifest.json").write_text(json.dumps(m))
    line = one_line_error(["run", "--parts", str(mixed), "--platform", "host:2x1", "--runs", "1"])
    assert "does not match the manifest" in line


def test_manifest_mismatch_and_missing(r18, tmp_path):
    import shutil
    bad = tmp_path / "bad"
    shutil.copytree(r18 / "parts", bad)
    m = json.loads((bad / "manifest.json").read_text())
    m["parts"][1]["bytes"] += 1
    (bad / "manifest.json").write_text(json.dumps(m))
    assert "does not match the manifest" in one_line_error(["run", "--parts", str(bad), "--platform", "host:2x1"])
    assert "no manifest.json" in one_line_error(["run", "--parts", str(tmp_path), "--platform", "host:2x1"])


def test_check_against_another_model(r18):
    line = one_line_error(["run", "--parts", str(r18 / "parts"), "--platform", "host:2x1", "--runs", "1",
                           "--check", str(ROOT / "zoo" / "models" / "bert_base.onnx")])
    assert "another model" in line or "cannot load" in line


def test_export_errors_are_one_line(r18):
    line = one_line_error(["export", "--graph", "zoo:googlenet", "--plan", str(r18 / "resnet18.split.plan.json"),
                           "--out", str(r18 / "x")])
    assert "is for graph 'resnet18'" in line


def failing_parts(d):
    """Three parts on two devices; part 1 (cpu1) gathers out of range, so
    ORT fails at run time; part 2 (cpu0) waits for part 1's output."""
    d.mkdir()
    fl = TensorProto.FLOAT
    parts = [
        ("part000_cpu0.onnx", "cpu0", [helper.make_node("Relu", ["x"], ["a"], name="r0")], ["x"], ["a"], []),
        ("part001_cpu1.onnx", "cpu1", [helper.make_node("Gather", ["a", "idx"], ["b"], name="g1")], ["a"], ["b"],
         [helper.make_tensor("idx", TensorProto.INT64, [1], [7])]),
        ("part002_cpu0.onnx", "cpu0", [helper.make_node("Relu", ["b"], ["y"], name="r2")], ["b"], ["y"], []),
    ]
    shapes = {"x": [4], "a": [4], "b": [1], "y": [1]}
    manifest = {"format": "diviml-onnx-parts-v1", "graph": "toy", "model": "model.onnx", "operators": 3,
                "plan": {"fnv1a64": "0123456789abcdef", "makespan_s": 1e-3}, "devices": ["cpu0", "cpu1"],
                "predicted_busy_s": {"cpu0": 1e-3, "cpu1": 1e-3},
                "inputs": [{"name": "x", "elem_type": fl, "shape": [4]}],
                "outputs": [{"name": "y", "elem_type": fl, "shape": [1]}], "parts": [], "tensors": []}
    for i, (f, dev, nodes, ins, outs, inits) in enumerate(parts):
        g = helper.make_graph(nodes, f, [helper.make_tensor_value_info(n, fl, shapes[n]) for n in ins],
                              [helper.make_tensor_value_info(n, fl, shapes[n]) for n in outs], inits)
        model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        for k, v in {"diviml_graph": "toy", "diviml_plan": "0123456789abcdef", "diviml_part": str(i),
                     "diviml_device": dev}.items():
            model.metadata_props.add(key=k, value=v)
        onnx.save(model, str(d / f))
        manifest["parts"].append({"index": i, "file": f, "device": dev, "inputs": ins, "outputs": outs,
                                  "bytes": (d / f).stat().st_size})
    (d / "manifest.json").write_text(json.dumps(manifest))
    return d


def test_failing_part_stops_all_workers(tmp_path):
    d = failing_parts(tmp_path / "toy")
    before = threading.active_count()
    t0 = time.perf_counter()
    with pytest.raises(RuntimeInputError) as e:
        run_parts(d, "host:2x1", runs=3, warmup=0)
    assert time.perf_counter() - t0 < 30
    msg = str(e.value)
    assert "part 1" in msg and "cpu1" in msg and "ONNX Runtime" in msg and "\n" not in msg
    assert threading.active_count() == before  # every worker joined
    line = one_line_error(["run", "--parts", str(d), "--platform", "host:2x1", "--runs", "1"])
    assert "part 1" in line


def importer_ids(model):
    """Operator node ids as the C++ importer names them (diviml info --json)."""
    g = onnx.load(str(ROOT / "zoo" / "models" / f"{model}.onnx"), load_external_data=False).graph
    return list(node_ids(g).values())


@pytest.mark.parametrize("model", ZOO)
def test_profiler_covers_every_node(model, tmp_path):
    p = profile_model(f"zoo:{model}", device="host-1c", runs=1, warmup=0, unfused_runs=1)
    ids = importer_ids(model)
    assert sorted(p["times"]) == sorted(ids)
    assert all(t >= 0 for t in p["times"].values())
    assert sum(p["times"].values()) > 0
    # Kernels cover nearly every node; the rest were folded away by ORT.
    assert len(p["meta"]["nodes_in_no_kernel"]) <= 0.1 * len(ids), p["meta"]["nodes_in_no_kernel"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(p))
    # The C++ side accepts it: every id is a node of the imported graph, and
    # on host:2x1 (no cost model for host-1c) every node has a time.
    r = subprocess.run([str(CLI), "solve", "--graph", f"zoo:{model}", "--platform", "host:2x1", "--profile",
                        str(path), "--solver", "heft", "-q", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

