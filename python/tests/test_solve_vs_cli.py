"""diviml.solve gives the CLI's plan and makespan for the same inputs and seed:
the zoo on both presets and the STG examples, several solvers."""
import json
import pathlib

import pytest

import diviml
from conftest import DATA, ROOT

ZOO = sorted(p.stem for p in (ROOT / "zoo" / "models").glob("*.onnx"))
STG = sorted(str(p) for p in (DATA / "stg50").glob("*.stg"))[:8]


def comparable(d):
    """The result without what depends on the clock."""
    d = dict(d)
    d.pop("solve_time_s", None)
    d.pop("message", None)
    return d


def check_same(cli, graph, platform, solver, *params, **kw):
    args = ["solve", "--graph", graph, "--platform", platform, "--solver", solver, "--json", "--quiet"]
    for p in params:
        args += ["--param", p]
    rc, out, err = cli(*args)
    assert rc == 0, err
    r = diviml.solve(graph, platform, solver=solver,
                     params=dict(p.split("=", 1) for p in params), **kw)
    mine = json.loads(r.to_json())
    assert mine["assignment"] == out["assignment"]
    assert mine["order"] == out["order"]
    assert mine["makespan_s"] == out["makespan_s"]
    assert comparable(mine) == comparable(out)
    assert r.makespan == out["makespan_s"] and r.status == out["status"]
    return r


def test_zoo_is_complete():
    assert len(ZOO) >= 10 and "resnet50" in ZOO


@pytest.mark.parametrize("platform", ["zoo:paper", "zoo:modern"])
@pytest.mark.parametrize("model", ZOO)
def test_zoo_heft_peft(cli, model, platform):
    for solver in ("heft", "peft"):
        check_same(cli, f"zoo:{model}", platform, solver)


@pytest.mark.parametrize("platform", ["zoo:paper", "zoo:modern"])
@pytest.mark.parametrize("model", ["resnet18", "mobilenet_v2", "resnet50"])
def test_zoo_split_and_rls(cli, model, platform):
    check_same(cli, f"zoo:{model}", platform, "rls", "rls.max_tries=30")
    if model != "resnet50":
        check_same(cli, f"zoo:{model}", platform, "split")


@pytest.mark.parametrize("stg", STG)
def test_stg_examples(cli, stg):
    for solver in ("heft", "split"):
        check_same(cli, stg, "identical:4", solver)
    check_same(cli, stg, "identical:4", "rls", "rls.max_tries=50")


def test_topcuoglu_example(cli):
    g, p = str(DATA / "topcuoglu10.graph.json"), str(DATA / "topcuoglu10.platform.json")
    for solver in ("heft", "peft", "cpop", "milp", "cp", "split"):
        check_same(cli, g, p, solver)


def test_cp_solver_proves_a_randwire_graph(cli):
    """The CP-SAT solver (docs/cp.md) from Python: the CLI's plan, proven
    optimal, the bound at the makespan."""
    r = check_same(cli, "randwire:ws,n=8,stages=3,seed=1", "zoo:paper", "cp")
    assert r.status == "optimal"
    assert abs(r.makespan - 0.000308432) < 1e-9
    assert r.lower_bound <= r.makespan * (1 + 1e-9)


def test_loaded_objects_equal_specs(cli):
    g, p = diviml.load_graph("zoo:resnet18"), diviml.load_platform("zoo:paper")
    a = diviml.solve(g, p, solver="heft")
    b = diviml.solve("zoo:resnet18", "zoo:paper", solver="heft")
    assert comparable(a.to_dict()) == comparable(b.to_dict())


def test_bound_equals_cli(cli):
    rc, out, err = cli("bound", "--graph", "zoo:resnet50", "--platform", "zoo:paper", "--json")
    assert rc == 0, err
    assert diviml.bound("zoo:resnet50", "zoo:paper") == out


def test_throughput_equals_cli(cli):
    rc, out, err = cli("solve", "--graph", "zoo:resnet18", "--platform", "zoo:paper", "--objective",
                       "throughput", "--solver", "single", "--json", "--quiet")
    assert rc == 0, err
    r = diviml.solve("zoo:resnet18", "zoo:paper", solver="single", objective="throughput")
    assert comparable(r.to_dict()) == comparable(out)
    assert r.throughput == out["throughput_per_s"] > 0 and r.period == out["period_s"]


def test_result_views_and_save(tmp_path, cli):
    r = diviml.solve("zoo:resnet18", "zoo:paper", solver="heft")
    assert set(r.plan) == {n.id for n in diviml.load_graph("zoo:resnet18").nodes}
    assert sum(len(v) for v in r.order.values()) == len(r.plan)
    assert len(r.schedule) == len(r.plan)
    assert r.lower_bound > 0 and r.gap == pytest.approx((r.makespan - r.lower_bound) / r.lower_bound)
    assert r.lower_bound_source in r.bounds
    path = tmp_path / "plan.json"
    r.save(path)
    assert json.loads(path.read_text()) == r.to_dict()
    rc, out, err = cli("eval", "--graph", "zoo:resnet18", "--platform", "zoo:paper", "--plan", str(path), "--json")
    assert rc == 0, err and out["makespan_s"] == r.makespan
    assert r.svg().startswith("<svg") or "<svg" in r.svg()[:200]


def test_evaluate_roundtrip():
    r = diviml.solve("zoo:resnet18", "zoo:paper", solver="heft")
    for plan in (r, r.to_dict(), r.plan):
        e = diviml.evaluate("zoo:resnet18", "zoo:paper", plan)
        assert e.has_plan
        if plan is not r.plan:
            assert e.makespan == pytest.approx(r.makespan)
        else:  # a bare assignment, ordered topologically: no better than the schedule's order
            assert e.makespan >= r.lower_bound


def test_python_m_diviml_solve(cli):
    import subprocess, sys
    p = subprocess.run([sys.executable, "-m", "diviml", "solve", "--graph", "zoo:resnet18", "--platform",
                        "zoo:paper", "--solver", "heft", "--json"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    rc, out, _ = cli("solve", "--graph", "zoo:resnet18", "--platform", "zoo:paper", "--solver", "heft", "--json",
                     "--quiet")
    assert comparable(json.loads(p.stdout)) == comparable(out)
    p = subprocess.run([sys.executable, "-m", "diviml", "solvers"], capture_output=True, text=True)
    assert p.returncode == 0 and all(s.name in p.stdout for s in diviml.solvers())
    p = subprocess.run([sys.executable, "-m", "diviml", "bound", "--graph", "zoo:resnet18", "--platform",
                        "zoo:paper", "--json"], capture_output=True, text=True)
    assert p.returncode == 0 and json.loads(p.stdout) == diviml.bound("zoo:resnet18", "zoo:paper")
    p = subprocess.run([sys.executable, "-m", "diviml", "solve", "--graph", "nope.graph.json", "--platform",
                        "zoo:paper"], capture_output=True, text=True)
    assert p.returncode == 1 and p.stderr.startswith("diviml: ") and len(p.stderr.strip().splitlines()) == 1
