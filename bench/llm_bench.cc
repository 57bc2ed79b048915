// The LLM planner's speed (docs/llm.md): Llama-2-70B on 16 paper servers of
// 3 devices and on the mixed preset, both objectives, default settings.
// Counters: sub-problems solved and reused, servers used.
#include <benchmark/benchmark.h>

#include "diviml/cost/cost_model.h"
#include "diviml/io/io.h"
#include "diviml/solve/llm.h"

namespace diviml {
namespace {

void BM_LlmPlan(benchmark::State& state, const char* model, const char* platform, bool throughput) {
  Platform pl = LoadPlatform(platform);
  ApplyCatalogueDefaults(pl);
  LlmModel m{*FindLlmPreset(model), {}};
  m.workload.batch = 8;
  LlmPlanOptions o;
  o.throughput = throughput;
  LlmPlan p;
  for (auto _ : state) {
    p = PlanLlm(m, pl, o);
    benchmark::DoNotOptimize(p.value);
  }
  state.counters["solved"] = static_cast<double>(p.subproblems_solved);
  state.counters["reused"] = static_cast<double>(p.subproblems_reused);
  state.counters["servers"] = p.servers_used;
  state.counters["stages"] = static_cast<double>(p.stages.size());
}

BENCHMARK_CAPTURE(BM_LlmPlan, llama70b_paper16_latency, "llama-2-70b", "cluster:paper:16", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LlmPlan, llama70b_paper16_throughput, "llama-2-70b", "cluster:paper:16", true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LlmPlan, llama70b_mixed_latency, "llama-2-70b", "cluster:mixed", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LlmPlan, llama70b_mixed_throughput, "llama-2-70b", "cluster:mixed", true)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace diviml
