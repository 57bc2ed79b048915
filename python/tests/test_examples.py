"""The examples run and say what they promise."""
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def run(name, *args):
    p = subprocess.run([sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_solve_from_config():
    out = run("solve_from_config.py")
    assert '"status": "optimal"' in out


def test_compare_solvers(tmp_path):
    args = ["--models", "resnet18", "--time-limit", "1"]
    try:
        import matplotlib  # noqa: F401
        args += ["--plot", str(tmp_path / "gap.png")]
    except ImportError:
        pass
    out = run("compare_solvers.py", *args)
    for s in ("heft", "milp", "split"):
        assert f"resnet18      {s}" in out
    if "--plot" in args:
        assert (tmp_path / "gap.png").stat().st_size > 1000


def test_resnet50_paper_placed_and_run():
    pytest.importorskip("torchvision")
    out = run("resnet50_paper.py", "--time-limit", "3")
    assert "same output as the module: True" in out
