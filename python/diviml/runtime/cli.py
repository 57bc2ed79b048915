"""`python -m diviml export|run|profile|handoff` (also
`python -m diviml.runtime ...`): argument parsing only. Bad input: one
line "diviml: ..." on stderr, exit 1."""
import argparse
import json
import sys

from .errors import RuntimeInputError
from .session import DEFAULT_OPT_LEVEL, OPT_LEVELS

COMMANDS = ("export", "run", "profile", "handoff")


def add_parsers(sub):
    e = sub.add_parser("export", help="a plan as per-device ONNX parts + manifest.json")
    e.add_argument("--graph", "-g", required=True, help=".onnx file or zoo:NAME")
    e.add_argument("--plan", required=True, help="latency plan JSON (diviml solve --out)")
    e.add_argument("--format", default="onnx-parts", choices=["onnx-parts"])
    e.add_argument("--out", "-o", required=True, help="directory for the parts")
    e.add_argument("--fill-weights", default="auto", choices=["auto", "random", "none"],
                   help="initializers without data: auto = random for zoo models")
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--json", action="store_true", help="print the manifest")

    r = sub.add_parser("run", help="execute exported parts, one worker per device")
    r.add_argument("--parts", required=True, help="directory written by export")
    r.add_argument("--platform", "-p", required=True, help="host:NxC, zoo:NAME or a platform JSON file")
    r.add_argument("--device-map", default=None, help="DEV=cpu:CORES or DEV=cuda:ID, comma-separated")
    r.add_argument("--runs", type=int, default=20)
    r.add_argument("--warmup", type=int, default=3)
    r.add_argument("--check", nargs="?", const=True, default=None,
                   help="compare with the whole model in one session (default: the export's model.onnx)")
    r.add_argument("--opt-level", default=DEFAULT_OPT_LEVEL, choices=OPT_LEVELS)
    r.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    r.add_argument("--spin", type=float, default=0.0, metavar="SECONDS",
                   help="a worker waiting for a tensor polls this long before it sleeps (default 0)")
    r.add_argument("--json", action="store_true")

    p = sub.add_parser("profile", help="per-node times from ONNX Runtime's profiler (--profile format)")
    p.add_argument("--graph", "-g", required=True, help=".onnx file or zoo:NAME")
    p.add_argument("--device", default="cpu", help="device name or type the times are for")
    p.add_argument("--threads", type=int, default=1, help="intra-op threads (= cores pinned)")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--opt-level", default=DEFAULT_OPT_LEVEL, choices=OPT_LEVELS)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--out", required=True, help="profile JSON to write")

    h = sub.add_parser("handoff", help="measure the cost of handing a tensor between two workers")
    h.add_argument("--rounds", type=int, default=2000)


def run_command(a, out=sys.stdout):
    if a.command == "export":
        from .export import export_parts
        m = export_parts(a.graph, a.plan, a.out, a.fill_weights, a.seed)
        print(json.dumps(m) if a.json else
              f"{m['graph']}: {len(m['parts'])} parts on {len(m['devices'])} devices, {len(m['tensors'])} "
              f"crossing tensors -> {a.out}/manifest.json", file=out)
    elif a.command == "run":
        from .runner import run_parts
        r = run_parts(a.parts, a.platform, a.device_map, a.runs, a.warmup, a.check, a.opt_level, a.seed,
                      spin_s=a.spin)
        r.pop("_outputs")
        r.pop("_inputs")
        if a.json:
            print(json.dumps(r), file=out)
        else:
            lat = r["latency"]
            print(f"{r['graph']} on {r['platform']}: {r['parts']} parts, {r['runs']} runs after {r['warmup']} warm-up",
                  file=out)
            print(f"  measured latency {1e3 * r['measured_latency_s']:.3f} ms (median; min {1e3 * lat['min_s']:.3f}, "
                  f"q1 {1e3 * lat['q1_s']:.3f}, q3 {1e3 * lat['q3_s']:.3f}, max {1e3 * lat['max_s']:.3f})", file=out)
            err = f"{100 * r['error']:+.1f}%" if r["error"] is not None else "-"
            print(f"  predicted makespan {1e3 * r['predicted_makespan_s']:.3f} ms (measured {err})", file=out)
            for d, b in r["busy_s"].items():
                print(f"  {d:<10} {r['targets'][d]:<10} busy {1e3 * b['measured_s']:.3f} ms measured, "
                      f"{1e3 * b['predicted_s']:.3f} ms predicted", file=out)
            if "outputs_match" in r:
                print(f"  outputs {'match' if r['outputs_match'] else 'DIFFER from'} the whole model "
                      f"(max abs diff {r['max_abs_diff']:.3g})", file=out)
        if a.check and not r.get("outputs_match"):
            return 1
    elif a.command == "profile":
        from .profiler import profile_model
        from pathlib import Path
        p = profile_model(a.graph, a.device, a.threads, a.runs, a.warmup, a.opt_level, a.seed)
        tmp = Path(str(a.out) + ".tmp")
        try:
            tmp.write_text(json.dumps(p, indent=1) + "\n")
            tmp.replace(a.out)
        except OSError as e:
            raise RuntimeInputError(f"{a.out}: cannot write ({e.strerror})")
        print(f"{a.out}: {p['meta']['nodes']} nodes, sum {1e3 * p['meta']['sum_s']:.3f} ms "
              f"({p['meta']['runs']} runs, {a.threads} thread(s), opt level {a.opt_level})", file=out)
    elif a.command == "handoff":
        from .handoff import measure_handoff
        print(f"hand-off between two workers: {1e6 * measure_handoff(a.rounds):.1f} us (median)", file=out)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m diviml.runtime")
    sub = ap.add_subparsers(dest="command", required=True)
    add_parsers(sub)
    a = ap.parse_args(argv)
    try:
        return run_command(a)
    except RuntimeInputError as e:
        print(f"diviml: {e}", file=sys.stderr)
        return 1
