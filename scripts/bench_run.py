#!/usr/bin/env python3
"""Predicted vs measured latency on this machine (`make bench-run`,
docs/runtime.md): for every zoo model, on host:2x1 (two CPU devices of one
core each, linked by the measured worker hand-off):

  1. profile the model on one core with ONNX Runtime (diviml.runtime.profile_model),
  2. solve a plan with that profile (split; --milp also milp),
  3. export it as ONNX parts and run it >= 20 times (median),
  4. run the whole model on one core the same way (plan `single`),
     alternating with the plan's runs in rounds (same background load),

and write a Markdown table (predicted makespan, measured median, error,
measured and predicted 2-core speed-up over 1 core) plus the JSON figures.
Usage: scripts/bench_run.py [--models a,b] [--runs 20] [--out build/fidelity]
       [--doc docs/runtime-fidelity.md] [--profiles zoo/profiles] [--milp]
"""
import argparse
import json
import os
import platform as pyplatform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

from diviml.runtime import export_parts, measure_handoff, profile_model, run_parts  # noqa: E402
from diviml.runtime.export import diviml_binary  # noqa: E402

ZOO = ["resnet18", "resnet50", "inception_v3", "googlenet", "densenet121", "mobilenet_v2", "vgg16",
       "squeezenet1_1", "bert_base", "gpt2_small"]


def loadavg():
    return os.getloadavg()[0]


def solve(model, platform, profile, solver, out, time_limit):
    cmd = [diviml_binary(), "solve", "--graph", f"zoo:{model}", "--platform", str(platform), "--profile",
           str(profile), "--solver", solver, "-q", "--out", str(out), "--json"]
    if time_limit:
        cmd += ["--time-limit", str(time_limit)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"bench-run: {model} {solver}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=",".join(ZOO))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2, help="untimed runs before each round")
    ap.add_argument("--rounds", type=int, default=4, help="alternating rounds of plan and 1-core runs")
    ap.add_argument("--nice", type=int, default=-10,
                    help="niceness of the bench (root may raise its priority over the other jobs; 0 = leave it)")
    ap.add_argument("--profile-runs", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "build" / "fidelity"))
    ap.add_argument("--doc", default=str(ROOT / "docs" / "runtime-fidelity.md"))
    ap.add_argument("--profiles", default=str(ROOT / "zoo" / "profiles"),
                    help="where the measured profiles go (<model>.ort-host-1c.json)")
    ap.add_argument("--reuse-profiles", action="store_true", help="use existing profiles instead of measuring")
    ap.add_argument("--milp", action="store_true", help="also solve with milp (30 s) and keep it where it proves")
    ap.add_argument("--time-limit", type=float, default=10, help="split's budget per model, seconds")
    a = ap.parse_args()
    if a.nice:
        # Linux groups the tasks of a session (autogroup) and shares the CPU
        # between groups first, so a plain nice only helps inside the group:
        # the group's niceness is set too (root), and reset at the end.
        try:
            os.nice(a.nice)
            ag = Path("/proc/self/autogroup")
            if ag.exists():
                ag.write_text(str(a.nice))
                import atexit
                atexit.register(lambda: ag.write_text("0"))
        except OSError:
            print("bench-run: cannot change the priority (not root); running at the default", flush=True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    handoffs = [measure_handoff(2000) for _ in range(3)]
    link = statistics.median(handoffs)
    plat = out / "host_2x1.platform.json"
    plat.write_text(json.dumps({
        "format": "diviml-platform-v1", "name": "host_2x1",
        "devices": [{"name": f"cpu{i}", "type": "host-1c", "server": "host"} for i in range(2)],
        "default_link": {"latency_s": link, "bandwidth_Bps": 1e30}}, indent=1))
    print(f"bench-run: hand-off {1e6 * link:.1f} us (median of {handoffs}); load {loadavg():.2f}", flush=True)

    rows = []
    for model in [m for m in a.models.split(",") if m]:
        load_before = loadavg()
        prof = Path(a.profiles) / f"{model}.ort-host-1c.json"
        if not (a.reuse_profiles and prof.exists()):
            p = profile_model(f"zoo:{model}", device="host-1c", threads=1, runs=a.profile_runs, warmup=a.warmup)
            p["meta"]["model"] = f"zoo/models/{model}.onnx"
            p["meta"]["date_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            p["meta"]["load_average_1min"] = loadavg()
            prof.write_text(json.dumps(p, indent=1) + "\n")
        plans = {"split": solve(model, plat, prof, "split", out / f"{model}.split.plan.json", a.time_limit)}
        if a.milp:
            mj = solve(model, plat, prof, "milp", out / f"{model}.milp.plan.json", 30)
            if mj["status"] == "optimal" and mj["makespan_s"] <= plans["split"]["makespan_s"]:
                plans = {"milp": mj}
        solver = next(iter(plans))
        plan = plans[solver]
        single = solve(model, plat, prof, "single", out / f"{model}.single.plan.json", None)
        # The plan and the 1-core run alternate in rounds, so that both see
        # the same background load; the medians pool every round's runs.
        res, lats, nparts = {}, {"plan": [], "single": []}, {}
        for name, pf in (("plan", out / f"{model}.{solver}.plan.json"), ("single", out / f"{model}.single.plan.json")):
            nparts[name] = len(export_parts(f"zoo:{model}", pf, out / f"{model}.{name}.parts")["parts"])
        per_round = max(1, a.runs // a.rounds)
        for k in range(a.rounds):
            for name in ("plan", "single"):
                r = run_parts(out / f"{model}.{name}.parts", plat_spec(plat), runs=per_round, warmup=a.warmup,
                              check=(name == "plan" and k == 0))
                r.pop("_outputs")
                r.pop("_inputs")
                if name in res:
                    for key in ("outputs_match", "max_abs_diff", "max_diff_over_max_abs"):
                        if key in res[name]:
                            r[key] = res[name][key]
                    for d, xs in res[name]["busy_samples_s"].items():
                        r["busy_samples_s"][d] = xs + r["busy_samples_s"][d]
                lats[name] += r["latencies_s"]
                res[name] = r
        contended = []
        for k in range(a.rounds):
            contended += contended_single(out / f"{model}.single.parts", per_round, a.warmup)
        for name, r in res.items():
            r["parts"] = nparts[name]
            r["measured_latency_s"] = statistics.median(lats[name])
            q = statistics.quantiles(lats[name], n=4)
            r["latency"] = {"q1_s": q[0], "q3_s": q[2], "median_s": r["measured_latency_s"]}
            r["error"] = (r["measured_latency_s"] - r["predicted_makespan_s"]) / r["predicted_makespan_s"]
            for d, xs in r["busy_samples_s"].items():
                r["busy_s"][d]["measured_s"] = statistics.median(xs)
        pr, sg = res["plan"], res["single"]
        match_disable = None
        if not pr["outputs_match"]:
            # ORT's optimisations may change a model's numbers, and which
            # apply depends on the cut: compare without them too.
            match_disable = run_parts(out / f"{model}.plan.parts", plat_spec(plat), runs=1, warmup=0, check=True,
                                      opt_level="disable")["outputs_match"]
        row = {
            "model": model, "solver": solver, "status": plan["status"], "parts": pr["parts"],
            "predicted_s": pr["predicted_makespan_s"], "measured_s": pr["measured_latency_s"],
            "q1_s": pr["latency"]["q1_s"], "q3_s": pr["latency"]["q3_s"],
            "error": pr["error"], "outputs_match": pr["outputs_match"],
            "max_diff_over_max_abs": pr.get("max_diff_over_max_abs"), "outputs_match_disable": match_disable,
            "single_predicted_s": sg["predicted_makespan_s"], "single_measured_s": sg["measured_latency_s"],
            "single_error": sg["error"],
            "single_contended_s": statistics.median(contended),
            "contention": statistics.median(contended) / sg["measured_latency_s"],
            "speedup_measured": sg["measured_latency_s"] / pr["measured_latency_s"],
            "speedup_predicted": sg["predicted_makespan_s"] / pr["predicted_makespan_s"],
            "busy": pr["busy_s"], "nice": os.nice(0), "load_before": load_before, "load_after": loadavg(),
        }
        rows.append(row)
        print(f"bench-run: {model:14s} {solver:5s} parts {row['parts']:3d} predicted {1e3 * row['predicted_s']:9.3f} ms "
              f"measured {1e3 * row['measured_s']:9.3f} ms ({100 * row['error']:+6.1f}%)  1 core "
              f"{1e3 * row['single_measured_s']:9.3f} ms ({100 * row['single_error']:+6.1f}%)  speed-up "
              f"{row['speedup_measured']:.3f} measured / {row['speedup_predicted']:.3f} predicted  "
              f"other core busy x{row['contention']:.3f}  "
              f"match {row['outputs_match']}  load {row['load_before']:.1f}->{row['load_after']:.1f}", flush=True)
        (out / "results.json").write_text(json.dumps({"started_utc": started, "handoff_s": link, "runs": a.runs,
                                                      "rows": rows}, indent=1))
    write_doc(Path(a.doc), rows, link, a, started)


def busy_other_core(parts_dir, stop, started):
    """Runs the whole model (parts_dir's model.onnx) in a loop on core 1
    until stop is set: the load a second worker puts on the machine."""
    from diviml.runtime.devices import Target
    from diviml.runtime.manifest import load_manifest, make_inputs
    from diviml.runtime.session import make_session
    os.sched_setaffinity(0, {1})
    m = load_manifest(parts_dir)
    s = make_session(Path(parts_dir) / m["model"], Target("cpu", (1,)), device="busy")
    feeds = make_inputs(m)
    started.set()
    while not stop.is_set():
        s.run(None, feeds)


def contended_single(parts_dir, runs, warmup):
    """The 1-core run on core 0 while core 1 runs the same model: how much
    the two cores slow each other down (shared caches and memory)."""
    import threading
    stop, started = threading.Event(), threading.Event()
    t = threading.Thread(target=busy_other_core, args=(parts_dir, stop, started), daemon=True)
    t.start()
    started.wait(60)
    try:
        r = run_parts(parts_dir, "host:2x1", runs=runs, warmup=warmup)
    finally:
        stop.set()
        t.join(60)
    return r["latencies_s"]


def plat_spec(plat):
    # The runner maps host_2x1's devices to cores 0 and 1 as host:2x1 does.
    return "host:2x1"


def match_text(r):
    if r["outputs_match"]:
        return "yes"
    d = r.get("max_diff_over_max_abs")
    text = f"NO ({100 * d:.1f}% of max)" if d is not None else "NO"
    if r.get("outputs_match_disable"):
        text += "; yes at opt level disable"
    return text


def load_text(rows):
    """What the load averages say about the machine during the run."""
    peak = max([max(r["load_before"], r["load_after"]) for r in rows] or [0.0])
    if peak > 2.5:
        return ("**The machine was shared**: other jobs ran on the same two cores while these figures were taken "
                "(1-minute load average before/after each model in the last column; the bench itself adds up "
                "to 2). Measured times on a loaded machine are noisy and biased upward, in particular for the "
                "2-device plans, which need both cores at once.")
    return (f"No other job ran: the 1-minute load average stayed at or below {peak:.2f} (last column; the "
            "bench's own two workers account for up to 2).")


def write_doc(path, rows, link, a, started):
    errs = [abs(r["error"]) for r in rows]
    lines = [
        "# Predicted vs measured latency on ONNX Runtime (host:2x1)",
        "",
        "Generated by `make bench-run` (scripts/bench_run.py); how the parts, the runner and the profiler",
        "work: docs/runtime.md.",
        "",
        f"Machine: {os.cpu_count()} logical CPUs ({pyplatform.processor() or pyplatform.machine()}), "
        f"onnxruntime {__import__('onnxruntime').__version__}, optimisation level extended, started {started}. "
        f"Platform host:2x1: two CPU devices of one core each (cpu0 = core 0, cpu1 = core 1), type host-1c; "
        f"link = the measured worker hand-off, {1e6 * link:.1f} us. Profiles: ONNX Runtime's profiler, one core, "
        f"median of {a.profile_runs} runs (zoo/profiles/<model>.ort-host-1c.json). Measured latency: median of "
        f"{a.runs} runs in {a.rounds} rounds that alternate the plan and the 1-core run (each round after {a.warmup} warm-up runs), "
        f"at niceness {os.nice(0)}; q1-q3 is the interquartile range. 1 core: the whole model "
        "as one part on cpu0 (plan `single`). Speed-up = 1-core latency / 2-device latency.",
        "",
        load_text(rows),
        "",
        "1 core, other busy: the 1-core run while core 1 runs the same model in a loop, divided by the 1-core "
        "run alone: how much two working cores slow each other down (the profiles are measured with the "
        "other core idle, so the plans' predictions leave this out).",
        "",
        "| model | solver | parts | predicted ms | measured ms (q1-q3) | error | 1 core predicted ms | 1 core measured ms | "
        "speed-up measured | speed-up predicted | 1 core, other busy | outputs match | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['solver']} ({r['status']}) | {r['parts']} | {1e3 * r['predicted_s']:.2f} | "
            f"{1e3 * r['measured_s']:.2f} ({1e3 * r['q1_s']:.2f}-{1e3 * r['q3_s']:.2f}) | {100 * r['error']:+.1f}% | "
            f"{1e3 * r['single_predicted_s']:.2f} | {1e3 * r['single_measured_s']:.2f} | {r['speedup_measured']:.3f} | "
            f"{r['speedup_predicted']:.3f} | x{r['contention']:.3f} | {match_text(r)} | "
            f"{r['load_before']:.1f}/{r['load_after']:.1f} |")
    if errs:
        within = sum(e <= 0.10 for e in errs)
        lines += ["", f"{within} of {len(rows)} models within 10%; median |error| {100 * statistics.median(errs):.1f}%, "
                  f"max {100 * max(errs):.1f}%."]
    path.write_text("\n".join(lines) + "\n")
    print(f"bench-run: wrote {path}")


if __name__ == "__main__":
    main()
