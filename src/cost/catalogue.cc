// Device catalogue and link presets: datasheet figures, each with its source.
// FLOP/s are FP32 without tensor cores / matrix engines (the DiviML
// profiles and the zoo / CNN cost model are FP32); the dense FP16 / BF16 /
// INT8 tensor-core peaks (kTensorPeaks) serve the LLM planner only; memory bandwidth is the theoretical
// peak of the memory interface; GPU memory sizes are in GiB as marketed
// (HBM/GDDR capacities are binary), CPU memory is a typical configuration
// (the part's maximum is noted). CPU peak = cores x base clock x FP32
// FLOP/cycle/core (two FMA units: 64 with AVX-512, 32 with AVX2).
// Link bandwidths are one direction; latencies are per transfer including
// the software stack (cudaMemcpy / MPI), order-of-magnitude figures.
#include <cmath>
#include <algorithm>
#include <cctype>

#include "diviml/cost/cost_model.h"

namespace diviml {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kG = 1e9;
constexpr double kT = 1e12;

std::string Normalize(std::string_view s) {
  std::string r;
  for (char c : s) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.push_back(l == '_' || l == ' ' ? '-' : l);
  }
  return r;
}

// Dense tensor-core peaks (FP16 / BF16 with FP32 accumulate, INT8), from
// the same datasheets; figures marked "with sparsity" there are halved.
struct TensorPeaks {
  const char* key;
  double fp16, bf16, int8;
};
constexpr TensorPeaks kTensorPeaks[] = {
    // V100 datasheet: "Tensor Performance 125 TFLOPS" (FP16); no BF16 or
    // INT8 tensor cores.
    {"v100", 125 * kT, 0, 0},
    // A100 datasheet: FP16 / BF16 Tensor Core 312 TFLOPS, INT8 624 TOPS
    // (dense; 624 / 1,248 with sparsity). Same for 40 and 80 GB.
    {"a100", 312 * kT, 312 * kT, 624 * kT},
    {"a100-80gb", 312 * kT, 312 * kT, 624 * kT},
    // H100 datasheet (SXM): FP16 / BF16 1,979 TFLOPS*, INT8 3,958 TOPS*
    // (* with sparsity): dense 989.5 / 1,979.
    {"h100", 989.5 * kT, 989.5 * kT, 1979 * kT},
    // H100 datasheet (PCIe): 1,513 TFLOPS* / 3,026 TOPS*: dense 756.5 / 1,513.
    {"h100-pcie", 756.5 * kT, 756.5 * kT, 1513 * kT},
    // T4 datasheet: mixed precision (FP16/FP32) 65 TFLOPS, INT8 130 TOPS;
    // no BF16.
    {"t4", 65 * kT, 0, 130 * kT},
    // L4 datasheet: FP16 / BF16 242 TFLOPS*, INT8 485 TOPS* (* with
    // sparsity): dense 121 / 242.5.
    {"l4", 121 * kT, 121 * kT, 242.5 * kT},
    // A10 datasheet: FP16 / BF16 Tensor Core 125 TF (250 with sparsity),
    // INT8 250 TOPS (500).
    {"a10", 125 * kT, 125 * kT, 250 * kT},
    // Turing whitepaper, RTX 2080 Ti reference: FP16 tensor with FP32
    // accumulate 53.8 TFLOPS, INT8 215.2 TOPS; no BF16.
    {"rtx-2080-ti", 53.8 * kT, 0, 215.2 * kT},
    // GA102 whitepaper, RTX 3090: FP16 / BF16 tensor with FP32 accumulate
    // 71 TFLOPS (dense), INT8 284 TOPS.
    {"rtx-3090", 71 * kT, 71 * kT, 284 * kT},
    // GTX 1080 Ti (Pascal): no tensor cores; CPUs: FP32 vector peak only.
};

std::vector<CatalogueDevice> WithTensorPeaks(std::vector<CatalogueDevice> devices) {
  for (CatalogueDevice& d : devices)
    for (const TensorPeaks& t : kTensorPeaks)
      if (d.key == t.key) d.fp16_flops = t.fp16, d.bf16_flops = t.bf16, d.int8_ops = t.int8;
  return devices;
}

}  // namespace

const std::vector<CatalogueDevice>& DeviceCatalogue() {
  static const std::vector<CatalogueDevice> kDevices = WithTensorPeaks({
      // ---- server CPUs ----
      // Intel ARK "Intel Xeon Gold 6130 Processor": 16 cores, 2.10 GHz base,
      // 6 channels DDR4-2666 (6 x 21.33 GB/s), max 768 GB; two AVX-512 FMA
      // units per core (Intel Xeon Scalable platform brief, Gold 6100 series).
      // 16 x 2.1 GHz x 64 = 2.15 TFLOP/s.
      {"xeon-gold-6130", "Intel Xeon Gold 6130 (16 cores, Skylake-SP)", DeviceKind::kCpu,
       16 * 2.1e9 * 64, 6 * 21.333 * kG, 192 * kGiB,
       "Intel ARK: Intel Xeon Gold 6130 Processor (22M cache, 2.10 GHz)"},
      // Intel ARK "Intel Xeon Platinum 8380": 40 cores, 2.30 GHz base,
      // 8 channels DDR4-3200 (204.8 GB/s), two AVX-512 FMA units.
      {"xeon-platinum-8380", "Intel Xeon Platinum 8380 (40 cores, Ice Lake-SP)", DeviceKind::kCpu,
       40 * 2.3e9 * 64, 8 * 25.6 * kG, 256 * kGiB,
       "Intel ARK: Intel Xeon Platinum 8380 Processor (60M cache, 2.30 GHz)"},
      // AMD product page "AMD EPYC 7763": 64 cores, 2.45 GHz base, 8 channels
      // DDR4-3200 (204.8 GB/s per socket), Zen 3 two 256-bit FMA pipes
      // (32 FP32 FLOP/cycle). 64 x 2.45 GHz x 32 = 5.02 TFLOP/s.
      {"epyc-7763", "AMD EPYC 7763 (64 cores, Zen 3)", DeviceKind::kCpu, 64 * 2.45e9 * 32, 8 * 25.6 * kG,
       256 * kGiB, "AMD EPYC 7763 product page (amd.com), 64 cores, 2.45 GHz, 8ch DDR4-3200"},
      // This machine as the CPU profiler (scripts/zoo/profile_cpu.py) runs
      // it: one thread of a 2-vCPU AMD EPYC (Zen 5, family 26) VM at 2.1 GHz
      // nominal (lscpu BogoMIPS 4192), AVX-512 with a 512-bit datapath:
      // 2.1 GHz x 64 = 134 GFLOP/s per thread; 20 GB/s single-thread memory
      // bandwidth (assumed, typical of one core). Calibrated against the
      // measured one-thread profiles zoo/profiles/*.cpu.json (OpenBLAS,
      // thread CPU time, median of 11): dense conv/gemm reach 75-120 GFLOP/s
      // (0.55-0.9 of the thread's peak), so compute_efficiency_scale 1.9 on
      // the CPU efficiencies (conv 0.40 -> 0.76); the smallest operators
      // take 4-10 us, so launch_s 5 us. Predicted vs measured per model in
      // README.md.
      {"host", "this machine, one thread (AMD EPYC Zen 5 VM)", DeviceKind::kCpu, 2.1e9 * 64, 20 * kG,
       23 * kGiB, "lscpu / free on the development VM; calibrated on zoo/profiles/*.cpu.csv", 5e-6, 1.9},

      // ---- GPUs ----
      // NVIDIA Tesla V100 datasheet (SXM2): 15.7 TFLOPS FP32, 900 GB/s HBM2,
      // 32 GB.
      {"v100", "NVIDIA Tesla V100 SXM2 32GB", DeviceKind::kGpu, 15.7 * kT, 900 * kG, 32 * kGiB,
       "NVIDIA Tesla V100 GPU Accelerator datasheet"},
      // NVIDIA A100 datasheet (SXM4 40GB): 19.5 TFLOPS FP32, 1,555 GB/s.
      {"a100", "NVIDIA A100 SXM4 40GB", DeviceKind::kGpu, 19.5 * kT, 1555 * kG, 40 * kGiB,
       "NVIDIA A100 Tensor Core GPU datasheet"},
      // NVIDIA A100 datasheet (SXM4 80GB): 19.5 TFLOPS FP32, 2,039 GB/s.
      {"a100-80gb", "NVIDIA A100 SXM4 80GB", DeviceKind::kGpu, 19.5 * kT, 2039 * kG, 80 * kGiB,
       "NVIDIA A100 Tensor Core GPU datasheet"},
      // NVIDIA H100 datasheet (SXM5): 67 TFLOPS FP32, 3.35 TB/s HBM3, 80 GB.
      {"h100", "NVIDIA H100 SXM5 80GB", DeviceKind::kGpu, 67 * kT, 3350 * kG, 80 * kGiB,
       "NVIDIA H100 Tensor Core GPU datasheet"},
      // NVIDIA H100 datasheet (PCIe): 51 TFLOPS FP32, 2 TB/s HBM2e, 80 GB.
      {"h100-pcie", "NVIDIA H100 PCIe 80GB", DeviceKind::kGpu, 51 * kT, 2000 * kG, 80 * kGiB,
       "NVIDIA H100 Tensor Core GPU datasheet"},
      // NVIDIA T4 datasheet: 8.1 TFLOPS FP32, 320 GB/s GDDR6, 16 GB.
      {"t4", "NVIDIA T4 16GB", DeviceKind::kGpu, 8.1 * kT, 320 * kG, 16 * kGiB,
       "NVIDIA T4 Tensor Core GPU datasheet"},
      // NVIDIA L4 datasheet: 30.3 TFLOPS FP32, 300 GB/s GDDR6, 24 GB.
      {"l4", "NVIDIA L4 24GB", DeviceKind::kGpu, 30.3 * kT, 300 * kG, 24 * kGiB,
       "NVIDIA L4 Tensor Core GPU datasheet"},
      // NVIDIA A10 datasheet: 31.2 TFLOPS FP32, 600 GB/s GDDR6, 24 GB.
      {"a10", "NVIDIA A10 24GB", DeviceKind::kGpu, 31.2 * kT, 600 * kG, 24 * kGiB,
       "NVIDIA A10 Tensor Core GPU datasheet"},
      // NVIDIA GeForce RTX 2080 Ti specifications / Turing architecture
      // whitepaper: 4352 CUDA cores x 1545 MHz boost x 2 = 13.45 TFLOPS,
      // 616 GB/s (14 Gbps GDDR6, 352-bit), 11 GB.
      {"rtx-2080-ti", "NVIDIA GeForce RTX 2080 Ti", DeviceKind::kGpu, 13.45 * kT, 616 * kG, 11 * kGiB,
       "NVIDIA Turing GPU Architecture whitepaper (RTX 2080 Ti reference specs)"},
      // NVIDIA Ampere GA102 GPU architecture whitepaper: RTX 3090 10496 CUDA
      // cores x 1695 MHz boost x 2 = 35.6 TFLOPS, 936 GB/s (19.5 Gbps GDDR6X,
      // 384-bit), 24 GB.
      {"rtx-3090", "NVIDIA GeForce RTX 3090", DeviceKind::kGpu, 35.58 * kT, 936 * kG, 24 * kGiB,
       "NVIDIA Ampere GA102 GPU Architecture whitepaper"},
      // NVIDIA GeForce GTX 1080 Ti specifications: 3584 CUDA cores x 1582 MHz
      // boost x 2 = 11.34 TFLOPS, 484 GB/s (11 Gbps GDDR5X, 352-bit), 11 GB.
      {"gtx-1080-ti", "NVIDIA GeForce GTX 1080 Ti", DeviceKind::kGpu, 11.34 * kT, 484 * kG, 11 * kGiB,
       "NVIDIA GeForce GTX 1080 Ti product specifications (nvidia.com)"},
  });
  return kDevices;
}

const std::vector<LinkPreset>& LinkPresets() {
  static const std::vector<LinkPreset> kLinks = {
      // PCI-SIG PCI Express Base Specification 3.0: 8 GT/s per lane,
      // 128b/130b encoding: 16 x 8 x 128/130 / 8 = 15.75 GB/s per direction.
      {"pcie3", "PCIe 3.0 x16", 15.754 * kG, 10e-6, "PCI Express Base Specification Rev. 3.0 (PCI-SIG)"},
      // PCIe 4.0: 16 GT/s per lane -> 31.5 GB/s per direction.
      {"pcie4", "PCIe 4.0 x16", 31.508 * kG, 10e-6, "PCI Express Base Specification Rev. 4.0 (PCI-SIG)"},
      // PCIe 5.0: 32 GT/s per lane -> 63 GB/s per direction.
      {"pcie5", "PCIe 5.0 x16", 63.015 * kG, 10e-6, "PCI Express Base Specification Rev. 5.0 (PCI-SIG)"},
      // NVLink 2 (V100): 6 links x 25 GB/s per direction = 150 GB/s
      // (300 GB/s total, NVIDIA Tesla V100 datasheet).
      {"nvlink2", "NVLink 2.0 (V100, 6 links)", 150 * kG, 5e-6, "NVIDIA Tesla V100 GPU Accelerator datasheet"},
      // NVLink 3 (A100): 12 links, 600 GB/s total = 300 GB/s per direction
      // (NVIDIA A100 datasheet).
      {"nvlink3", "NVLink 3.0 (A100, 12 links)", 300 * kG, 5e-6, "NVIDIA A100 Tensor Core GPU datasheet"},
      // NVLink 4 (H100 SXM): 18 links, 900 GB/s total = 450 GB/s per
      // direction (NVIDIA H100 datasheet).
      {"nvlink4", "NVLink 4.0 (H100, 18 links)", 450 * kG, 5e-6, "NVIDIA H100 Tensor Core GPU datasheet"},
      // IEEE 802.3ae 10 Gb/s Ethernet: 1.25 GB/s; TCP stack latency.
      {"10gbe", "10 Gigabit Ethernet", 1.25 * kG, 50e-6, "IEEE Std 802.3ae-2002 (10GBASE)"},
      // IEEE 802.3by 25 Gb/s Ethernet: 3.125 GB/s.
      {"25gbe", "25 Gigabit Ethernet", 3.125 * kG, 20e-6, "IEEE Std 802.3by-2016 (25GBASE)"},
      // IEEE 802.3ba 100 Gb/s Ethernet: 12.5 GB/s; RDMA (RoCE) latency.
      {"100gbe", "100 Gigabit Ethernet", 12.5 * kG, 10e-6, "IEEE Std 802.3ba-2010 (100GBASE)"},
      // InfiniBand EDR 100 Gb/s (4x 25G): 12.5 GB/s.
      {"ib-edr", "InfiniBand EDR 4x (100 Gb/s)", 12.5 * kG, 3e-6,
       "InfiniBand Trade Association roadmap; NVIDIA ConnectX-5 datasheet"},
      // InfiniBand HDR 200 Gb/s (4x 50G): 25 GB/s.
      {"ib-hdr", "InfiniBand HDR 4x (200 Gb/s)", 25 * kG, 3e-6,
       "InfiniBand Trade Association roadmap; NVIDIA ConnectX-6 VPI datasheet"},
      // InfiniBand NDR 400 Gb/s (4x 100G): 50 GB/s.
      {"ib-ndr", "InfiniBand NDR 4x (400 Gb/s)", 50 * kG, 2e-6,
       "InfiniBand Trade Association roadmap; NVIDIA ConnectX-7 datasheet"},
  };
  return kLinks;
}

const CatalogueDevice* FindCatalogueDevice(std::string_view key) {
  const std::string k = Normalize(key);
  for (const auto& d : DeviceCatalogue())
    if (d.key == k) return &d;
  return nullptr;
}

const LinkPreset* FindLinkPreset(std::string_view key) {
  const std::string k = Normalize(key);
  for (const auto& l : LinkPresets())
    if (l.key == k) return &l;
  return nullptr;
}

Device MakeCatalogueDevice(const CatalogueDevice& entry, const std::string& name, const std::string& server) {
  Device d;
  d.name = name;
  d.type = entry.key;
  d.memory_bytes = entry.memory_bytes > 0 ? entry.memory_bytes : kUnlimited;
  d.peak_flops = entry.peak_flops;
  d.mem_bandwidth_Bps = entry.mem_bandwidth_Bps;
  d.server = server;
  return d;
}

Link MakeLink(const LinkPreset& preset) {
  Link l;
  l.bandwidth_Bps = preset.bandwidth_Bps;
  l.latency_s = preset.latency_s;
  return l;
}

int ApplyCatalogueDefaults(Platform& platform) {
  int changed = 0;
  for (Device& d : platform.devices) {
    const CatalogueDevice* c = FindCatalogueDevice(d.type);
    if (!c) continue;
    bool any = false;
    if (d.peak_flops <= 0) d.peak_flops = c->peak_flops, any = true;
    if (d.mem_bandwidth_Bps <= 0) d.mem_bandwidth_Bps = c->mem_bandwidth_Bps, any = true;
    if (!std::isfinite(d.memory_bytes) && c->memory_bytes > 0) d.memory_bytes = c->memory_bytes, any = true;
    changed += any;
  }
  return changed;
}

double PeakFlopsFor(const Device& device, std::string_view dtype) {
  const CatalogueDevice* c = FindCatalogueDevice(device.type);
  if (!c || device.peak_flops != c->peak_flops) return device.peak_flops;
  const double fp16 = c->fp16_flops > 0 ? c->fp16_flops : device.peak_flops;
  if (dtype == "fp16") return fp16;
  if (dtype == "bf16") return c->bf16_flops > 0 ? c->bf16_flops : device.peak_flops;
  if (dtype == "int8") return c->int8_ops > 0 ? c->int8_ops : fp16;
  return device.peak_flops;
}

Platform WithComputeDtype(const Platform& platform, std::string_view dtype) {
  Platform p = platform;
  for (Device& d : p.devices) d.peak_flops = PeakFlopsFor(d, dtype);
  return p;
}

}  // namespace diviml
