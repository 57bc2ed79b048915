// AssignmentBound (src/bound/assignment_bound.cc): never above the
// brute-force optimum of hundreds of tiny random heterogeneous instances
// with transfers and pinned nodes (whole-number and real-valued times), and
// strictly above the cheap bounds and device_energetic on some of them, so
// the test can fail both ways.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "brute_force.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/milp.h"

namespace diviml {
namespace {

TEST(AssignmentBound, NeverAboveBruteForceOptimum) {
  int instances = 0, proven = 0, above_cheap = 0, above_energetic = 0, pinned = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    // Real-valued times on even seeds, a pinned node on every third.
    pinned += seed % 3 == 0;
    Problem pr = testutil::TinyProblem(seed, seed * 29 + 7, seed * 11 + 5, seed % 3 == 0, seed % 2 == 0 ? 0.37 : 1);
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    const AssignmentBoundResult r = AssignmentBound(pr, 30);
    ASSERT_NE(r.mip_status, "error") << r.note;
    EXPECT_LE(r.value_s, opt.makespan * (1 + 1e-9)) << r.note;
    const double cheap = ComputeBounds(pr).best_s;
    const double energetic = DeviceEnergeticBound(pr, cheap);
    proven += r.proven;
    above_cheap += r.value_s > cheap * (1 + 1e-6);
    above_energetic += r.value_s > energetic * (1 + 1e-6);
    ++instances;
  }
  EXPECT_EQ(instances, 400);
  EXPECT_GT(pinned, 100);
  EXPECT_EQ(proven, 400);
  EXPECT_GT(above_cheap, 40);
  EXPECT_GT(above_energetic, 10);
  std::printf("[assignment] above the cheap bounds on %d, above device_energetic on %d of %d\n", above_cheap,
              above_energetic, instances);
}

// Sources and sinks pinned (as the module-chain segments' entry and exit
// marker are): the head and tail terms of the ancestor rows
// (DeviceHeadsAndTails()) apply on the other devices. The assignment bound
// stays at most the brute-force optimum, the disjunctive MILP with the
// ancestor rows still finds it, and the terms are non-zero on most
// instances.
TEST(AssignmentBound, HeadAndTailTermsHoldWithPinnedSourcesAndSinks) {
  int instances = 0, with_terms = 0, above_energetic = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const int m = testutil::TinyDevices(seed);
    Graph g = RandomDag(testutil::TinyDagOptions(seed, seed * 31 + 3), m);
    for (int v = 0; v < g.num_nodes(); ++v)
      if (g.in_edges(v).empty() || g.out_edges(v).empty())
        g.nodes[v].pin = "D" + std::to_string(1 + static_cast<int>((seed + v) % m));
    const Problem pr = testutil::MustBuild(g, RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 5 + 1));
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    std::vector<double> head, tail;
    DeviceHeadsAndTails(pr, &head, &tail);
    bool terms = false;
    for (size_t k = 0; k < head.size(); ++k) terms |= head[k] > 0 || tail[k] > 0;
    with_terms += terms;
    const AssignmentBoundResult r = AssignmentBound(pr, 30);
    ASSERT_TRUE(r.proven) << r.note;
    EXPECT_LE(r.value_s, opt.makespan * (1 + 1e-9)) << r.note;
    above_energetic += r.value_s > DeviceEnergeticBound(pr, ComputeBounds(pr).best_s) * (1 + 1e-6);
    MilpOptions mo;
    mo.ancestor_rows = true;
    mo.run_heuristics = seed % 2 == 0;
    SolveOptions so;
    const SolveResult mr = MakeMilpSolver(mo)->Solve(pr, so);
    ASSERT_EQ(mr.status, SolveStatus::kOptimal) << mr.message;
    EXPECT_NEAR(mr.makespan_s, opt.makespan, 1e-6 * opt.makespan + 1e-9) << mr.message;
    ++instances;
  }
  EXPECT_EQ(instances, 150);
  EXPECT_GT(with_terms, 75);
  EXPECT_GT(above_energetic, 0);
}

// A hand-checked case: s (pinned to D1) -> a -> t (pinned to D1), times 1
// everywhere, 2 bytes per edge on a 1-byte/s link with no latency: on D2
// below s the last node on D2 can only be a, whose output crosses to t (2)
// and t runs (1): tail(s, D2) = 3; above t the first node on D2 can only
// be a, after s ran (1) and its output crossed (2): head(t, D2) = 3. a's
// only ancestor and descendant are kept off D2: no term there (0), nor on
// D1, where the source and the sink may run.
TEST(AssignmentBound, DeviceHeadsAndTailsByHand) {
  Graph g;
  for (const char* id : {"s", "a", "t"}) {
    Node nd;
    nd.id = id;
    nd.time_s["*"] = 1;
    g.AddNode(nd);
  }
  g.nodes[0].pin = "D1";
  g.nodes[2].pin = "D1";
  g.AddEdge(0, 1, 2);
  g.AddEdge(1, 2, 2);
  Platform p = RandomPlatform(2, 0, 1, 1);
  Link one;
  one.bandwidth_Bps = 1;
  one.latency_s = 0;
  p.SetLink(0, 1, one);
  const Problem pr = testutil::MustBuild(g, p);
  std::vector<double> head, tail;
  DeviceHeadsAndTails(pr, &head, &tail);
  const int m = 2;
  ASSERT_EQ(pr.platform().devices[0].name, "D1");
  EXPECT_DOUBLE_EQ(tail[0 * m + 1], 3.0);  // s, D2
  EXPECT_DOUBLE_EQ(head[2 * m + 1], 3.0);  // t, D2
  EXPECT_DOUBLE_EQ(tail[0 * m + 0], 0.0);  // s, D1: the sink may run there
  EXPECT_DOUBLE_EQ(head[2 * m + 0], 0.0);  // t, D1: the source may run there
  EXPECT_DOUBLE_EQ(head[1 * m + 1], 0.0);  // a, D2: no ancestor of a may run on D2
  EXPECT_DOUBLE_EQ(tail[1 * m + 1], 0.0);
}

}  // namespace
}  // namespace diviml
