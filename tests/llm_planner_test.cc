// The LLM planner (include/diviml/solve/llm.h): equal to the flat MILP over
// every device of small clusters, never worse than the proportional
// baselines, its figures recomputed by EvaluateLlmPlan, its bound below the
// plan, sub-problems reused, and bad input as one-line errors.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <random>

#include "diviml/core/problem.h"
#include "diviml/cost/cost_model.h"
#include "diviml/io/io.h"
#include "diviml/platform/cluster.h"
#include "diviml/solve/llm.h"
#include "diviml/solve/milp.h"

namespace diviml {
namespace {

LlmModel Tiny(int layers, LlmPhase phase) {
  LlmModel m;
  m.config = {"tiny", "", 512, layers, 8, 8, 1376, 2000, 0, false, true, false, "fp16"};
  m.workload.batch = 1, m.workload.prompt = 64, m.workload.gen = 16, m.workload.phase = phase;
  return m;
}

// A server {cpu, gpu-a, gpu-b} (or {cpu, gpu-b}) whose GPUs hold about
// `gpu_layers` layers each, so plans must spread over devices and servers.
Platform Server(const LlmModel& m, double gpu_layers, bool big) {
  const double layer = LayerWork(m, LlmPhase::kPrefill).param_bytes + LayerWork(m, LlmPhase::kPrefill).memory_bytes;
  Platform p;
  p.name = big ? "big" : "small";
  p.devices.push_back({"cpu", "cpu-x", 1e12, 1.0e12, 60e9, ""});
  if (big) p.devices.push_back({"gpua", "gpu-a", gpu_layers * layer, 14e12, 600e9, ""});
  p.devices.push_back({"gpub", "gpu-b", gpu_layers * layer, 8e12, 300e9, ""});
  p.SetDefaultLink({15.7e9, 10e-6});
  return p;
}

struct Instance {
  int layers;
  LlmPhase phase;
  int big, small;  // servers of each type
  double gpu_layers;
};

TEST(LlmPlanner, EqualsTheFlatMilpOnSmallClusters) {
  // The flat MILP proves these in seconds; larger ones (12-16 layers with
  // tight memory) take it minutes (docs/llm.md).
  const Instance instances[] = {{8, LlmPhase::kPrefill, 2, 0, 2.5}, {6, LlmPhase::kDecode, 2, 0, 2.5},
                                {8, LlmPhase::kDecode, 2, 0, 5.5},
                                {6, LlmPhase::kPrefill, 1, 1, 2.5}, {8, LlmPhase::kDecode, 1, 1, 3.5},
                                {10, LlmPhase::kPrefill, 2, 0, 6.5}, {4, LlmPhase::kPrefill, 3, 0, 1.5}};
  int checked = 0;
  for (const Instance& in : instances) {
    const LlmModel m = Tiny(in.layers, in.phase);
    std::vector<ServerCount> types;
    if (in.big) types.push_back({Server(m, in.gpu_layers, true), in.big});
    if (in.small) types.push_back({Server(m, in.gpu_layers, false), in.small});
    const Platform pl = MakeMixedCluster(types, {1.25e9, 50e-6}, "test");
    LlmPlanOptions o;
    o.tensor_parallel = 1;  // the flat model has no tensor parallelism
    const auto t0 = std::chrono::steady_clock::now();
    const LlmPlan plan = PlanLlm(m, pl, o);
    const double planner_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    Graph g = BuildLlmGraph(m, in.phase);
    FillRooflineTimes(g, pl);
    std::string err;
    const Problem pr = Problem::Build(g, pl, &err, HostDevice(pl));
    ASSERT_TRUE(err.empty()) << err;
    SolveOptions so;
    so.time_limit_s = 60;
    const auto t1 = std::chrono::steady_clock::now();
    const SolveResult flat = MakeMilpSolver()->Solve(pr, so);
    const double milp_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    ASSERT_EQ(flat.status, SolveStatus::kOptimal) << flat.message;
    EXPECT_NEAR(plan.value / flat.makespan_s, 1, 1e-6)
        << "L=" << in.layers << " " << LlmPhaseName(in.phase) << " planner " << plan.value << " milp "
        << flat.makespan_s;
    EXPECT_LE(plan.lower_bound, plan.value * (1 + 1e-9));
    std::cout << "[flat-vs-llm] L=" << in.layers << " phase=" << LlmPhaseName(in.phase) << " servers=" << in.big
              << "+" << in.small << " devices=" << pl.num_devices() << " optimum=" << plan.value
              << " planner_s=" << planner_s << " milp_s=" << milp_s << " ratio=" << milp_s / planner_s
              << " stages=" << plan.stages.size() << "\n";
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

// The lower bound is valid for every plan of the cost model, contiguous or
// not: on random small clusters (random device speeds, memories and link
// bandwidth) it never exceeds the flat MILP's proven optimum over all
// devices, and the planner is never below that optimum (equal on most).
TEST(LlmPlanner, BoundNeverAboveTheFlatOptimumOnRandomInstances) {
  std::mt19937 rng(20261201);
  auto uni = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  int checked = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const int layers = 3 + static_cast<int>(rng() % 4);  // 3..6
    const LlmPhase phase = trial % 2 ? LlmPhase::kDecode : LlmPhase::kPrefill;
    const LlmModel m = Tiny(layers, phase);
    const double layer = LayerWork(m, LlmPhase::kPrefill).param_bytes + LayerWork(m, LlmPhase::kPrefill).memory_bytes;
    Platform s;
    s.name = "rand";
    s.devices.push_back({"cpu", "cpu-r", 1e12, uni(0.3e12, 2e12), uni(30e9, 100e9), ""});
    s.devices.push_back({"g1", "gpu-r1", uni(1.2, 4) * layer, uni(4e12, 20e12), uni(200e9, 900e9), ""});
    s.devices.push_back({"g2", "gpu-r2", uni(1.2, 4) * layer, uni(4e12, 20e12), uni(200e9, 900e9), ""});
    s.SetDefaultLink({uni(8e9, 32e9), 10e-6});
    const Platform pl = MakeMixedCluster({{s, 2}}, {uni(1e9, 12.5e9), uni(5e-6, 50e-6)}, "rand");
    LlmPlanOptions o;
    o.tensor_parallel = 1;
    const LlmPlan plan = PlanLlm(m, pl, o);
    Graph g = BuildLlmGraph(m, phase);
    FillRooflineTimes(g, pl);
    std::string err;
    const Problem pr = Problem::Build(g, pl, &err, HostDevice(pl));
    ASSERT_TRUE(err.empty()) << err;
    SolveOptions so;
    so.time_limit_s = 60;
    const SolveResult flat = MakeMilpSolver()->Solve(pr, so);
    ASSERT_EQ(flat.status, SolveStatus::kOptimal) << flat.message;
    EXPECT_LE(plan.lower_bound, flat.makespan_s * (1 + 1e-9)) << "trial " << trial;
    EXPECT_GT(plan.lower_bound, 0) << "trial " << trial;
    std::string flat_map, dp_map;
    for (size_t v = 0; v < flat.plan.device.size(); ++v) flat_map += " " + pl.devices[flat.plan.device[v]].name;
    for (const LlmStage& st : plan.stages)
      for (const LlmBlock& b : st.blocks)
        dp_map += fmt::format(" {}:{}{}{}", pl.devices[b.device].name, b.layers, b.embed ? "+e" : "", b.head ? "+h" : "");
    // The flat MILP searches a superset (it may send the head back to a
    // device used earlier in the stage, which no runtime here runs, see
    // docs/llm.md): the planner is never below it.
    EXPECT_GE(plan.value, flat.makespan_s * (1 - 1e-6)) << "trial " << trial << " flat" << flat_map << " | dp" << dp_map;
    std::cout << "[bound-vs-flat] trial=" << trial << " L=" << layers << " bound=" << plan.lower_bound
              << " optimum=" << flat.makespan_s << " bound/optimum=" << plan.lower_bound / flat.makespan_s
              << " planner/optimum=" << plan.value / flat.makespan_s << " flat" << flat_map << " | dp" << dp_map << "\n";
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST(LlmPlanner, NeverWorseThanTheProportionalBaselines) {
  for (const char* platform : {"cluster:paper:4", "cluster:mixed"})
    for (const char* model : {"llama-2-7b", "llama-2-13b", "mistral-7b"})
      for (bool throughput : {false, true}) {
        const Platform pl = LoadPlatform(platform);
        LlmModel m{*FindLlmPreset(model), {}};
        m.workload.batch = 8;
        LlmPlanOptions o;
        o.throughput = throughput;
        const LlmPlan dp = PlanLlm(m, pl, o);
        EXPECT_LE(dp.lower_bound, dp.value * (1 + 1e-9)) << model << platform;
        for (const char* strategy : {"memory", "flops"}) {
          o.strategy = strategy;
          const LlmPlan base = PlanLlm(m, pl, o);
          if (throughput)
            EXPECT_GE(dp.tokens_per_s, base.tokens_per_s * (1 - 1e-9)) << model << platform << strategy;
          else
            EXPECT_LE(dp.value, base.value * (1 + 1e-9)) << model << platform << strategy;
        }
        o.strategy = "dp";
      }
}

TEST(LlmPlanner, FiguresRecomputeAndSubproblemsAreReused) {
  const Platform pl = LoadPlatform("cluster:paper:16");
  LlmModel m{*FindLlmPreset("llama-2-70b"), {}};
  for (bool throughput : {false, true}) {
    LlmPlanOptions o;
    o.throughput = throughput;
    const LlmPlan p = PlanLlm(m, pl, o);
    LlmPlan copy = p;
    EvaluateLlmPlan(m, pl, &copy);
    EXPECT_NEAR(copy.value / p.value, 1, 1e-9);
    EXPECT_TRUE(copy.message.empty()) << copy.message;  // memory holds
    int layers = 0;
    for (const LlmStage& st : p.stages) {
      EXPECT_EQ(st.first_layer, layers);
      layers += st.num_layers;
    }
    EXPECT_EQ(layers, 80);
    EXPECT_GT(p.subproblems_reused, p.subproblems_solved);
    EXPECT_GE(p.servers_used, p.min_servers);
    EXPECT_FALSE(p.servers_reason.empty());
  }
}

TEST(LlmPlanner, MaxServersAndTargets) {
  const Platform pl = LoadPlatform("cluster:mixed");
  LlmModel m{*FindLlmPreset("llama-2-70b"), {}};
  m.workload.batch = 4;
  LlmPlanOptions o;
  o.max_servers = 2;
  const LlmPlan two = PlanLlm(m, pl, o);
  EXPECT_LE(two.servers_used, 2);
  o.max_servers = 0;
  o.target = "vllm";
  const LlmPlan v = PlanLlm(m, pl, o);
  int tp = v.stages.front().tp;
  for (const LlmStage& st : v.stages) {
    EXPECT_EQ(st.tp, tp);
    for (const LlmBlock& b : st.blocks) EXPECT_EQ(KindOf(pl.devices[b.device], {}), DeviceKind::kGpu);
  }
  EXPECT_FALSE(v.restriction_note.empty());
  EXPECT_GE(v.value, v.unrestricted_value * (1 - 1e-9));  // a restriction never helps
  o.target = "llamacpp";
  for (const LlmStage& st : PlanLlm(m, pl, o).stages) EXPECT_EQ(st.tp, 1);
}

// Operator granularity searches a superset of the layer plans (the
// attention / MLP split of a stage is one more candidate): never worse, and
// its bound stays below its plan.
TEST(LlmPlanner, OperatorGranularityIsNeverWorse) {
  for (const char* platform : {"cluster:paper:4", "cluster:mixed"})
    for (bool throughput : {false, true}) {
      const Platform pl = LoadPlatform(platform);
      LlmModel m{*FindLlmPreset("llama-2-13b"), {}};
      m.workload.batch = 8;
      LlmPlanOptions o;
      o.throughput = throughput;
      const LlmPlan layer = PlanLlm(m, pl, o);
      o.granularity = "operator";
      const LlmPlan op = PlanLlm(m, pl, o);
      if (throughput)
        EXPECT_GE(op.tokens_per_s, layer.tokens_per_s * (1 - 1e-9)) << platform;
      else
        EXPECT_LE(op.value, layer.value * (1 + 1e-9)) << platform;
      EXPECT_LE(op.lower_bound, op.value * (1 + 1e-9)) << platform;
      LlmPlan copy = op;
      EvaluateLlmPlan(m, pl, &copy);
      EXPECT_NEAR(copy.value / op.value, 1, 1e-9) << platform;
      o.target = "vllm";
      EXPECT_THROW(PlanLlm(m, pl, o), InputError);  // runtimes run whole layers
    }
}

std::string Error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(LlmPlanner, BadInputIsOneLine) {
  LlmModel m{*FindLlmPreset("llama-2-70b"), {}};
  LlmPlanOptions o;
  o.target = "vllm";
  // 70B in fp16 (138 GB) on the two 11 GB GPUs of one paper server.
  const std::string fit = Error([&] { PlanLlm(m, LoadPlatform("cluster:paper:1"), o); });
  EXPECT_NE(fit.find("does not fit"), std::string::npos) << fit;
  EXPECT_NE(fit.find("missing"), std::string::npos) << fit;
  EXPECT_NE(fit.find("GPUs only"), std::string::npos) << fit;
  EXPECT_EQ(fit.find('\n'), std::string::npos);
  Platform cpu;
  cpu.name = "cpus";
  cpu.devices.push_back(MakeCatalogueDevice(*FindCatalogueDevice("xeon-gold-6130"), "cpu"));
  cpu.SetDefaultLink({15e9, 1e-5});
  const std::string v = Error([&] { PlanLlm(m, MakeCluster(cpu, 2, {12.5e9, 1e-5}), o); });
  EXPECT_NE(v.find("--target vllm"), std::string::npos) << v;
  EXPECT_NE(v.find("no GPU"), std::string::npos) << v;
  LlmModel zero = m;
  zero.config.layers = 0;
  EXPECT_NE(Error([&] { PlanLlm(zero, LoadPlatform("cluster:paper:2"), {}); }).find("must be positive"),
            std::string::npos);
  o.target = "llamacpp";
  o.tensor_parallel = 2;
  EXPECT_NE(Error([&] { PlanLlm(m, LoadPlatform("cluster:paper:2"), o); }).find("splits layers only"),
            std::string::npos);
}

}  // namespace
}  // namespace diviml
