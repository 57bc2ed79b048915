// Google Benchmark of the list-scheduling heuristics (HEFT, PEFT, and a few
// tries of rls) on deep random DAGs: 100, 1,000 and 10,000 nodes, mean
// out-degree 2.5 towards the next 50 nodes, on 3 and 16 devices with random
// links. The Problem is built once per case; a measured iteration is one
// Solve (ranks, schedule and the filled SolveResult).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "diviml/gen/random_dag.h"
#include "diviml/solve/heuristics.h"
#include "diviml/core/problem.h"

namespace diviml {
namespace {

Problem MakeProblem(int nodes, int devices) {
  RandomDagOptions o;
  o.nodes = nodes;
  o.mean_out_degree = 2.5;
  o.max_span = 50;
  o.min_time = 1;
  o.max_time = 100;
  o.min_bytes = 0;
  o.max_bytes = 200;
  o.seed = 12345;
  std::string err;
  Problem pr = Problem::Build(RandomDag(o, devices), RandomPlatform(devices, 5, 20, 777), &err);
  if (!err.empty()) throw std::runtime_error(err);
  return pr;
}

void Run(benchmark::State& state, Solver& solver) {
  const Problem pr = MakeProblem(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  SolveOptions opt;
  double makespan = 0;
  for (auto _ : state) {
    SolveResult r = solver.Solve(pr, opt);
    makespan = r.makespan_s;
    benchmark::DoNotOptimize(r);
  }
  state.counters["makespan"] = makespan;
  state.counters["edges"] = pr.graph().num_edges();
  state.SetItemsProcessed(state.iterations() * pr.n());
}

void BM_Heft(benchmark::State& state) {
  auto s = MakeHeftSolver();
  Run(state, *s);
}
void BM_Peft(benchmark::State& state) {
  auto s = MakePeftSolver();
  Run(state, *s);
}
void BM_Cpop(benchmark::State& state) {
  auto s = MakeCpopSolver();
  Run(state, *s);
}
void BM_Etf(benchmark::State& state) {
  auto s = MakeEtfSolver();
  Run(state, *s);
}
void BM_Rls10(benchmark::State& state) {
  RandomListOptions o;
  o.max_tries = 10;
  auto s = MakeRandomListSolver(o);
  Run(state, *s);
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int n : {100, 1000, 10000})
    for (int m : {3, 16}) b->Args({n, m});
  b->ArgNames({"nodes", "devices"})->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_Heft)->Apply(Sizes);
BENCHMARK(BM_Peft)->Apply(Sizes);
BENCHMARK(BM_Cpop)->Apply(Sizes);
BENCHMARK(BM_Etf)->Apply(Sizes);
BENCHMARK(BM_Rls10)->Apply(Sizes);

}  // namespace
}  // namespace diviml
