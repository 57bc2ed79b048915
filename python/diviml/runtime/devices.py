"""Platform devices and what each runs on (docs/runtime.md).

A platform is "host:NxC" (N CPU devices of C cores: device i gets cores
i*C .. i*C+C-1 of those this process may use), "zoo:NAME" (a bundled
preset) or a diviml-platform-v1 JSON file. --device-map "D=cpu:0-3,G=cuda:0"
says where a device runs: "cpu:CORES" (a list/range of core ids, or "all")
or "cuda:ID". Without a map, host:NxC devices take their cores; any other
device must be mapped (a CPU-only machine runs a GPU device only when the
user says so)."""
import json
import re
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import RuntimeInputError
from .paths import repo_root, zoo_dir



@dataclass
class Target:
    kind: str            # "cpu" or "cuda"
    cores: tuple = ()    # cpu: core ids (sched_setaffinity), len = intra-op threads
    cuda_id: int = 0     # cuda: device id

    def describe(self):
        return f"cpu:{','.join(map(str, self.cores))}" if self.kind == "cpu" else f"cuda:{self.cuda_id}"


def available_cores():
    return sorted(os.sched_getaffinity(0))


def platform_devices(spec):
    """(platform name, [device names], {device: Target} defaults)."""
    spec = str(spec)
    if spec.startswith("host:"):
        body = spec[5:]
        try:
            n, c = (int(x) for x in body.split("x"))
            assert 1 <= n <= 256 and 1 <= c <= 256
        except (ValueError, AssertionError):
            raise RuntimeInputError(f"{spec}: expected host:NxC with N devices of C cores, e.g. host:2x1")
        cores = available_cores()
        if n * c > len(cores):
            raise RuntimeInputError(f"{spec}: needs {n * c} cores, this process may use {len(cores)}")
        names = [f"cpu{i}" for i in range(n)]
        return (f"host_{n}x{c}", names,
                {names[i]: Target("cpu", tuple(cores[i * c:(i + 1) * c])) for i in range(n)})
    if spec.startswith("zoo:"):
        zoo = zoo_dir()
        path = zoo / "platforms" / f"{spec[4:]}.platform.json"
        if not path.exists():
            raise RuntimeInputError(f"{spec}: unknown platform preset")
    else:
        path = Path(spec)
    try:
        j = json.loads(path.read_text())
        names = []
        for d in j["devices"]:
            count = int(d.get("count", 1))
            names += [d["name"]] if count == 1 else [f"{d['name']}{k}" for k in range(count)]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise RuntimeInputError(f"{spec}: not a readable platform file ({e.__class__.__name__}: {e})")
    return j.get("name", path.stem), names, {}


def parse_cores(text, spec):
    if text == "all":
        return tuple(available_cores())
    cores = []
    for piece in text.split(","):
        a, _, b = piece.partition("-")
        try:
            lo, hi = int(a), int(b) if b else int(a)
        except ValueError:
            raise RuntimeInputError(f"--device-map: '{spec}': cores must be ids or ranges like 0-3")
        cores += range(lo, hi + 1)
    bad = [c for c in cores if c not in available_cores()]
    if bad or not cores:
        raise RuntimeInputError(f"--device-map: '{spec}': core {bad[0] if bad else '?'} is not available "
                                f"(available: {available_cores()})")
    return tuple(cores)


def resolve_targets(platform, device_map, needed):
    """{device: Target} for the devices in `needed` (the manifest's)."""
    name, names, targets = platform_devices(platform)
    for item in _split_map(device_map):
        dev, eq, where = item.partition("=")
        if not eq:
            raise RuntimeInputError(f"--device-map: '{item}' is not DEVICE=cpu:CORES or DEVICE=cuda:ID")
        if dev not in names:
            raise RuntimeInputError(f"--device-map: device '{dev}' does not exist on platform {platform} "
                                    f"(devices: {', '.join(names)})")
        kind, _, arg = where.partition(":")
        if kind == "cpu":
            targets[dev] = Target("cpu", parse_cores(arg or "all", item))
        elif kind == "cuda":
            try:
                targets[dev] = Target("cuda", cuda_id=int(arg or 0))
            except ValueError:
                raise RuntimeInputError(f"--device-map: '{item}': cuda needs a device id, e.g. cuda:0")
        else:
            raise RuntimeInputError(f"--device-map: '{item}': expected cpu:CORES or cuda:ID")
    for dev in needed:
        if dev not in names:
            raise RuntimeInputError(f"the parts run on device '{dev}', which platform {platform} does not have "
                                    f"(devices: {', '.join(names)}): parts for another plan?")
        if dev not in targets:
            raise RuntimeInputError(f"device '{dev}' of platform {platform} has no target: give "
                                    f"--device-map {dev}=cpu:CORES or {dev}=cuda:ID")
    return name, {d: targets[d] for d in needed}


def _split_map(device_map):
    if not device_map:
        return []
    if isinstance(device_map, dict):
        return [f"{k}={v}" for k, v in device_map.items()]
    # Items are separated by ";" or by a "," that starts a new DEVICE=.
    return [x.strip() for x in re.split(r";|,(?=[^,=]+=)", str(device_map)) if x.strip()]
