// The module-based throughput heuristic (split): never worse than
// tp-heuristic, valid plans (EvaluatePeriod), never below the bound; the
// module packing candidates alone are valid; the default solver choice.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "diviml/cli/cli.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/throughput.h"
#include "milp/backend.h"
#include "solve/throughput/internal.h"
#include "throughput_test_util.h"

namespace diviml {
namespace {

Problem Random(int n, int m, uint64_t seed, bool memory) {
  RandomDagOptions o;
  o.nodes = n;
  o.seed = seed;
  o.mean_out_degree = 1.6;
  o.max_span = 4;  // deep graphs with cut nodes (a module chain)
  Graph g = RandomDag(o, m);
  double total = 0;
  for (int i = 0; i < g.num_nodes(); ++i) {
    g.nodes[i].param_bytes = memory ? 1 + (i * 13 + seed) % 7 : 0;
    total += g.nodes[i].param_bytes;
  }
  Platform p = RandomPlatform(m, 2, 10, seed + 7);
  if (memory) p.devices[0].memory_bytes = total / 3;  // binds
  return Build(std::move(g), std::move(p));
}

void ExpectValid(const Problem& pr, const ThroughputResult& r, const std::string& what) {
  ASSERT_FALSE(r.plan.device.empty()) << what << " " << r.message;
  PeriodInfo info = EvaluatePeriod(pr, r.plan);
  ASSERT_TRUE(info.valid) << what << ": " << (info.violations.empty() ? "" : info.violations.front());
  EXPECT_NEAR(info.period_s, r.period_s, 1e-9 * std::max(1.0, r.period_s)) << what;
  EXPECT_GE(r.period_s, PeriodLowerBound(pr, r.plan.replicas()) * (1 - 1e-9)) << what;
}

TEST(ThroughputSplit, NeverWorseThanTpHeuristic) {
  int strictly_better = 0, runs = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const int m = seed % 2 ? 3 : 4;
    Problem pr = Random(40, m, seed, seed % 3 == 0);
    for (int R : {1, 2, 3, 0}) {
      ThroughputOptions o;
      o.replicas = R;
      o.solve.seed = seed;
      o.solver = "tp-heuristic";
      ThroughputResult h = SolveThroughput(pr, o);
      o.solver = "split";
      ThroughputResult s = SolveThroughput(pr, o);
      const std::string what = "seed " + std::to_string(seed) + " R " + std::to_string(R);
      ExpectValid(pr, h, "tp-heuristic " + what);
      ExpectValid(pr, s, "split " + what);
      EXPECT_EQ(s.solver, "split");
      EXPECT_GE(s.throughput_per_s, h.throughput_per_s * (1 - 1e-12)) << what;
      if (R > 0) EXPECT_EQ(s.plan.replicas(), R);
      strictly_better += s.throughput_per_s > h.throughput_per_s * (1 + 1e-9);
      ++runs;
    }
  }
  RecordProperty("strictly_better", strictly_better);
  RecordProperty("runs", runs);
}

TEST(ThroughputSplit, ModulePackingCandidatesAreValid) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    Problem pr = Random(30, 3, seed, true);
    for (int R : {1, 2, 4}) {
      ThroughputOptions o;
      o.replicas = R;
      std::vector<tp::Candidate> cs = tp::ModuleSplitCandidates(pr, o);
      ASSERT_FALSE(cs.empty()) << "seed " << seed << " R " << R;
      const double lb = PeriodLowerBound(pr, R);
      for (const auto& c : cs) {
        ASSERT_EQ(c.plan.replicas(), R);
        PeriodInfo info = EvaluatePeriod(pr, c.plan);
        EXPECT_TRUE(info.valid) << (info.violations.empty() ? "" : info.violations.front());
        EXPECT_GE(info.period_s, lb * (1 - 1e-9));
      }
    }
  }
}

TEST(ThroughputSplit, ZooModelNotWorseThanTpHeuristic) {
  CommonArgs args;
  args.graph = "zoo:resnet18";
  args.platform = "zoo:modern";
  Problem pr = LoadProblem(args);
  ThroughputOptions o;
  o.solver = "tp-heuristic";
  ThroughputResult h = SolveThroughput(pr, o);
  o.solver = "split";
  ThroughputResult s = SolveThroughput(pr, o);
  ExpectValid(pr, s, "resnet18 modern");
  EXPECT_GE(s.throughput_per_s, h.throughput_per_s * (1 - 1e-12));
  o.solver = "single";
  o.replicas = 1;
  EXPECT_GT(s.throughput_per_s, SolveThroughput(pr, o).throughput_per_s);
}

TEST(ThroughputSplit, DefaultSolverChoice) {
  Problem small = Random(12, 2, 3, false);
  Problem large = Random(40, 2, 3, false);
  std::string why;
  const bool lp = !milp::AvailableBackends().empty();
  EXPECT_EQ(DefaultThroughputSolver(small, &why), lp ? "milp" : "split");
  EXPECT_FALSE(why.empty());
  EXPECT_EQ(DefaultThroughputSolver(large, &why), "split");
  ThroughputOptions o;
  o.solver = "auto";
  o.replicas = 1;
  ThroughputResult r = SolveThroughput(small, o);
  EXPECT_EQ(r.solver, lp ? "milp" : "split");
  EXPECT_NE(r.solver_note.find("default"), std::string::npos);
  ExpectValid(small, r, "auto small");
  r = SolveThroughput(large, o);
  EXPECT_EQ(r.solver, "split");
  ExpectValid(large, r, "auto large");
  // With R = auto the default MILP covers split's R range and starts from
  // split's plans: never worse.
  o.replicas = 0;
  ThroughputResult a = SolveThroughput(small, o);
  o.solver = "split";
  ThroughputResult s = SolveThroughput(small, o);
  ExpectValid(small, a, "auto small, R auto");
  EXPECT_GE(a.throughput_per_s, s.throughput_per_s * (1 - 1e-9));
}

}  // namespace
}  // namespace diviml
