"""``python -m diviml``: the package's command line over the same pipeline as
the ``diviml`` executable (solve, bound, solvers), and export, run,
profile, handoff of diviml.runtime (docs/runtime.md). Bad input: one line
"diviml: ..." on stderr, exit 1; a solve without a plan exits 2."""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

import diviml


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--graph", "-g", required=True, help="graph: file, zoo:NAME or randwire:SPEC")
    p.add_argument("--platform", "-p", required=True, help="platform: file, identical:M, zoo:NAME or cluster:S")
    p.add_argument("--profile", default=None, help="measured times per node (JSON or CSV)")
    p.add_argument("--coarsen", action="store_true", help="fuse trivial operators into neighbours")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m diviml", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="find a plan and schedule it")
    _common(s)
    s.add_argument("--solver", "-s", default="split")
    s.add_argument("--objective", default="latency", choices=["latency", "throughput"])
    s.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="solver parameter, repeatable (python -m diviml solvers lists them)")
    s.add_argument("--time-limit", type=float, default=None, help="wall-clock limit, seconds")
    s.add_argument("--gap-limit", type=float, default=0.0)
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--milp-backend", default="")
    s.add_argument("--replicas", default="auto")
    s.add_argument("--out", "-o", default=None, help="write the plan JSON here")
    s.add_argument("--gantt", default=None, help="write a Gantt chart (SVG) here")
    b = sub.add_parser("bound", help="every lower bound on the makespan")
    _common(b)
    b.add_argument("--module-exact", type=float, default=0.0)
    v = sub.add_parser("solvers", help="the solver registry")
    v.add_argument("--json", action="store_true")
    from .runtime import cli as runtime_cli  # export, run, profile, handoff
    runtime_cli.add_parsers(sub)
    return ap


def main(argv: Optional[List[str]] = None) -> int:
    a = _parser().parse_args(argv)
    from .runtime import cli as runtime_cli
    if a.command in runtime_cli.COMMANDS:
        try:
            return runtime_cli.run_command(a)
        except runtime_cli.RuntimeInputError as e:
            print(f"diviml: {e}", file=sys.stderr)
            return 1
    try:
        if a.command == "solvers":
            ss = diviml.solvers()
            if a.json:
                print(json.dumps([{"name": s.name, "objectives": list(s.objectives), "description": s.description,
                                   "reference": s.reference,
                                   "params": [p.__dict__ | {"choices": list(p.choices)} for p in s.params]}
                                  for s in ss]))
            else:
                for s in ss:
                    print(f"{s.name:<13} {s.description} ({', '.join(s.objectives)})")
                    for p in s.params:
                        print(f"    {p.name} ({p.type}, default {p.default}) {p.description}")
            return 0
        if a.command == "bound":
            b = diviml.bound(a.graph, a.platform, module_exact=a.module_exact, profile=a.profile,
                             coarsen=a.coarsen)
            if a.json:
                print(json.dumps(b))
            else:
                for p in b["parts"]:
                    print(f"  {p['name']:<14} {p['value_s']:>12.6g} s  {p['detail']}")
                print(f"lower bound {b['lower_bound_s']:.6g} s ({b['best']})")
            return 0
        params = {}
        for item in a.param:
            name, eq, value = item.partition("=")
            if not eq:
                raise diviml.InputError(f"--param {item}: expected NAME=VALUE")
            params[name] = value
        r = diviml.solve(a.graph, a.platform, solver=a.solver, objective=a.objective, time_limit=a.time_limit,
                         gap_limit=a.gap_limit, threads=a.threads, seed=a.seed, milp_backend=a.milp_backend,
                         replicas=a.replicas if a.replicas == "auto" else int(a.replicas), profile=a.profile,
                         coarsen=a.coarsen, params=params)
        if a.out and r.has_plan:
            r.save(a.out)
        if a.gantt and r.has_plan:
            r.save(a.gantt, "svg")
        print(r.to_json() if a.json else r.text(), end="\n" if a.json else "")
        return 0 if r.has_plan else 2
    except diviml.InputError as e:
        print(f"diviml: {e}", file=sys.stderr)
        return 1
    except diviml.Interrupted as e:
        print("diviml: interrupted", file=sys.stderr)
        print(e.result.to_json() if a.json else e.result.text(), end="\n" if a.json else "")
        return 130


if __name__ == "__main__":
    sys.exit(main())
