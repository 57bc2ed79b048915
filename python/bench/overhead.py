"""Overhead of diviml.solve over the solver's own time, next to the CLI.

For each model and solver, medians over --repeats runs of:
  solver     Result.solve_time (the solver itself, C++)
  pipeline   Result.pipeline_time (the pipeline's Solve: solver, evaluation,
             bounds; what the CLI runs too)
  py_call    wall time of diviml.solve on a loaded Problem
  overhead   py_call - pipeline, paired per run: what the Python call adds
             (request check, worker thread, GIL hand-off, Result wrapper)
  py_spec    wall time of diviml.solve from the specs (loads the problem too)
  cli        wall time of `diviml solve --json` as a process (start, load,
             solve, print), and its solve_time_s
Usage: build/venv/bin/python python/bench/overhead.py [--repeats 7] [--cli build/diviml]
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import time

import diviml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def median_time(fn, repeats):
    ts, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--cli", default=str(ROOT / "build" / "diviml"))
    ap.add_argument("--platform", default="zoo:paper")
    ap.add_argument("--models", default="resnet18,mobilenet_v2,resnet50,bert_base")
    ap.add_argument("--solvers", default="heft,peft,rls")
    a = ap.parse_args()
    print(f"{'model':<14}{'solver':<7}{'solver ms':>10}{'pipeline ms':>12}{'py_call ms':>11}{'overhead ms':>12}"
          f"{'py_spec ms':>11}{'cli ms':>9}{'cli solve ms':>13}")
    for model in a.models.split(","):
        g = f"zoo:{model}"
        pr = diviml.problem(g, a.platform)
        for solver in a.solvers.split(","):
            kw = {"max_tries": 200} if solver == "rls" else {}
            solves = []
            call, r = median_time(lambda: solves.append(diviml.solve(pr, a.platform, solver=solver, **kw))
                                  or solves[-1], a.repeats)
            solver_s = statistics.median(x.solve_time for x in solves)
            pipe_s = statistics.median(x.pipeline_time for x in solves)
            # per-run overhead, paired with that run's solve_time
            overheads = []
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                x = diviml.solve(pr, a.platform, solver=solver, **kw)
                overheads.append(time.perf_counter() - t0 - x.pipeline_time)
            overhead = statistics.median(overheads)
            spec, _ = median_time(lambda: diviml.solve(g, a.platform, solver=solver, **kw), a.repeats)
            args = [a.cli, "solve", "--graph", g, "--platform", a.platform, "--solver", solver, "--json", "--quiet"]
            if solver == "rls":
                args += ["--param", "rls.max_tries=200"]
            cli_solve = []

            def run_cli():
                p = subprocess.run(args, capture_output=True, text=True, check=True)
                cli_solve.append(json.loads(p.stdout)["solve_time_s"])

            cli, _ = median_time(run_cli, a.repeats)
            print(f"{model:<14}{solver:<7}{1e3 * solver_s:>10.2f}{1e3 * pipe_s:>12.2f}{1e3 * call:>11.2f}{1e3 * overhead:>12.3f}"
                  f"{1e3 * spec:>11.2f}{1e3 * cli:>9.2f}{1e3 * statistics.median(cli_solve):>13.2f}")


if __name__ == "__main__":
    main()
