// Cost models: where a node's time on a device comes from when the graph
// does not give it.
//
//  1. Measured profiles (include/diviml/io/profile.h) override everything.
//  2. The analytical roofline model (FillRooflineTimes) fills whatever is
//     still missing from the node's flops and bytes and the device's peak
//     rates:
//        t = max(flops / (peak_flops * eff_compute[class]),
//                bytes / (mem_bandwidth * eff_memory[class])) + launch[kind]
//     where bytes = input tensor bytes (in-edges) + param_bytes +
//     output_bytes, class is the operator class of node.op and kind is CPU
//     or GPU. The efficiencies and launch overheads are in RooflineOptions.
//  3. A device catalogue (datasheet FP32 peak FLOP/s, memory bandwidth,
//     memory size) and link presets, each citing its source in
//     src/cost/catalogue.cc, so platforms can name parts instead of numbers.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diviml/graph/graph.h"
#include "diviml/platform/platform.h"

namespace diviml {

// ---- Device catalogue and link presets (src/cost/catalogue.cc) ----

enum class DeviceKind { kCpu, kGpu };

struct CatalogueDevice {
  std::string key;          // lookup name, e.g. "a100", "xeon-gold-6130"
  std::string description;  // e.g. "NVIDIA A100 SXM4 40GB"
  DeviceKind kind = DeviceKind::kGpu;
  double peak_flops = 0;        // FP32 FLOP/s (dense, no tensor cores)
  double mem_bandwidth_Bps = 0; // bytes/s
  double memory_bytes = 0;      // bytes
  std::string source;           // datasheet the figures come from
  // Calibration (entries fitted to measurements, e.g. "host"; datasheet
  // entries keep the defaults): per-operator overhead in seconds (0 = the
  // kind's default in RooflineOptions) and a factor on the compute
  // efficiencies of every operator class.
  double launch_s = 0;
  double compute_efficiency_scale = 1;
  // Dense (no structured sparsity) tensor-core / matrix-engine peaks per
  // compute dtype, FLOP/s (int8: OP/s); 0 = not published / no such unit
  // (PeakFlopsFor then falls back). Only the LLM cost path uses them; the
  // zoo / CNN predictions stay FP32.
  double fp16_flops = 0, bf16_flops = 0, int8_ops = 0;
};

struct LinkPreset {
  std::string key;          // e.g. "pcie4", "nvlink3", "100gbe", "ib-hdr"
  std::string description;
  double bandwidth_Bps = 0;  // one direction, bytes/s
  double latency_s = 0;      // per transfer, seconds
  std::string source;
};

const std::vector<CatalogueDevice>& DeviceCatalogue();
const std::vector<LinkPreset>& LinkPresets();
// Case-insensitive lookup by key; '_' and ' ' match '-'. nullptr when absent.
const CatalogueDevice* FindCatalogueDevice(std::string_view key);
const LinkPreset* FindLinkPreset(std::string_view key);
// A platform Device named `name` with the entry's figures; type = entry key
// (so the roofline model finds the entry's calibration through the type).
Device MakeCatalogueDevice(const CatalogueDevice& entry, const std::string& name,
                           const std::string& server = "");
Link MakeLink(const LinkPreset& preset);
// Devices whose type names a catalogue entry get that entry's peak FLOP/s,
// memory bandwidth and memory capacity where the platform leaves them out
// (0 / unlimited). Figures the platform gives always win. Returns how many
// devices took something from the catalogue.
int ApplyCatalogueDefaults(Platform& platform);
// Peak rate of `device` for matrix work in compute dtype `dtype` ("fp32",
// "fp16", "bf16", "int8"): the catalogue entry's tensor-core peak when the
// device's type names an entry and its peak_flops is the entry's FP32 figure
// (a figure the platform file gave wins); int8 falls back to fp16, and
// anything unpublished to peak_flops (CPUs, GPUs without tensor cores).
double PeakFlopsFor(const Device& device, std::string_view dtype);
// A copy of platform with every device's peak_flops = PeakFlopsFor(dtype).
// O(m).
Platform WithComputeDtype(const Platform& platform, std::string_view dtype);

// ---- Operator classes and the roofline model (src/cost/roofline.cc) ----

enum class OpClass {
  kIo,            // "input"/"output" host nodes: no work
  kConv,          // Conv, ConvTranspose, SepConv
  kGemm,          // Gemm, MatMul, Einsum
  kElementwise,   // arithmetic, activations, Resize, Sum/Mean
  kPooling,       // *Pool
  kNorm,          // BatchNorm, LayerNorm, InstanceNorm, GroupNorm, LRN
  kReduce,        // Softmax, Reduce*, ArgMax/ArgMin, TopK
  kDataMovement,  // Concat, Split, Transpose, Gather, Slice, Pad, Cast...
  kView,          // Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout,
                  // Shape, Size: no data moved, launch overhead only
  kOther,         // anything else ("task" nodes of abstract graphs...)
};
constexpr int kNumOpClasses = 10;
// Class of an op string. Fused ops "A+B+C" take the most compute-heavy
// class among their parts (conv > gemm > norm > pooling > reduce >
// elementwise > other > data movement > view).
OpClass ClassifyOp(std::string_view op);
const char* OpClassName(OpClass c);

struct Efficiency {
  double compute = 1;  // fraction of peak FLOP/s reached
  double memory = 1;   // fraction of memory bandwidth reached
};

struct RooflineOptions {
  // Indexed by static_cast<int>(OpClass). Defaults in roofline.cc
  // (DefaultCpuEfficiency / DefaultGpuEfficiency).
  std::array<Efficiency, kNumOpClasses> cpu, gpu;
  double cpu_launch_s = 1e-6;  // per-operator dispatch overhead on a CPU
  double gpu_launch_s = 5e-6;  // kernel launch + framework overhead on a GPU
  // Device kind by device name or type, overriding the default rule
  // (catalogue entry's kind for a type that is a catalogue key; else a
  // name/type containing "cpu", "xeon", "epyc", "host" is a CPU; else a GPU).
  std::map<std::string, DeviceKind> kinds;
  // Apply the calibration of the catalogue entry named by a device's type
  // (CatalogueDevice::launch_s, compute_efficiency_scale).
  bool use_calibration = true;
  RooflineOptions();
};

DeviceKind KindOf(const Device& device, const RooflineOptions& options);

// The host device of a platform (where nodes pinned to "host" run): its
// first CPU by KindOf with default options, else device 0; -1 when the
// platform has no devices. O(m).
int HostDevice(const Platform& platform);

// Bytes a node moves to/from memory: sum of in-edge bytes + param_bytes +
// output_bytes; 0 for view ops. O(E) for one node; use NodeBytesMoved(graph)
// for all of them at once in O(V + E).
std::vector<double> NodeBytesMoved(const Graph& graph);

// Roofline time of work (flops, bytes) of class `cls` on `device`; nullopt
// when the device lacks a rate the work needs (flops > 0 and no peak_flops,
// or bytes > 0 and no mem_bandwidth_Bps, or neither rate at all). Io nodes
// take 0.
std::optional<double> RooflineTime(double flops, double bytes, OpClass cls, const Device& device,
                                   const RooflineOptions& options = {});

// Fills node.time_s[device.name] for every node and device where the
// resolution of Problem::Build (device name, then type, then "*") finds no
// time, using RooflineTime. Left missing (so Problem::Build reports it):
// devices without the needed rates, and nodes with no information at all
// (op class kOther with flops == 0 and no bytes). Returns how many entries
// it filled. O(V * m + E).
int FillRooflineTimes(Graph& graph, const Platform& platform, const RooflineOptions& options = {});

}  // namespace diviml
