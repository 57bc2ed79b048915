"""Bad input: diviml.InputError (a ValueError) with the CLI's one-line message."""
import pytest

import diviml


def cli_error(cli, *args):
    rc, _, err = cli(*args)
    assert rc == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diviml: ")
    return lines[0][len("diviml: "):]


def test_unknown_parameter(cli):
    msg = cli_error(cli, "solve", "--graph", "zoo:resnet18", "--platform", "zoo:paper", "--solver", "split",
                    "--param", "split.module_sz=3")
    with pytest.raises(diviml.InputError) as e:
        diviml.solve("zoo:resnet18", "zoo:paper", solver="split", module_sz=3)
    assert str(e.value) == msg


def test_parameter_out_of_bounds(cli):
    msg = cli_error(cli, "solve", "--graph", "zoo:resnet18", "--platform", "zoo:paper", "--solver", "split",
                    "--param", "split.module_size=1")
    with pytest.raises(ValueError) as e:
        diviml.solve("zoo:resnet18", "zoo:paper", solver="split", module_size=1)
    assert str(e.value) == msg


def test_missing_file(cli):
    msg = cli_error(cli, "solve", "--graph", "missing.graph.json", "--platform", "zoo:paper")
    with pytest.raises(diviml.InputError) as e:
        diviml.solve("missing.graph.json", "zoo:paper", solver="heft")
    assert str(e.value) == msg
    with pytest.raises(diviml.InputError):
        diviml.load_platform("zoo:nonexistent")


def test_bad_graph_dict():
    with pytest.raises(diviml.InputError) as e:
        diviml.Graph.from_dict({"nodes": [{"id": "a"}, {"id": "a"}], "edges": []}, source="mine")
    assert "mine" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(TypeError):
        diviml.solve(42, "zoo:paper")


def test_plan_for_another_graph():
    r = diviml.solve("zoo:resnet18", "zoo:paper", solver="heft")
    with pytest.raises(diviml.InputError) as e:
        diviml.evaluate("zoo:mobilenet_v2", "zoo:paper", r)
    assert "\n" not in str(e.value)


def test_graph_from_dict_solves():
    g = diviml.Graph.from_dict({
        "name": "tiny",
        "nodes": [{"id": "a", "time_s": {"*": 1.0}}, {"id": "b", "time_s": {"*": 2.0}},
                  {"id": "c", "time_s": {"*": 2.0}}, {"id": "d", "time_s": {"*": 1.0}}],
        "edges": [{"from": "a", "to": "b", "bytes": 0}, {"from": "a", "to": "c", "bytes": 0},
                  {"from": "b", "to": "d", "bytes": 0}, {"from": "c", "to": "d", "bytes": 0}],
    })
    assert [n.id for n in g.nodes] == ["a", "b", "c", "d"] and g.num_edges == 4
    assert g.edges[0].source == 0 and g.nodes[1].time_s == {"*": 2.0}
    r = diviml.solve(g, "identical:2", solver="milp")
    assert r.status == "optimal" and r.makespan == pytest.approx(4.0)
    p = diviml.problem(g, "identical:2")
    assert p.times[1] == [2.0, 2.0]
