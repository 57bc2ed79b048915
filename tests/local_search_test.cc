// The split solver's local search (src/solve/split/local_search.h): from
// HEFT's plan on random DAGs with pins and memory capacities, the result is
// valid, never worse than the start and never below the brute-force
// optimum; it improves some starts; with a try limit it is deterministic.
#include <gtest/gtest.h>

#include <string>

#include "brute_force.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/heuristics.h"
#include "solve/split/local_search.h"

namespace diviml {
namespace {

// 30 nodes on 3 devices, every fifth instance with a pin, and memory that
// holds only about 40% of all weights on any one device.
Problem Instance(uint64_t seed) {
  RandomDagOptions o;
  o.nodes = 30;
  o.mean_out_degree = 2.0;
  o.max_span = 8;
  o.seed = seed;
  Graph g = RandomDag(o, 3);
  double total = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    g.nodes[i].param_bytes = 10 + static_cast<double>((i * 7 + seed) % 13);
    total += g.nodes[i].param_bytes;
  }
  if (seed % 5 == 0) g.nodes[seed % g.nodes.size()].pin = "D2";
  Platform p = RandomPlatform(3, 2, 3, seed);
  for (auto& d : p.devices) d.memory_bytes = 0.4 * total;
  std::string err;
  Problem pr = Problem::Build(g, p, &err);
  EXPECT_EQ(err, "");
  return pr;
}

// LocalSearch from *plan (valid) with its Evaluate() schedule; checks that
// the schedule and makespan it hands back are the evaluator's of the plan.
split::LocalSearchStats Search(const Problem& pr, Plan* plan, uint64_t seed, long long tries) {
  Evaluation ev = Evaluate(pr, *plan);
  EXPECT_TRUE(ev.valid);
  double makespan = ev.makespan_s;
  const split::LocalSearchStats st = split::LocalSearch(pr, plan, &ev.schedule, &makespan, 60, seed, tries);
  const Evaluation after = Evaluate(pr, *plan);
  EXPECT_DOUBLE_EQ(makespan, after.makespan_s);
  EXPECT_EQ(ev.schedule.start_s, after.schedule.start_s);
  return st;
}

TEST(SplitLocalSearch, ValidNeverWorseAndImprovesSome) {
  int improved = 0, runs = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    Problem pr = Instance(seed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    SolveOptions so;
    SolveResult start = MakeSolver("heft")->Solve(pr, so);
    const Evaluation ev0 = Evaluate(pr, start.plan);
    if (!ev0.valid) continue;  // HEFT ignores memory; LocalSearch needs a valid start
    Plan plan = start.plan;
    const split::LocalSearchStats st = Search(pr, &plan, seed, 20000);
    const Evaluation ev = Evaluate(pr, plan);
    ASSERT_TRUE(ev.valid) << (ev.violations.empty() ? "" : ev.violations.front());
    EXPECT_DOUBLE_EQ(st.before_s, ev0.makespan_s);
    EXPECT_DOUBLE_EQ(st.after_s, ev.makespan_s);
    EXPECT_LE(ev.makespan_s, ev0.makespan_s);
    EXPECT_EQ(st.tries, 20000);
    if (pr.fixed_device(static_cast<int>(seed % pr.n())) >= 0)
      EXPECT_EQ(plan.device[seed % pr.n()], pr.fixed_device(static_cast<int>(seed % pr.n())));
    if (ev.makespan_s < ev0.makespan_s * (1 - 1e-9)) ++improved;
    ++runs;
  }
  EXPECT_GE(runs, 6);
  EXPECT_GE(improved, runs / 2);
}

TEST(SplitLocalSearch, DeterministicForATryLimit) {
  Problem pr = Instance(3);
  SolveOptions so;
  const Plan start = MakeSolver("peft")->Solve(pr, so).plan;
  ASSERT_TRUE(Evaluate(pr, start).valid);  // LocalSearch needs a valid start
  Plan a = start, b = start, c = start;
  const split::LocalSearchStats sa = Search(pr, &a, 7, 5000);
  const split::LocalSearchStats sb = Search(pr, &b, 7, 5000);
  Search(pr, &c, 8, 5000);
  EXPECT_GT(sa.improved, 0);  // the runs moved, so equal plans mean something
  EXPECT_EQ(sa.accepted, sb.accepted);
  EXPECT_EQ(a.device, b.device);
  EXPECT_EQ(a.order, b.order);
  // Another seed is allowed to land on the same plan, but both stay valid.
  EXPECT_TRUE(Evaluate(pr, c).valid);
}

TEST(SplitLocalSearch, NeverBelowBruteForceOptimum) {
  int reached = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Problem pr = testutil::TinyProblem(seed, seed * 41 + 3, seed * 5 + 1, seed % 3 == 0);
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    SolveOptions so;
    Plan plan = MakeSolver("heft")->Solve(pr, so).plan;
    Search(pr, &plan, seed, 3000);
    const Evaluation ev = Evaluate(pr, plan);
    ASSERT_TRUE(ev.valid);
    EXPECT_GE(ev.makespan_s, opt.makespan * (1 - 1e-9));
    reached += ev.makespan_s <= opt.makespan * (1 + 1e-9);
  }
  EXPECT_GT(reached, 30);
}

}  // namespace
}  // namespace diviml
