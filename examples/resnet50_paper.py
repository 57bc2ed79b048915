"""Plan a torchvision ResNet-50 on the paper's platform (zoo:paper: four GPUs
and a CPU host) and run it placed.

Every platform device maps to a torch device by --device-map (default: all
on "cpu", so it runs on any machine); the placed module's output equals the
original's.
Usage: build/venv/bin/python examples/resnet50_paper.py [--time-limit 10]
       [--device-map rtx2080ti=cuda:0,gtx1080ti=cuda:1,...]
"""
import argparse
import time

import torch
import torchvision

import diviml
import diviml.torch as dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=10.0, help="solver budget, seconds")
    ap.add_argument("--solver", default="split")
    ap.add_argument("--device-map", default="", help="PLATFORM_DEVICE=TORCH_DEVICE,... (default: all cpu)")
    a = ap.parse_args()

    torch.manual_seed(0)
    model = torchvision.models.resnet50().eval()  # random weights: nothing is downloaded
    x = torch.randn(1, 3, 224, 224)
    graph = dt.capture(model, (x,))
    print(graph, f"{graph.total_flops() / 1e9:.2f} GFLOP")

    result = diviml.solve(graph, "zoo:paper", solver=a.solver, time_limit=a.time_limit)
    print(result)
    print(f"predicted makespan {1e3 * result.makespan:.3f} ms, lower bound {1e3 * result.lower_bound:.3f} ms "
          f"({result.lower_bound_source}), {len(result.transfers)} transfers")

    device_map = None
    if a.device_map:
        device_map = dict(item.split("=", 1) for item in a.device_map.split(","))
    placed = dt.place(graph, result, device_map=device_map)
    for name, device, torch_device, nodes in placed.parts:
        print(f"  {name:<10} {device:<12} -> {torch_device:<8} {len(nodes):>3} nodes")
    with torch.no_grad():
        t0 = time.perf_counter()
        y = placed(x)
        t1 = time.perf_counter()
        ref = model(x)
    print(f"placed run {1e3 * (t1 - t0):.1f} ms; same output as the module: "
          f"{torch.allclose(y, ref, rtol=1e-4, atol=1e-5)}")


if __name__ == "__main__":
    main()
