"""The package imports, lists the registry and reports bad input as the CLI does."""
import diviml


def test_solvers_lists_the_registry(cli):
    rc, out, _ = cli("solvers", "--json")
    assert rc == 0
    names = [s.name for s in diviml.solvers()]
    cli_names = [s["name"] for s in (out["solvers"] if isinstance(out, dict) else out)]
    assert names == cli_names
    split = next(s for s in diviml.solvers() if s.name == "split")
    assert "latency" in split.objectives and split.params


def test_unknown_solver_is_the_cli_message(cli):
    rc, _, err = cli("solve", "--graph", "zoo:resnet18", "--platform", "zoo:paper", "--solver", "nope")
    assert rc == 1
    try:
        diviml.solve("zoo:resnet18", "zoo:paper", solver="nope")
    except diviml.InputError as e:
        assert isinstance(e, ValueError)
        assert "diviml: " + str(e) == err.strip()
    else:
        raise AssertionError("no InputError")
