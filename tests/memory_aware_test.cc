// Memory-aware list schedulers (issue 15): on models larger than any one
// device HEFT, PEFT, CPOP, ETF and rls skip full devices and return valid
// plans; `single` finds no single-device plan and says how many bytes miss
// where; a model larger than all devices together is proven infeasible and
// exits non-zero; unlimited memory leaves every heuristic's plan unchanged.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/registry.h"

namespace diviml {
namespace {

const char* const kListSolvers[] = {"heft", "peft", "cpop", "etf", "rls"};

// A layered random DAG (widths 1..4) whose nodes carry random weights
// (1..100 bytes) and workspaces (0..20 bytes); `devices` devices of
// different speeds, each holding `capacity_share` of the total weights
// (plus the largest workspace), so no single device holds the model when
// capacity_share < 1.
Problem MemoryProblem(int n, int devices, double capacity_share, uint32_t seed) {
  std::mt19937 rng(seed);
  Graph g;
  g.name = "mem-random";
  double total = 0, work = 0;
  std::vector<int> prev;
  int made = 0;
  while (made < n) {
    const int width = std::min<int>(n - made, 1 + rng() % 4);
    std::vector<int> layer;
    for (int k = 0; k < width; ++k, ++made) {
      Node nd;
      nd.id = "v" + std::to_string(made);
      nd.param_bytes = 1 + rng() % 100;
      nd.memory_bytes = rng() % 21;
      total += nd.param_bytes;
      work = std::max(work, nd.memory_bytes);
      for (int d = 0; d < devices; ++d) nd.time_s["d" + std::to_string(d)] = (1 + rng() % 10) * (d + 1);
      const int v = g.AddNode(nd);
      for (int u : prev)
        if (rng() % 2 == 0 || u == prev.front()) g.AddEdge(u, v, 1 + rng() % 5);
      layer.push_back(v);
    }
    prev = layer;
  }
  Platform p;
  p.name = "mem";
  for (int d = 0; d < devices; ++d) {
    Device dev{"d" + std::to_string(d), "d" + std::to_string(d)};
    dev.memory_bytes = capacity_share * total + work;
    p.devices.push_back(dev);
  }
  p.SetDefaultLink(Link{10.0, 0.1});
  std::string err;
  Problem pr = Problem::Build(std::move(g), std::move(p), &err);
  EXPECT_EQ(err, "");
  return pr;
}

double TotalWeights(const Problem& pr) {
  double t = 0;
  for (const Node& nd : pr.graph().nodes) t += nd.param_bytes;
  return t;
}

TEST(MemoryAware, ListSchedulersFitAModelLargerThanAnyDevice) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    // Four devices, each 40% of the weights: 160% in all, so a greedy
    // assignment always finds room (every node is at most 100 bytes).
    const Problem pr = MemoryProblem(60, 4, 0.4, seed);
    ASSERT_GT(TotalWeights(pr), pr.platform().devices[0].memory_bytes);
    for (const char* name : kListSolvers) {
      SolveOptions so;
      so.seed = seed;
      const SolveResult r = MakeSolver(name)->Solve(pr, so);
      ASSERT_EQ(r.plan.device.size(), static_cast<size_t>(pr.n())) << name;
      const Evaluation ev = Evaluate(pr, r.plan);
      EXPECT_TRUE(ev.valid) << name << " seed " << seed << ": "
                            << (ev.violations.empty() ? "" : ev.violations.front()) << " / " << r.message;
      EXPECT_TRUE(HasPlan(r.status)) << name << ": " << r.message;
      if (ev.valid) EXPECT_DOUBLE_EQ(ev.makespan_s, r.makespan_s) << name;
    }
  }
}

TEST(MemoryAware, UnlimitedMemoryChangesNoPlan) {
  // With capacities at infinity the ledger accepts every device, so the
  // plans equal those with capacities so large that nothing binds.
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    const Problem pr = MemoryProblem(40, 3, 1e9, seed);
    Graph g = pr.graph();
    Platform p = pr.platform();
    for (Device& d : p.devices) d.memory_bytes = kUnlimited;
    std::string err;
    const Problem unlimited = Problem::Build(std::move(g), std::move(p), &err);
    ASSERT_EQ(err, "");
    for (const char* name : kListSolvers) {
      const SolveResult a = MakeSolver(name)->Solve(pr, {});
      const SolveResult b = MakeSolver(name)->Solve(unlimited, {});
      EXPECT_EQ(a.plan.device, b.plan.device) << name;
      EXPECT_EQ(a.plan.order, b.plan.order) << name;
    }
  }
}

TEST(MemoryAware, SingleSaysWhichDeviceMissesHowMuch) {
  const Problem pr = MemoryProblem(30, 3, 0.5, 7);
  const SolveResult r = MakeSolver("single")->Solve(pr, {});
  EXPECT_TRUE(r.plan.device.empty());
  EXPECT_EQ(r.status, SolveStatus::kNoSolutionFound) << r.message;  // several devices may hold it
  for (const Device& d : pr.platform().devices)
    EXPECT_NE(r.message.find("'" + d.name + "' misses"), std::string::npos) << r.message;
  // A device that holds the model is used.
  const Problem fits = MemoryProblem(30, 3, 1.0, 7);
  const SolveResult ok = MakeSolver("single")->Solve(fits, {});
  ASSERT_TRUE(HasPlan(ok.status)) << ok.message;
  EXPECT_TRUE(Evaluate(fits, ok.plan).valid);
}

TEST(MemoryAware, ModelLargerThanAllDevicesIsProvenInfeasible) {
  // Three devices of 20% each: 60% of the weights fit in all.
  const Problem pr = MemoryProblem(50, 3, 0.2, 3);
  const SolveResult s = MakeSolver("single")->Solve(pr, {});
  EXPECT_EQ(s.status, SolveStatus::kInfeasible) << s.message;
  EXPECT_NE(s.message.find("bytes miss"), std::string::npos) << s.message;
  for (const char* name : {"single", "heft", "peft", "cpop", "etf", "rls", "split"}) {
    Request req;
    req.solver = name;
    req.options.time_limit_s = 5;
    const Result r = Solve(pr, req);
    EXPECT_FALSE(r.has_plan()) << name;
    EXPECT_EQ(r.status, SolveStatus::kInfeasible) << name << ": " << r.message;
    EXPECT_NE(r.message.find("bytes miss"), std::string::npos) << name << ": " << r.message;
    EXPECT_NE(ExitCode(r, false), 0) << name;
  }
}

TEST(MemoryAware, HeuristicSaysWhenNoDeviceCanHoldANode) {
  // Capacities 45% each on two devices: every node fits alone, but the
  // greedy runs out and its message says where (the pipeline then proves
  // the whole infeasible from the total).
  const Problem pr = MemoryProblem(40, 2, 0.45, 5);
  for (const char* name : kListSolvers) {
    const SolveResult r = MakeSolver(name)->Solve(pr, {});
    EXPECT_EQ(r.status, SolveStatus::kNoSolutionFound) << name;
    EXPECT_NE(r.message.find("no device can hold node"), std::string::npos) << name << ": " << r.message;
    EXPECT_NE(r.message.find("placed over capacity"), std::string::npos) << name << ": " << r.message;
    Request req;
    req.solver = name;
    const Result p = Solve(pr, req);
    EXPECT_FALSE(p.has_plan()) << name;
    EXPECT_EQ(ExitCode(p, false), 2) << name;
  }
}

}  // namespace
}  // namespace diviml
