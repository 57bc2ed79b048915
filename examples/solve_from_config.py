"""Solve a problem given as one config dict: a graph (diviml-graph-v1), a
platform (diviml-platform-v1) and the solver settings, no files.
Usage: build/venv/bin/python examples/solve_from_config.py
"""
import json

import diviml

CONFIG = {
    "graph": {
        "name": "diamond",
        "nodes": [
            {"id": "load", "flops": 1e9, "output_bytes": 4e6},
            {"id": "left", "flops": 8e9, "output_bytes": 4e6, "param_bytes": 2e7},
            {"id": "right", "flops": 6e9, "output_bytes": 4e6, "param_bytes": 2e7},
            {"id": "join", "flops": 1e9},
        ],
        "edges": [
            {"from": "load", "to": "left", "bytes": 4e6},
            {"from": "load", "to": "right", "bytes": 4e6},
            {"from": "left", "to": "join", "bytes": 4e6},
            {"from": "right", "to": "join", "bytes": 4e6},
        ],
    },
    "platform": {
        "name": "two-gpus",
        "devices": [
            {"name": "cpu", "type": "cpu", "peak_flops": 5e11, "mem_bandwidth_Bps": 5e10},
            {"name": "gpu", "type": "gpu", "peak_flops": 1e13, "mem_bandwidth_Bps": 5e11, "count": 2},
        ],
        "default_link": {"bandwidth_Bps": 1.2e10, "latency_s": 1e-5},
    },
    "solve": {"solver": "milp", "time_limit": 10, "seed": 0},
}


def main():
    cfg = CONFIG
    r = diviml.solve(cfg["graph"], cfg["platform"], **cfg["solve"])
    print(r)
    print(json.dumps({"status": r.status, "makespan_s": r.makespan, "lower_bound_s": r.lower_bound,
                      "gap": r.gap, "plan": r.plan}, indent=1))


if __name__ == "__main__":
    main()
