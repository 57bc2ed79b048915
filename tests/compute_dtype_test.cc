// Per-dtype peaks of the device catalogue (PeakFlopsFor, WithComputeDtype)
// and the compute dtype of an LLM workload: tensor-core figures for the LLM
// planner, FP32 everywhere else.
#include <gtest/gtest.h>

#include "diviml/cost/cost_model.h"
#include "diviml/gen/llm.h"
#include "diviml/io/io.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/llm.h"

namespace diviml {
namespace {

Device Catalogue(const char* key) { return MakeCatalogueDevice(*FindCatalogueDevice(key), key); }

TEST(ComputeDtype, TensorCorePeaksFromTheCatalogue) {
  const Device a100 = Catalogue("a100-80gb");
  EXPECT_EQ(PeakFlopsFor(a100, "fp32"), 19.5e12);
  EXPECT_EQ(PeakFlopsFor(a100, "fp16"), 312e12);
  EXPECT_EQ(PeakFlopsFor(a100, "bf16"), 312e12);
  EXPECT_EQ(PeakFlopsFor(a100, "int8"), 624e12);
  const Device t4 = Catalogue("t4");
  EXPECT_EQ(PeakFlopsFor(t4, "fp16"), 65e12);
  EXPECT_EQ(PeakFlopsFor(t4, "bf16"), t4.peak_flops);  // no BF16 tensor cores: FP32 rate
  const Device v100 = Catalogue("v100");
  EXPECT_EQ(PeakFlopsFor(v100, "int8"), 125e12);  // no INT8 tensor cores: the FP16 rate
  const Device cpu = Catalogue("xeon-platinum-8380");
  EXPECT_EQ(PeakFlopsFor(cpu, "fp16"), cpu.peak_flops);
  EXPECT_EQ(PeakFlopsFor(Catalogue("gtx-1080-ti"), "fp16"), Catalogue("gtx-1080-ti").peak_flops);
  Device given = a100;
  given.peak_flops = 100e12;  // a figure of the platform file wins
  EXPECT_EQ(PeakFlopsFor(given, "fp16"), 100e12);
  Device other = a100;
  other.type = "my-gpu";
  EXPECT_EQ(PeakFlopsFor(other, "fp16"), a100.peak_flops);
  // Every published tensor peak is at least the FP32 one.
  for (const CatalogueDevice& c : DeviceCatalogue())
    for (double x : {c.fp16_flops, c.bf16_flops, c.int8_ops})
      if (x > 0) EXPECT_GE(x, c.peak_flops) << c.key;
}

TEST(ComputeDtype, WithComputeDtypeLeavesThePlatformAlone) {
  const Platform pl = LoadPlatform("cluster:mixed");
  const Platform fp16 = WithComputeDtype(pl, "fp16");
  ASSERT_EQ(fp16.num_devices(), pl.num_devices());
  bool faster = false;
  for (int d = 0; d < pl.num_devices(); ++d) {
    EXPECT_GE(fp16.devices[d].peak_flops, pl.devices[d].peak_flops);
    faster = faster || fp16.devices[d].peak_flops > pl.devices[d].peak_flops;
    EXPECT_EQ(fp16.devices[d].memory_bytes, pl.devices[d].memory_bytes);
  }
  EXPECT_TRUE(faster);
  EXPECT_EQ(pl.devices[1].peak_flops, 19.5e12);  // the input is unchanged (FP32)
}

TEST(ComputeDtype, OfTheWorkloadAndInThePlanner) {
  LlmModel m{*FindLlmPreset("llama-2-7b"), {}};
  EXPECT_EQ(m.compute_dtype(), "fp16");
  m.workload.dtype = "int8";
  EXPECT_EQ(m.compute_dtype(), "int8");
  m.workload.dtype = "int4";
  EXPECT_EQ(m.compute_dtype(), "fp16");
  m.config.dtype = "bf16";
  EXPECT_EQ(m.compute_dtype(), "bf16");
  m.workload.dtype = "fp32";
  EXPECT_EQ(m.compute_dtype(), "fp32");

  // Prefill is compute bound: on one A100 its time follows the fp16
  // tensor-core peak, not the FP32 one (a roofline time at 312 TFLOP/s
  // cannot be above flops / (19.5 TFLOP/s x efficiency) / 10).
  LlmModel p{*FindLlmPreset("llama-2-7b"), {}};
  p.workload.batch = 8, p.workload.prompt = 1024, p.workload.phase = LlmPhase::kPrefill;
  const Platform pl = LoadPlatform("cluster:mixed");
  LlmPlanOptions o;
  o.max_servers = 1;
  const LlmPlan plan = PlanLlm(p, pl, o);
  const double flops = p.config.layers * LayerFlops(p, LlmPhase::kPrefill);
  EXPECT_LT(plan.ttft_s, flops / 19.5e12 / 5) << plan.ttft_s;
  EXPECT_GT(plan.ttft_s, flops / 312e12) << plan.ttft_s;
  EXPECT_LE(plan.lower_bound, plan.value * (1 + 1e-9));
}

// The flat solvers on an llm: graph see the same dtype peaks (LoadProblem);
// a zoo graph keeps FP32.
TEST(ComputeDtype, LoadProblemTimesLlmGraphsAtTheirDtype) {
  auto layer_time = [](const std::string& graph) {
    Inputs in;
    in.graph = graph;
    in.platform = "cluster:mixed";
    const Problem pr = LoadProblem(in);
    const int a100 = pr.platform().FindDevice("s0.a100");
    return pr.p(1, a100);  // node 1 = layer0
  };
  const double fp16 = layer_time("llm:llama-2-7b,batch=8,prompt=1024,phase=prefill");
  const double fp32 = layer_time("llm:llama-2-7b,batch=8,prompt=1024,phase=prefill,dtype=fp32");
  EXPECT_GT(fp32 / fp16, 5) << fp16 << " " << fp32;
  Inputs z;
  z.graph = "zoo:resnet18";
  z.platform = "cluster:mixed";
  const Problem zp = LoadProblem(z);
  EXPECT_EQ(zp.platform().devices[1].peak_flops, 19.5e12);
}

}  // namespace
}  // namespace diviml
