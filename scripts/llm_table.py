#!/usr/bin/env python3
"""The table of docs/llm.md: models x clusters x phases with the LLM planner
and the memory-proportional baseline. Usage: scripts/llm_table.py [build/diviml]"""
import json
import subprocess
import sys

DIVIML = sys.argv[1] if len(sys.argv) > 1 else "build/diviml"
MODELS = ["llama-2-7b", "llama-2-13b", "llama-2-70b", "mistral-7b"]
CLUSTERS = ["cluster:paper:4", "cluster:mixed"]
PHASES = ["prefill", "decode"]


def solve(model, cluster, phase, solver, objective):
    graph = f"llm:{model},batch=8,prompt=512,gen=128,phase={phase}"
    out = subprocess.run([DIVIML, "solve", "--graph", graph, "--platform", cluster, "--solver", solver,
                          "--objective", objective, "--json", "-q"], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


print("| model | cluster | phase | servers (fewest) | stages | TTFT s | time/token s | tokens/s | "
      "bound s | gap | llm-memory s | speed-up | llm-flops s | speed-up | solve ms |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for model in MODELS:
    for cluster in CLUSTERS:
        for phase in PHASES:
            lat = solve(model, cluster, phase, "llm", "latency")
            thr = solve(model, cluster, phase, "llm", "throughput")
            mem = solve(model, cluster, phase, "llm-memory", "latency")
            flo = solve(model, cluster, phase, "llm-flops", "latency")
            if lat is None:
                print(f"| {model} | {cluster} | {phase} | does not fit | | | | | | | | | | | |")
                continue
            speed = f"{mem['value'] / lat['value']:.2f}x" if mem else "-"
            memv = f"{mem['value']:.4g}" if mem else "no fit"
            fspeed = f"{flo['value'] / lat['value']:.2f}x" if flo else "-"
            flov = f"{flo['value']:.4g}" if flo else "no fit"
            gap = f"{100 * lat['gap']:.1f}%" if lat.get("gap") is not None else "-"
            tps = f"{thr['tokens_per_s']:.4g}" if thr else "-"
            print(f"| {model} | {cluster} | {phase} | {lat['servers_used']} ({lat['min_servers']}) | "
                  f"{len(lat['stages'])} | {lat['ttft_s']:.4g} | {lat['tpot_s']:.4g} | {tps} | "
                  f"{lat['lower_bound']:.4g} | {gap} | {memv} | {speed} | {flov} | {fspeed} | "
                  f"{1000 * lat['solve_time_s']:.1f} |")
