// The exact latency MILP on both backends: solve time, final gap and the
// fraction proven optimal, on the STG set (m = 2, 4, 8, free transfers,
// against known.csv) and on random heterogeneous DAGs of 20, 40, 60 and 100
// nodes on 3 devices with per-pair links.
//
// Each benchmark solves its whole instance set once (one iteration) and
// reports counters: solved (fraction proven optimal; for STG: at the
// known.csv value), median_s (median solve time), median_gap and max_gap
// (relative, (makespan - bound) / makespan), wrong (claimed optima that
// differ from known.csv: must be 0). Environment:
//   DIVIML_BENCH_TIME_LIMIT  seconds per instance (default 10)
//   DIVIML_BENCH_STG_COUNT   STG graphs rand0000.. to use (default 60)
//   DIVIML_BENCH_RANDOM_COUNT random DAGs per size (default 5)
// Example (the full sweep takes up to 2 x 179 x 10 s worst case, far less
// in practice):
//   build/diviml_bench --benchmark_filter=Milp
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"
#include "diviml/solve/milp.h"
#include "milp/backend.h"

namespace diviml {
namespace {

double EnvDouble(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v ? std::atof(v) : fallback;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t k = v.size() / 2;
  return v.size() % 2 ? v[k] : 0.5 * (v[k - 1] + v[k]);
}

bool HaveBackend(const std::string& b) {
  for (const auto& n : milp::AvailableBackends())
    if (n == b) return true;
  return false;
}

struct Tally {
  std::vector<double> times, gaps;
  int solved = 0, total = 0, wrong = 0, invalid = 0;
  void Report(benchmark::State& state) const {
    state.counters["instances"] = total;
    state.counters["solved"] = total ? static_cast<double>(solved) / total : 0;
    state.counters["median_s"] = Median(times);
    state.counters["median_gap"] = Median(gaps);
    state.counters["max_gap"] = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
    state.counters["wrong"] = wrong;
    state.counters["invalid"] = invalid;
  }
};

void Record(const Problem& pr, const SolveResult& r, Tally* t) {
  Evaluation ev = Evaluate(pr, r.plan);
  if (!ev.valid || std::fabs(ev.makespan_s - r.makespan_s) > 1e-6) ++t->invalid;
  ++t->total;
  t->times.push_back(r.solve_time_s);
  t->gaps.push_back(r.makespan_s > 0 ? (r.makespan_s - r.lower_bound_s) / r.makespan_s : 0);
}

void BM_MilpStg(benchmark::State& state, std::string backend) {
  if (!HaveBackend(backend)) {
    state.SkipWithError((backend + " not built in").c_str());
    return;
  }
  const std::string dir = std::string(DIVIML_SOURCE_DIR) + "/tests/data/stg50";
  const double limit = EnvDouble("DIVIML_BENCH_TIME_LIMIT", 10);
  const int count = static_cast<int>(EnvDouble("DIVIML_BENCH_STG_COUNT", 60));
  const int m = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Tally t;
    std::ifstream in(dir + "/known.csv");
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream ss(line);
      std::string x;
      while (std::getline(ss, x, ',')) f.push_back(x);
      if (f.size() < 3 || std::stoi(f[1]) != m) continue;
      if (std::atoi(f[0].c_str() + 4) >= count) continue;
      const double lo = std::stod(f[2]), hi = f.size() > 3 ? std::stod(f[3]) : lo;
      std::string err;
      Problem pr = Problem::Build(LoadGraph(dir + "/" + f[0]), Platform::Identical(m), &err);
      SolveOptions so;
      so.milp_backend = backend;
      so.time_limit_s = limit;
      SolveResult r = MakeMilpSolver()->Solve(pr, so);
      Record(pr, r, &t);
      const bool optimal = r.status == SolveStatus::kOptimal;
      if (optimal && (r.makespan_s < lo - 1e-6 || r.makespan_s > hi + 1e-6)) ++t.wrong;
      if (r.lower_bound_s > hi + 1e-6) ++t.wrong;
      if (lo == hi) {
        if (optimal && std::fabs(r.makespan_s - lo) < 1e-6) ++t.solved;
      } else {
        --t.total;  // only instances with a known optimum count
        t.times.pop_back();
        t.gaps.pop_back();
      }
    }
    t.Report(state);
  }
}

void BM_MilpRandom(benchmark::State& state, std::string backend) {
  if (!HaveBackend(backend)) {
    state.SkipWithError((backend + " not built in").c_str());
    return;
  }
  const double limit = EnvDouble("DIVIML_BENCH_TIME_LIMIT", 10);
  const int count = static_cast<int>(EnvDouble("DIVIML_BENCH_RANDOM_COUNT", 5));
  const int nodes = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Tally t;
    for (int k = 0; k < count; ++k) {
      RandomDagOptions o;
      o.nodes = nodes;
      o.seed = 100 + k;
      o.max_span = 10;
      std::string err;
      Problem pr = Problem::Build(RandomDag(o, 3), RandomPlatform(3, 5, 4, 200 + k), &err);
      SolveOptions so;
      so.milp_backend = backend;
      so.time_limit_s = limit;
      SolveResult r = MakeMilpSolver()->Solve(pr, so);
      Record(pr, r, &t);
      if (r.status == SolveStatus::kOptimal) ++t.solved;
    }
    t.Report(state);
  }
}

BENCHMARK_CAPTURE(BM_MilpStg, highs, std::string("highs"))->Arg(2)->Arg(4)->Arg(8)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_MilpStg, cbc, std::string("cbc"))->Arg(2)->Arg(4)->Arg(8)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_MilpRandom, highs, std::string("highs"))->Arg(20)->Arg(40)->Arg(60)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_MilpRandom, cbc, std::string("cbc"))->Arg(20)->Arg(40)->Arg(60)->Arg(100)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace diviml
