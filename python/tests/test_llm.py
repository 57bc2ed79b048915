"""The LLM planners from Python (docs/llm.md): diviml.solve with solver
llm, llm-memory or llm-flops gives what `diviml solve --solver llm` gives,
and the exporters' texts through Result.export."""
import pytest

import diviml

CASES = [("llm:llama-2-7b", "cluster:mixed", "llm", {}),
         ("llm:llama-2-70b,batch=8", "cluster:paper:16", "llm", {}),
         ("llm:llama-2-13b", "cluster:mixed", "llm", {"tensor_parallel": 2}),
         ("llm:mistral-7b,phase=decode", "cluster:mixed", "llm-memory", {}),
         ("llm:gpt2", "cluster:paper:4", "llm-flops", {"max_servers": 2})]


def cli_params(solver, kw):
    return [x for k, v in kw.items() for x in ("--" + k.replace("_", "-"), str(v))]


@pytest.mark.parametrize("graph,platform,solver,kw", CASES)
@pytest.mark.parametrize("objective", ["latency", "throughput"])
def test_llm_solve_equals_the_cli(cli, graph, platform, solver, kw, objective, tmp_path):
    r = diviml.solve(graph, platform, solver=solver, objective=objective, **kw)
    code, want, err = cli("solve", "--graph", graph, "--platform", platform, "--solver", solver, "--objective",
                          objective, *cli_params(solver, kw), "--json")
    assert code == 0, err
    got = r.to_dict()
    for key in ("status", "value", "lower_bound", "stages", "servers_used", "tokens_per_s", "strategy"):
        assert got[key] == want[key], key
    assert r.has_plan and r.value == pytest.approx(want["value"])
    assert r.lower_bound == pytest.approx(want["lower_bound"]) and r.lower_bound <= r.value
    # The exporters, as `--export` (which refuses plans its runtime cannot run).
    for fmt in ("vllm", "llamacpp", "torch-pipelining"):
        out = tmp_path / f"plan.{fmt}"
        code, _, err = cli("solve", "--graph", graph, "--platform", platform, "--solver", solver, "--objective",
                           objective, *cli_params(solver, kw), "--export", fmt, "--out", str(out))
        if code == 0:
            assert r.export(fmt) == out.read_text(), fmt
        else:  # a plan that runtime cannot run: the same one line
            assert code == 1 and not out.exists(), err
            with pytest.raises(diviml.InputError) as e:
                r.export(fmt)
            assert err.strip() == f"diviml: {e.value}"


def test_llm_bad_input_is_one_line():
    with pytest.raises(diviml.InputError) as e:
        diviml.solve("llm:no-such-model", "cluster:mixed", solver="llm")
    assert "no-such-model" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(diviml.InputError) as e:
        diviml.solve(diviml.load_graph("zoo:resnet18"), "cluster:mixed", solver="llm")
    assert "llm: spec" in str(e.value)
    with pytest.raises(diviml.InputError) as e:
        diviml.solve("llm:gpt2", "cluster:mixed", solver="llm", tensor_parallel=3)
    assert "tensor_parallel" in str(e.value)
    with pytest.raises(diviml.InputError) as e:
        diviml.solve("llm:gpt2", "cluster:mixed", solver="llm").export("no-such-format")
    assert "vllm" in str(e.value)


def test_solvers_mark_the_llm_planners():
    llm = {s.name for s in diviml.solvers() if s.llm}
    assert llm == {"llm", "llm-memory", "llm-flops"}
