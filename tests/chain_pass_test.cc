// The chain pass (src/solve/split/chain_pass.h): on chains without edges
// that skip a cut node its plan reaches the brute-force optimum once every
// entry is solved; with skip edges and pins its plan is valid, evaluated
// as reported, and never replaces a better one; with no time it changes
// nothing; it leaves graphs outside its range alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "brute_force.h"
#include "random_chain.h"
#include "stg_known.h"
#include "bound/subproblem.h"
#include "diviml/bound/bounds.h"
#include "diviml/bound/segment_store.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/heuristics.h"
#include "diviml/solve/milp.h"
#include "solve/split/chain_pass.h"

namespace diviml {
namespace {

using testutil::MustBuild;

// Module -> cut node -> module -> cut node (-> a last node now and then),
// 7 nodes at most; skip: now and then an edge from before a cut node into
// the next module; a random node (a cut node or not) pinned now and then.
Graph Chain(uint64_t seed, int m, bool skip) {
  testutil::RandomChainBuilder b(seed, m);
  Graph& g = b.graph();
  // Two modules of two parallel nodes (a third, after one of them, when
  // there is room) and their cut nodes: 6-7 nodes, brute-forceable.
  while (g.num_nodes() < 5) {
    const int size = g.num_nodes() == 0 && b.uni(0, 1) == 0 ? 3 : 2;
    std::vector<int> mod;
    for (int k = 0; k < size; ++k) {
      const int v = b.Node();
      if (k == 2) g.AddEdge(mod[b.uni(0, 1)], v, b.uni(0, 10));
      mod.push_back(v);
    }
    b.CloseModule(mod, skip);
  }
  // Now and then a last node fed by the last cut node only: a cut node
  // too, with an empty module between the two.
  if (g.num_nodes() <= 6 && b.uni(0, 1) == 0) {
    const int last = g.num_nodes() - 1;
    g.AddEdge(last, b.Node(), b.uni(0, 10));
  }
  if (b.uni(0, 2) == 0) g.nodes[b.uni(0, g.num_nodes() - 1)].pin = "D" + std::to_string(b.uni(1, m));
  return g;
}

split::ChainPassOptions NoEarlyStop() {
  split::ChainPassOptions co;
  co.early_stop = false;
  return co;
}

split::ChainPassOptions MaxModule(int nodes) {
  split::ChainPassOptions co;
  co.max_module_nodes = nodes;
  return co;
}

// Chain(seed, m, false) on 2-3 devices by seed: the brute-forced chains
// without skip edges.
Problem NoSkipChain(uint64_t seed) {
  const int m = 2 + static_cast<int>(seed % 2);
  return MustBuild(Chain(seed, m, false), RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 7 + 1));
}

int NonEmptyModules(const ModuleStructure& ms) {
  int k = 0;
  for (const auto& mod : ms.modules) k += !mod.empty();
  return k;
}

struct Start {
  Plan plan;
  Schedule schedule;
  double makespan_s = 0;
};

Start Heft(const Problem& pr) {
  SolveOptions so;
  const SolveResult r = MakeHeftSolver()->Solve(pr, so);
  const Evaluation ev = Evaluate(pr, r.plan);
  EXPECT_TRUE(ev.valid);
  return {r.plan, ev.schedule, ev.makespan_s};
}

TEST(ChainPass, ReachesBruteForceOptimumOnChainsWithoutSkipEdges) {
  int instances = 0, improved = 0, empty_module = 0, pinned_cut = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const Problem pr = NoSkipChain(seed);
    const ModuleStructure ms = FindModules(pr);
    if (NonEmptyModules(ms) < 2) continue;
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    Start s = Heft(pr);
    const double before = s.makespan_s;
    const Stopwatch clock;
    SolveOptions so;
    const split::ChainPassStats st =
        split::ChainPass(pr, ms, NoEarlyStop(), clock, 60.0, so, &s.plan, &s.schedule, &s.makespan_s);
    ASSERT_TRUE(st.applies);
    // No skip edges: the concatenated plan takes exactly the path's sum.
    EXPECT_NEAR(st.makespan_s, st.path_s, 1e-9);
    // Every entry's MILP proves on these sizes, so the shortest path is the
    // optimum: the segments partition the time between cut nodes exactly.
    EXPECT_NEAR(st.path_s, opt.makespan, 1e-9);
    EXPECT_NEAR(s.makespan_s, opt.makespan, 1e-9) << "HEFT " << before;
    const Evaluation ev = Evaluate(pr, s.plan);
    ASSERT_TRUE(ev.valid);
    EXPECT_NEAR(ev.makespan_s, s.makespan_s, 1e-12);
    improved += st.improved;
    ++instances;
    for (size_t k = 1; k < ms.modules.size(); ++k) empty_module += ms.modules[k].empty() && k < ms.cut_nodes.size();
    for (int c : ms.cut_nodes) pinned_cut += pr.fixed_device(c) >= 0;
  }
  EXPECT_GE(instances, 30);
  // The generator reaches the cut-node-only segments and pinned cut nodes.
  EXPECT_GT(empty_module, 0);
  EXPECT_GT(pinned_cut, 0);
  EXPECT_GT(improved, 0);  // HEFT is not always optimal there
}

TEST(ChainPass, ValidAndNeverWorseWithSkipEdgesAndShortBudgets) {
  int applied = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    const Problem pr = MustBuild(Chain(seed + 1000, m, true), RandomPlatform(m, 3, 2, seed * 11 + 5));
    const ModuleStructure ms = FindModules(pr);
    SCOPED_TRACE("seed " + std::to_string(seed));
    Start s = Heft(pr);
    const double before = s.makespan_s;
    const Stopwatch clock;
    SolveOptions so;
    // Generous, none, or a few milliseconds: with no time the pass stops
    // before its table is complete and leaves the plan as it is; with a
    // little it stops wherever the clock says and the plan stays valid.
    const double until = seed % 3 == 1 ? 30.0 : seed % 3 == 2 ? 0.0 : clock.seconds() + 0.003;
    const split::ChainPassStats st = split::ChainPass(pr, ms, {}, clock, until, so, &s.plan, &s.schedule, &s.makespan_s);
    EXPECT_LE(s.makespan_s, before + 1e-12);
    const Evaluation ev = Evaluate(pr, s.plan);
    ASSERT_TRUE(ev.valid);
    EXPECT_NEAR(ev.makespan_s, s.makespan_s, 1e-12);
    if (st.applies) {
      ++applied;
      if (until == 0.0) {
        EXPECT_EQ(st.solved, 0);
        EXPECT_FALSE(st.improved);
        EXPECT_EQ(s.makespan_s, before);
      }
      // The path's sum bounds the concatenated plan from below only without
      // skip edges; the evaluated plan is what counts.
      if (st.improved) EXPECT_LT(st.makespan_s, before);
    }
  }
  EXPECT_GE(applied, 20);
}

// The segment store shared with the module-chain bound (docs/split.md,
// "Segment store"). A first pass (every entry it does not prune solved)
// fills it; a second pass without MILPs from HEFT's plan then reaches the
// brute-force optimum from the store's plans alone, which it does not
// without the store on some instance; and the module-chain bound, whose
// own exact solver finds nothing, reaches the optimum from the store's
// proofs alone (the entries the pass pruned keep cheap values whose paths
// are no shorter than the optimum).
TEST(ChainPass, StoreCarriesPlansToAPassAndProofsToTheBound) {
  int instances = 0, needed_store = 0, filled = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const Problem pr = NoSkipChain(seed);
    const ModuleStructure ms = FindModules(pr);
    if (NonEmptyModules(ms) < 2) continue;
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    SegmentStore store;
    split::ChainPassOptions fill = NoEarlyStop();
    fill.store = &store;
    const Stopwatch clock;
    SolveOptions so;
    Start s = Heft(pr);
    split::ChainPass(pr, ms, fill, clock, 60.0, so, &s.plan, &s.schedule, &s.makespan_s);
    filled += store.size() > 0;  // none when HEFT's plan already prunes every entry

    split::ChainPassOptions replay;
    replay.milps = false;
    replay.store = &store;
    Start r = Heft(pr);
    const split::ChainPassStats st = split::ChainPass(pr, ms, replay, clock, 60.0, so, &r.plan, &r.schedule, &r.makespan_s);
    EXPECT_EQ(st.solved, 0);
    EXPECT_NEAR(r.makespan_s, opt.makespan, 1e-9);
    split::ChainPassOptions alone;
    alone.milps = false;
    Start h = Heft(pr);
    split::ChainPass(pr, ms, alone, clock, 60.0, so, &h.plan, &h.schedule, &h.makespan_s);
    EXPECT_GE(h.makespan_s, opt.makespan - 1e-9);
    needed_store += h.makespan_s > opt.makespan + 1e-9;

    int calls = 0;
    const ExactSolveFn nothing = [&calls](const Problem&, double) {
      ++calls;
      return ExactAnswer{};
    };
    const BoundPart bp = ModuleChainBound(pr, 5.0, nothing, 80, nullptr, 1, nullptr, &store);
    EXPECT_NEAR(bp.value_s, opt.makespan, 1e-9) << bp.detail;
    ++instances;
  }
  EXPECT_GE(instances, 20);
  EXPECT_GE(filled, instances / 2);
  EXPECT_GT(needed_store, 0);
}

// What the bound offers to the store is valid for the sub-problem of that
// signature: every record's bound at most the sub-problem's brute-force
// optimum (a proven one equal to it), every plan valid there with the
// makespan recorded. With skip edges and pins, so the segments are
// relaxations of the whole graph.
TEST(ChainPass, BoundsOffersToTheStoreHoldOnTheirSubProblems) {
  int records = 0, plans = 0, proven = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    const Problem pr = MustBuild(Chain(seed + 500, m, true), RandomPlatform(m, 3, 2, seed * 13 + 3));
    const ModuleStructure ms = FindModules(pr);
    SCOPED_TRACE("seed " + std::to_string(seed));
    SegmentStore store;
    ModuleChainBound(pr, 5.0, MilpExactSolve(), 80, nullptr, 1, AssignmentRelaxation("", nullptr, 1, 26), &store);
    const int cuts = static_cast<int>(ms.cut_nodes.size());
    for (size_t k = 0; k < ms.modules.size(); ++k) {
      if (ms.modules[k].empty()) continue;
      const int in = k > 0 ? ms.cut_nodes[k - 1] : -1, out = static_cast<int>(k) < cuts ? ms.cut_nodes[k] : -1;
      for (int a = 0; a < (in >= 0 ? m : 1); ++a)
        for (int b = 0; b < (out >= 0 ? m : 1); ++b) {
          if ((in >= 0 && !pr.allowed(in, a)) || (out >= 0 && !pr.allowed(out, b))) continue;
          std::string err;
          const Problem sub = split::SegmentProblem(pr, in, ms.modules[k], out, a, b, &err);
          const auto rec = store.Find(split::Signature(sub));
          if (!rec) continue;
          ++records;
          const testutil::BruteForceResult o = testutil::BruteForceOptimum(sub);
          ASSERT_TRUE(o.complete);
          EXPECT_LE(rec->lower_s, o.makespan * (1 + 1e-6) + 1e-9);
          if (rec->proven) {
            ++proven;
            EXPECT_NEAR(rec->lower_s, o.makespan, 1e-6 * o.makespan + 1e-9);
          }
          if (!rec->plan.device.empty()) {
            ++plans;
            const Evaluation ev = Evaluate(sub, rec->plan);
            ASSERT_TRUE(ev.valid);
            EXPECT_NEAR(ev.makespan_s, rec->plan_s, 1e-9);
            EXPECT_GE(ev.makespan_s, o.makespan - 1e-9);
          }
        }
    }
  }
  EXPECT_GT(records, 20);
  EXPECT_GT(plans, 20);
  EXPECT_GT(proven, 10);
}

TEST(ChainPass, LeavesGraphsOutsideItsRange) {
  // One module: a diamond.
  Graph g;
  for (int i = 0; i < 4; ++i) {
    Node n;
    n.id = "n" + std::to_string(i);
    n.time_s["*"] = 1 + i;
    g.AddNode(n);
  }
  g.AddEdge(0, 1, 1);
  g.AddEdge(0, 2, 1);
  g.AddEdge(1, 3, 1);
  g.AddEdge(2, 3, 1);
  const Problem pr = MustBuild(g, RandomPlatform(2, 3, 2, 9));
  Start s = Heft(pr);
  const Plan before = s.plan;
  const Stopwatch clock;
  SolveOptions so;
  const split::ChainPassStats st =
      split::ChainPass(pr, FindModules(pr), {}, clock, 10.0, so, &s.plan, &s.schedule, &s.makespan_s);
  EXPECT_FALSE(st.applies);
  EXPECT_EQ(s.plan.device, before.device);
  // Modules above the size limit: not applied either.
  const Problem chain = MustBuild(Chain(3, 2, false), RandomPlatform(2, 3, 2, 4));
  const ModuleStructure ms = FindModules(chain);
  ASSERT_GE(NonEmptyModules(ms), 2);
  Start c = Heft(chain);
  EXPECT_FALSE(split::ChainPass(chain, ms, MaxModule(0), clock, 10.0, so, &c.plan, &c.schedule, &c.makespan_s).applies);
}

}  // namespace
}  // namespace diviml
