"""Compare every latency solver of the registry on a few models: makespan,
gap to the lower bound and time; optionally plot gap vs time (matplotlib).
Usage: build/venv/bin/python examples/compare_solvers.py [--models resnet18,googlenet]
       [--platform zoo:paper] [--time-limit 5] [--plot gap_vs_time.png]
"""
import argparse

import diviml


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="resnet18,googlenet")
    ap.add_argument("--platform", default="zoo:paper")
    ap.add_argument("--time-limit", type=float, default=5.0, help="seconds per solve")
    ap.add_argument("--plot", default="", help="write a gap-vs-time plot here (needs matplotlib)")
    a = ap.parse_args()
    solvers = [s.name for s in diviml.solvers() if "latency" in s.objectives and not s.llm]
    rows = []
    print(f"{'model':<14}{'solver':<8}{'status':<12}{'makespan ms':>12}{'gap %':>8}{'time s':>8}")
    for model in a.models.split(","):
        problem = diviml.problem(f"zoo:{model}", a.platform)
        for solver in solvers:
            r = diviml.solve(problem, a.platform, solver=solver, time_limit=a.time_limit)
            gap = r.gap if r.gap is not None else float("nan")
            rows.append((model, solver, r.solve_time, gap))
            ms = 1e3 * r.makespan if r.makespan is not None else float("nan")
            print(f"{model:<14}{solver:<8}{r.status:<12}{ms:>12.4f}{100 * gap:>8.2f}{r.solve_time:>8.2f}")
    if a.plot:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("matplotlib is not installed: no plot (apt-get install python3-matplotlib)")
            return
        fig, ax = plt.subplots(figsize=(6, 4))
        for model in a.models.split(","):
            pts = [(t, 100 * g, s) for m, s, t, g in rows if m == model]
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], label=model)
            for t, g, s in pts:
                ax.annotate(s, (t, g), fontsize=7)
        ax.set_xscale("symlog", linthresh=1e-3)
        ax.set_xlabel("solve time (s)")
        ax.set_ylabel("gap to the lower bound (%)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(a.plot)
        print(f"plot: {a.plot}")


if __name__ == "__main__":
    main()
