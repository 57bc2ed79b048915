"""Shared fixtures of the Python tests: paths of the repository and of the CLI."""
import os
import pathlib
import subprocess
import json

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CLI = pathlib.Path(os.environ.get("DIVIML_CLI", ROOT / "build" / "diviml"))


def run_cli(*args, check=True):
    """Runs the diviml command; returns (exit code, parsed stdout JSON or text, stderr)."""
    p = subprocess.run([str(CLI), *args], capture_output=True, text=True)
    out = p.stdout
    try:
        out = json.loads(out)
    except ValueError:
        pass
    return p.returncode, out, p.stderr


@pytest.fixture(scope="session")
def cli():
    if not CLI.exists():
        pytest.fail(f"the diviml command is not built at {CLI} (make build)")
    return run_cli
