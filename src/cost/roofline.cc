// Analytical roofline cost model:
//   t = max(flops / (peak_flops * eff.compute), bytes / (bandwidth * eff.memory))
//       + launch overhead of the device kind.
//
// Default efficiencies (fraction of datasheet peak reached at batch 1 by a
// typical framework kernel; first-order figures, to be calibrated against
// measured profiles):
//
//   class          GPU compute/memory   CPU compute/memory
//   conv             0.55 / 0.70          0.40 / 0.60
//   gemm             0.65 / 0.70          0.40 / 0.60
//   elementwise      0.50 / 0.75          0.25 / 0.60
//   pooling          0.40 / 0.60          0.20 / 0.50
//   norm             0.40 / 0.60          0.20 / 0.50
//   reduce           0.40 / 0.60          0.20 / 0.50
//   data movement    1.00 / 0.50          1.00 / 0.40
//   other            0.40 / 0.50          0.30 / 0.40
//   view, io         (no bytes, no flops: launch overhead only / 0)
//
// Launch overhead: GPU 5 us (kernel launch + framework dispatch), CPU 1 us.
// A device whose type is a catalogue key takes that entry's calibration
// (CatalogueDevice::launch_s and compute_efficiency_scale), e.g. "host".
// CPU conv/gemm 0.40: ResNet-50 at batch 1 with oneDNN on a 16-core Xeon
// reaches roughly a third of the AVX-512 base-clock peak.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string>

#include "diviml/cost/cost_model.h"

namespace diviml {

namespace {

const std::set<std::string, std::less<>> kConvOps = {"Conv", "ConvTranspose", "ConvInteger",
                                                     "QLinearConv", "SepConv"};
const std::set<std::string, std::less<>> kGemmOps = {"Gemm", "MatMul", "MatMulInteger",
                                                     "QLinearMatMul", "Einsum"};
const std::set<std::string, std::less<>> kPoolOps = {
    "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "MaxRoiPool"};
const std::set<std::string, std::less<>> kNormOps = {"BatchNormalization", "LayerNormalization",
                                                     "InstanceNormalization", "GroupNormalization",
                                                     "MeanVarianceNormalization", "LRN"};
const std::set<std::string, std::less<>> kReduceOps = {
    "Softmax", "LogSoftmax", "Hardmax", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
    "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin", "TopK"};
const std::set<std::string, std::less<>> kViewOps = {"Reshape", "Flatten", "Squeeze", "Unsqueeze",
                                                     "Identity", "Dropout", "Shape", "Size"};
const std::set<std::string, std::less<>> kDataOps = {
    "Concat", "Split", "Transpose", "Gather", "GatherElements", "GatherND", "Slice", "Pad", "Expand",
    "Tile", "Cast", "CastLike", "ConstantOfShape", "Range", "ScatterND", "ScatterElements", "Scatter",
    "DepthToSpace", "SpaceToDepth", "NonZero", "OneHot", "Trilu", "EyeLike", "Compress",
    "ReverseSequence", "Unique", "Constant"};
const std::set<std::string, std::less<>> kElementwiseOps = {
    "Add", "Sub", "Mul", "Div", "Mod", "Neg", "Abs", "Floor", "Ceil", "Round", "Sign", "Relu",
    "LeakyRelu", "PRelu", "Clip", "ThresholdedRelu", "HardSigmoid", "HardSwish", "Shrink", "Sqrt",
    "Reciprocal", "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor",
    "Not", "Where", "BitShift", "IsNaN", "IsInf", "Exp", "Log", "Sigmoid", "Tanh", "Erf", "Gelu",
    "Softplus", "Softsign", "Pow", "Elu", "Selu", "Celu", "Mish", "Sin", "Cos", "Tan", "Sum", "Mean",
    "Max", "Min", "Resize", "Upsample", "CumSum"};

OpClass ClassifyOne(std::string_view op) {
  // Strip a "domain." prefix.
  if (auto dot = op.rfind('.'); dot != std::string_view::npos) op = op.substr(dot + 1);
  if (op == "input" || op == "output") return OpClass::kIo;
  if (kConvOps.count(op)) return OpClass::kConv;
  if (kGemmOps.count(op)) return OpClass::kGemm;
  if (kPoolOps.count(op)) return OpClass::kPooling;
  if (kNormOps.count(op)) return OpClass::kNorm;
  if (kReduceOps.count(op)) return OpClass::kReduce;
  if (kViewOps.count(op)) return OpClass::kView;
  if (kDataOps.count(op)) return OpClass::kDataMovement;
  if (kElementwiseOps.count(op)) return OpClass::kElementwise;
  return OpClass::kOther;
}

int Rank(OpClass c) {
  switch (c) {
    case OpClass::kConv: return 9;
    case OpClass::kGemm: return 8;
    case OpClass::kNorm: return 7;
    case OpClass::kPooling: return 6;
    case OpClass::kReduce: return 5;
    case OpClass::kElementwise: return 4;
    case OpClass::kOther: return 3;
    case OpClass::kDataMovement: return 2;
    case OpClass::kView: return 1;
    case OpClass::kIo: return 0;
  }
  return 0;
}

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

OpClass ClassifyOp(std::string_view op) {
  OpClass best = OpClass::kIo;
  bool first = true;
  size_t start = 0;
  while (true) {
    size_t plus = op.find('+', start);
    OpClass c = ClassifyOne(op.substr(start, plus == std::string_view::npos ? op.npos : plus - start));
    if (first || Rank(c) > Rank(best)) best = c;
    first = false;
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  return best;
}

const char* OpClassName(OpClass c) {
  switch (c) {
    case OpClass::kIo: return "io";
    case OpClass::kConv: return "conv";
    case OpClass::kGemm: return "gemm";
    case OpClass::kElementwise: return "elementwise";
    case OpClass::kPooling: return "pooling";
    case OpClass::kNorm: return "norm";
    case OpClass::kReduce: return "reduce";
    case OpClass::kDataMovement: return "data_movement";
    case OpClass::kView: return "view";
    case OpClass::kOther: return "other";
  }
  return "other";
}

RooflineOptions::RooflineOptions() {
  auto set = [](std::array<Efficiency, kNumOpClasses>& t, OpClass c, double compute, double memory) {
    t[static_cast<int>(c)] = Efficiency{compute, memory};
  };
  set(gpu, OpClass::kConv, 0.55, 0.70);
  set(gpu, OpClass::kGemm, 0.65, 0.70);
  set(gpu, OpClass::kElementwise, 0.50, 0.75);
  set(gpu, OpClass::kPooling, 0.40, 0.60);
  set(gpu, OpClass::kNorm, 0.40, 0.60);
  set(gpu, OpClass::kReduce, 0.40, 0.60);
  set(gpu, OpClass::kDataMovement, 1.00, 0.50);
  set(gpu, OpClass::kOther, 0.40, 0.50);
  set(gpu, OpClass::kView, 1.0, 1.0);
  set(gpu, OpClass::kIo, 1.0, 1.0);
  set(cpu, OpClass::kConv, 0.40, 0.60);
  set(cpu, OpClass::kGemm, 0.40, 0.60);
  set(cpu, OpClass::kElementwise, 0.25, 0.60);
  set(cpu, OpClass::kPooling, 0.20, 0.50);
  set(cpu, OpClass::kNorm, 0.20, 0.50);
  set(cpu, OpClass::kReduce, 0.20, 0.50);
  set(cpu, OpClass::kDataMovement, 1.00, 0.40);
  set(cpu, OpClass::kOther, 0.30, 0.40);
  set(cpu, OpClass::kView, 1.0, 1.0);
  set(cpu, OpClass::kIo, 1.0, 1.0);
}

DeviceKind KindOf(const Device& device, const RooflineOptions& options) {
  if (auto it = options.kinds.find(device.name); it != options.kinds.end()) return it->second;
  if (auto it = options.kinds.find(device.type); it != options.kinds.end()) return it->second;
  if (const CatalogueDevice* c = FindCatalogueDevice(device.type)) return c->kind;
  for (const std::string& s : {Lower(device.type), Lower(device.name)})
    for (const char* word : {"cpu", "xeon", "epyc", "host"})
      if (s.find(word) != std::string::npos) return DeviceKind::kCpu;
  return DeviceKind::kGpu;
}

int HostDevice(const Platform& platform) {
  const RooflineOptions defaults;
  for (int d = 0; d < platform.num_devices(); ++d)
    if (KindOf(platform.devices[d], defaults) == DeviceKind::kCpu) return d;
  return platform.num_devices() > 0 ? 0 : -1;
}

std::vector<double> NodeBytesMoved(const Graph& graph) {
  std::vector<double> bytes(graph.num_nodes(), 0);
  for (const Edge& e : graph.edges)
    if (e.to >= 0 && e.to < graph.num_nodes()) bytes[e.to] += e.bytes;
  for (int v = 0; v < graph.num_nodes(); ++v) {
    const Node& n = graph.nodes[v];
    const OpClass c = ClassifyOp(n.op);
    bytes[v] = (c == OpClass::kView || c == OpClass::kIo) ? 0 : bytes[v] + n.param_bytes + n.output_bytes;
  }
  return bytes;
}

std::optional<double> RooflineTime(double flops, double bytes, OpClass cls, const Device& device,
                                   const RooflineOptions& options) {
  if (cls == OpClass::kIo) return 0.0;
  // A device without any rate is not modelled at all.
  if (!(device.peak_flops > 0) && !(device.mem_bandwidth_Bps > 0)) return std::nullopt;
  if (flops > 0 && !(device.peak_flops > 0)) return std::nullopt;
  if (bytes > 0 && !(device.mem_bandwidth_Bps > 0)) return std::nullopt;
  const DeviceKind kind = KindOf(device, options);
  const Efficiency eff = (kind == DeviceKind::kGpu ? options.gpu : options.cpu)[static_cast<int>(cls)];
  double launch = kind == DeviceKind::kGpu ? options.gpu_launch_s : options.cpu_launch_s;
  double compute_scale = 1;
  if (options.use_calibration) {
    if (const CatalogueDevice* c = FindCatalogueDevice(device.type)) {
      if (c->launch_s > 0) launch = c->launch_s;
      compute_scale = c->compute_efficiency_scale;
    }
  }
  double t = 0;
  if (flops > 0) t = std::max(t, flops / (device.peak_flops * eff.compute * compute_scale));
  if (bytes > 0) t = std::max(t, bytes / (device.mem_bandwidth_Bps * eff.memory));
  return t + launch;
}

int FillRooflineTimes(Graph& graph, const Platform& platform, const RooflineOptions& options) {
  const std::vector<double> bytes = NodeBytesMoved(graph);
  int filled = 0;
  for (int v = 0; v < graph.num_nodes(); ++v) {
    Node& node = graph.nodes[v];
    if (node.time_s.count("*")) continue;
    const OpClass cls = ClassifyOp(node.op);
    // A node the model knows nothing about keeps its missing time.
    if (cls == OpClass::kOther && !(node.flops > 0) && !(bytes[v] > 0)) continue;
    for (const Device& dev : platform.devices) {
      if (node.time_s.count(dev.name) || node.time_s.count(dev.type)) continue;
      if (auto t = RooflineTime(node.flops, bytes[v], cls, dev, options)) {
        node.time_s[dev.name] = *t;
        ++filled;
      }
    }
  }
  return filled;
}

}  // namespace diviml
