"""diviml.torch: capture -> solve -> place -> run equals the original module;
flops agree with the ONNX import of the same torchvision model."""
import pytest

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")

import diviml  # noqa: E402
import diviml.torch as dt  # noqa: E402


class SmallEncoder(torch.nn.Module):
    """A small transformer encoder: embedding, two encoder layers, head."""

    def __init__(self, d=32, layers=2):
        super().__init__()
        self.embed = torch.nn.Linear(16, d)
        self.layers = torch.nn.ModuleList(
            torch.nn.TransformerEncoderLayer(d, 4, 64, dropout=0.0, batch_first=True) for _ in range(layers))
        self.norm = torch.nn.LayerNorm(d)
        self.head = torch.nn.Linear(d, 10)

    def forward(self, x):
        h = self.embed(x)
        for layer in self.layers:
            h = layer(h)
        return self.head(self.norm(h).mean(dim=1))


class DataDependent(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(4, 4)

    def forward(self, x):
        y = self.a(x)
        if y.sum() > 0:  # data-dependent control flow
            return y
        return -y


def roundtrip(model, x, granularity="node", platform="zoo:paper", solver="split"):
    torch.manual_seed(0)
    model.eval()
    g = dt.capture(model, (x,), granularity=granularity)
    r = diviml.solve(g, platform, solver=solver, time_limit=20)
    assert r.has_plan, r.message
    placed = dt.place(g, r)
    for _ in range(2):
        xi = torch.randn_like(x)
        with torch.no_grad():
            assert torch.allclose(placed(xi), model(xi), rtol=1e-4, atol=1e-5)
    # One submodule per maximal run on one device, and the cut edges are the plan's transfers.
    devices = [p[1] for p in placed.parts]
    assert all(a != b for a, b in zip(devices, devices[1:]))
    assert sum(len(p[3]) for p in placed.parts) == g.num_nodes - 2  # minus input and output
    moved = {(t["from"], t["to"]) for t in r.transfers}
    cut = {(g.nodes[e.source].id, g.nodes[e.target].id) for e in g.edges
           if r.plan[g.nodes[e.source].id] != r.plan[g.nodes[e.target].id]}
    assert moved == cut
    return g, r, placed


def test_resnet18():
    g, r, placed = roundtrip(torchvision.models.resnet18(), torch.randn(1, 3, 224, 224))
    assert len(set(r.plan.values())) >= 2 and len(placed.parts) >= 2


def test_mobilenet_v2():
    roundtrip(torchvision.models.mobilenet_v2(), torch.randn(1, 3, 224, 224), solver="heft")


class WithDataDependentBlock(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Linear(4, 4)
        self.block = DataDependent()
        self.head = torch.nn.Linear(4, 3)

    def forward(self, x):
        return self.head(torch.relu(self.block(self.stem(x))))


def test_transformer_encoder():
    g, r, _ = roundtrip(SmallEncoder(), torch.randn(2, 8, 16), solver="milp")
    assert sum(n.op == "TransformerEncoderLayer" for n in g.nodes) == 2
    enc = next(n for n in g.nodes if n.op == "TransformerEncoderLayer")
    # counted from its aten operators: at least its four projections' matrix products
    d, ff, tokens = 32, 64, 2 * 8
    assert enc.flops >= 2 * tokens * (4 * d * d + 2 * d * ff)
    assert enc.param_bytes == pytest.approx(4 * sum(p.numel() for p in SmallEncoder().layers[0].parameters()))


def test_untraceable_block_names_the_call_and_module_granularity_works():
    m = WithDataDependentBlock()
    with pytest.raises(dt.CaptureError) as e:
        dt.capture(m, (torch.randn(2, 4),))
    msg = str(e.value)
    assert "if y.sum() > 0" in msg and 'granularity="module"' in msg and "\n" not in msg
    g, _, _ = roundtrip(m, torch.randn(2, 4), granularity="module", solver="milp")
    assert [n.op for n in g.nodes if n.id == "block"] == ["DataDependent"]


def test_untraceable_top_level():
    with pytest.raises(ValueError) as e:
        dt.capture(DataDependent(), (torch.randn(2, 4),), granularity="module")
    assert "if y.sum() > 0" in str(e.value) and "top-level" in str(e.value)


@pytest.mark.parametrize("model", ["resnet18", "mobilenet_v2"])
def test_flops_match_the_onnx_import(model):
    g = dt.capture(getattr(torchvision.models, model)(), (torch.randn(1, 3, 224, 224),))
    onnx = diviml.load_graph(f"zoo:{model}")
    assert g.total_flops() == pytest.approx(onnx.total_flops(), rel=0.05)
    params = sum(n.param_bytes for n in g.nodes)
    assert params == pytest.approx(sum(n.param_bytes for n in onnx.nodes), rel=0.05)


def test_place_errors():
    m = torchvision.models.resnet18().eval()
    g = dt.capture(m, (torch.randn(1, 3, 64, 64),))
    r = diviml.solve(g, "zoo:paper", solver="heft")
    used = sorted(set(r.plan.values()))
    with pytest.raises(dt.CaptureError, match="device_map: platform device"):
        dt.place(g, r, device_map={used[0]: "cpu"} if len(used) > 1 else {})
    other = diviml.solve("zoo:resnet18", "zoo:paper", solver="heft")
    with pytest.raises(dt.CaptureError, match="the plan is for graph"):
        dt.place(g, other)
    # A full device_map works; the outputs come back on the CPU.
    placed = dt.place(g, r, device_map={d: "cpu" for d in used})
    with torch.no_grad():
        x = torch.randn(1, 3, 64, 64)
        assert torch.allclose(placed(x), m(x), rtol=1e-4, atol=1e-5)
