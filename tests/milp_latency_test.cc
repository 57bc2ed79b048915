// The exact latency MILP ("milp"): Topcuoglu's example, agreement with
// exhaustive enumeration on random instances (both formulations, both
// backends, with and without a heuristic upper bound, so that every big-M
// and every window is exercised tight and loose), STG instances against
// known.csv (never a wrong optimum), statuses, memory, model dump.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "backend_param_test.h"
#include "bound/subproblem.h"
#include "diviml/bound/segment_store.h"
#include "brute_force.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/solver.h"
#include "milp/backend.h"
#include "diviml/bound/bounds.h"

namespace diviml {
namespace {

Problem Build(Graph g, Platform p) {
  std::string err;
  Problem pr = Problem::Build(std::move(g), std::move(p), &err);
  EXPECT_EQ(err, "");
  return pr;
}

Problem Topcuoglu10() {
  const std::string dir = DIVIML_TEST_DATA;
  return Build(LoadGraph(dir + "/topcuoglu10.graph.json"),
               LoadPlatform(dir + "/topcuoglu10.platform.json"));
}

// The plan is valid and Evaluate() gives the reported makespan.
void ExpectConsistent(const Problem& pr, const SolveResult& r) {
  Evaluation ev = Evaluate(pr, r.plan);
  ASSERT_TRUE(ev.valid) << (ev.violations.empty() ? "" : ev.violations.front());
  EXPECT_NEAR(ev.makespan_s, r.makespan_s, 1e-9);
  EXPECT_LE(r.lower_bound_s, r.makespan_s + 1e-9);
}

class MilpLatencyBackendTest : public testutil::BackendParamTest {};

TEST_P(MilpLatencyBackendTest, Topcuoglu10IsOptimalAt73) {
  Problem pr = Topcuoglu10();
  SolveOptions so;
  so.milp_backend = GetParam();
  so.time_limit_s = 60;
  SolveResult r = MakeMilpSolver()->Solve(pr, so);
  EXPECT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  EXPECT_DOUBLE_EQ(r.makespan_s, 73);
  EXPECT_DOUBLE_EQ(r.lower_bound_s, 73);
  EXPECT_LT(r.solve_time_s, 30);
  ExpectConsistent(pr, r);
  // Without heuristics the MILP alone must find and prove 73 too.
  MilpOptions mo;
  mo.run_heuristics = false;
  SolveResult r2 = MakeMilpSolver(mo)->Solve(pr, so);
  EXPECT_EQ(r2.status, SolveStatus::kOptimal) << r2.message;
  EXPECT_DOUBLE_EQ(r2.makespan_s, 73);
  ExpectConsistent(pr, r2);
}

// >= 200 random instances per backend: 4-7 nodes, 2-3 devices, random
// per-device-pair links (latency and bandwidth differ per pair). Variants
// rotate through the encodings; half run without heuristics (trivial
// upper bound: loose big-Ms), half with them (the heuristic's makespan as
// upper bound: tight windows, clamped big-Ms, skipped pairs).
TEST_P(MilpLatencyBackendTest, MatchesBruteForceOnRandomInstances) {
  int checked = 0;
  for (int k = 0; k < 200; ++k) {
    RandomDagOptions o;
    o.nodes = 4 + k % 4;
    o.seed = 5000 + k;
    o.mean_out_degree = 1.0 + (k % 3) * 0.5;
    if (k % 5 == 0) o.min_time = 0;  // zero-length nodes
    const int m = 2 + (k / 4) % 2;
    Problem pr = Build(RandomDag(o, m), RandomPlatform(m, 5, 4, 900 + k));
    const testutil::BruteForceResult bf = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(bf.complete);
    MilpOptions mo;
    mo.run_heuristics = k % 2 == 0;
    mo.disjunctive = (k / 2) % 2 ? MilpOptions::Disjunctive::kPerDevice
                                 : MilpOptions::Disjunctive::kSequence;
    const MilpOptions::Transfer kinds[] = {MilpOptions::Transfer::kAuto,
                                           MilpOptions::Transfer::kFlow,
                                           MilpOptions::Transfer::kPairwise};
    mo.transfer = kinds[(k / 3) % 3];
    mo.strict_improvement = k % 7 == 3;
    mo.ancestor_rows = (k / 5) % 2 == 1;  // the rows must not cut off an optimum
    SolveOptions so;
    so.milp_backend = GetParam();
    SolveResult r = MakeMilpSolver(mo)->Solve(pr, so);
    ASSERT_EQ(r.status, SolveStatus::kOptimal) << "k=" << k << " " << r.message;
    ASSERT_NEAR(r.makespan_s, bf.makespan, 1e-6) << "k=" << k << " " << r.message;
    ExpectConsistent(pr, r);
    ++checked;
  }
  EXPECT_EQ(checked, 200);
}

// Pinned nodes (an imported model's inputs and outputs live on the host):
// the MILP, every heuristic and the brute force keep them there, and the
// MILP still matches the enumeration. Identical devices make sure pins also
// break the symmetry classes the MILP would otherwise exploit.
TEST_P(MilpLatencyBackendTest, PinnedNodesMatchBruteForce) {
  for (int k = 0; k < 40; ++k) {
    RandomDagOptions o;
    o.nodes = 4 + k % 4;
    o.seed = 7000 + k;
    const int m = 2 + k % 2;
    Graph g = RandomDag(o, m);
    g.nodes.front().pin = "D" + std::to_string(1 + k % m);
    g.nodes.back().pin = "D" + std::to_string(1 + (k / 2) % m);
    if (k % 2) {  // same times on every device: one symmetry class
      for (auto& node : g.nodes) {
        double t = node.time_s.begin()->second;
        for (auto& [dev, time] : node.time_s) time = t;
      }
    }
    Problem pr = Build(g, k % 2 ? RandomPlatform(m, 0, 1, 1) : RandomPlatform(m, 5, 4, 300 + k));
    const testutil::BruteForceResult bf = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(bf.complete);
    SolveOptions so;
    so.milp_backend = GetParam();
    MilpOptions mo;
    mo.run_heuristics = k % 3 == 0;
    mo.ancestor_rows = k % 4 >= 2;
    SolveResult r = MakeMilpSolver(mo)->Solve(pr, so);
    ASSERT_EQ(r.status, SolveStatus::kOptimal) << "k=" << k << " " << r.message;
    ASSERT_NEAR(r.makespan_s, bf.makespan, 1e-6) << "k=" << k << " " << r.message;
    ExpectConsistent(pr, r);
    for (const char* name : {"single", "heft", "peft", "cpop", "etf", "rls"}) {
      SolveResult h = MakeSolver(name)->Solve(pr, so);
      EXPECT_EQ(h.plan.device.front(), pr.fixed_device(0)) << name;
      EXPECT_EQ(h.plan.device.back(), pr.fixed_device(pr.n() - 1)) << name;
      EXPECT_TRUE(Evaluate(pr, h.plan).valid) << name;
      EXPECT_GE(h.makespan_s + 1e-9, bf.makespan) << name;
    }
  }
}

// Identical devices, free transfers: the time-indexed formulation and the
// disjunctive one with symmetry breaking, against brute force.
TEST_P(MilpLatencyBackendTest, MatchesBruteForceOnIdenticalDevices) {
  for (int k = 0; k < 60; ++k) {
    RandomDagOptions o;
    o.nodes = 4 + k % 4;
    o.seed = 7000 + k;
    o.min_time = 0;
    o.max_time = 9;
    const int m = 2 + (k / 4) % 2;
    Graph g = RandomDag(o, m);
    for (auto& v : g.nodes) {
      const double t = v.time_s.begin()->second;
      v.time_s.clear();
      v.time_s["P"] = t;
    }
    Problem pr = Build(std::move(g), Platform::Identical(m));
    const double opt = testutil::BruteForceOptimum(pr).makespan;
    for (auto f : {MilpOptions::Formulation::kTimeIndexed, MilpOptions::Formulation::kDisjunctive}) {
      MilpOptions mo;
      mo.formulation = f;
      mo.run_heuristics = k % 2 == 1;
      SolveOptions so;
      so.milp_backend = GetParam();
      SolveResult r = MakeMilpSolver(mo)->Solve(pr, so);
      ASSERT_EQ(r.status, SolveStatus::kOptimal) << "k=" << k << " " << r.message;
      ASSERT_NEAR(r.makespan_s, opt, 1e-9) << "k=" << k << " " << r.message;
      ExpectConsistent(pr, r);
    }
  }
}

// A handful of STG instances, including ones whose optimum is above the
// simple bound and ones the heuristics miss: the solver may stop early, but
// every claimed optimum equals known.csv and every bound is valid.
TEST_P(MilpLatencyBackendTest, StgSubsetNeverClaimsAWrongOptimum) {
  const std::vector<std::pair<std::string, int>> pick = {
      {"rand0000.stg", 2}, {"rand0015.stg", 2}, {"rand0028.stg", 2}, {"rand0001.stg", 4},
      {"rand0009.stg", 4}, {"rand0053.stg", 8}};
  const auto known = testutil::ReadStgKnown();
  int proven = 0;
  for (const auto& [file, m] : pick) {
    const testutil::StgKnownRow* k = nullptr;
    for (const auto& row : known)
      if (row.file == file && row.m == m) k = &row;
    ASSERT_NE(k, nullptr) << file;
    Problem pr = Build(LoadGraph(std::string(DIVIML_TEST_DATA) + "/stg50/" + file),
                       Platform::Identical(m));
    SolveOptions so;
    so.milp_backend = GetParam();
    so.time_limit_s = 10;
    SolveResult r = MakeMilpSolver()->Solve(pr, so);
    ExpectConsistent(pr, r);
    EXPECT_GE(r.makespan_s, k->lower - 1e-9) << file;
    EXPECT_LE(r.lower_bound_s, k->upper + 1e-9) << file;
    if (r.status == SolveStatus::kOptimal) {
      EXPECT_GE(r.makespan_s, k->lower - 1e-9) << file << " m=" << m;
      EXPECT_LE(r.makespan_s, k->upper + 1e-9) << file << " m=" << m;
      if (k->lower == k->upper) EXPECT_DOUBLE_EQ(r.makespan_s, k->lower) << file << " m=" << m;
      ++proven;
    } else {
      EXPECT_EQ(r.status, SolveStatus::kTimeLimit) << file << " " << r.message;
    }
  }
  EXPECT_GE(proven, 4);
}

TEST(MilpLatency, EnergeticBoundNeverExceedsBruteForce) {
  for (int k = 0; k < 80; ++k) {
    RandomDagOptions o;
    o.nodes = 4 + k % 4;
    o.seed = 9000 + k;
    const int m = 2 + k % 2;
    Problem pr = Build(RandomDag(o, m), RandomPlatform(m, 3, 4, 100 + k));
    const double opt = testutil::BruteForceOptimum(pr).makespan;
    const double lb = EnergeticBound(pr, 0, opt);
    EXPECT_LE(lb, opt + 1e-9) << "k=" << k;
  }
}

TEST(MilpLatency, TimeLimitReturnsIncumbentAndBound) {
  RandomDagOptions o;
  o.nodes = 60;
  o.seed = 3;
  Problem pr = Build(RandomDag(o, 3), RandomPlatform(3, 5, 4, 3));
  SolveOptions so;
  so.time_limit_s = 1.0;
  SolveResult r = MakeMilpSolver()->Solve(pr, so);
  ExpectConsistent(pr, r);
  EXPECT_TRUE(r.status == SolveStatus::kTimeLimit || r.status == SolveStatus::kOptimal) << r.message;
  EXPECT_GT(r.lower_bound_s, 0);
  EXPECT_LT(r.solve_time_s, 5.0);
}

TEST(MilpLatency, MemoryCapacitiesAreRespected) {
  // Three heavy nodes, two devices that each hold two of them: the fastest
  // plan (all on D1) does not fit.
  Graph g;
  for (int i = 0; i < 4; ++i) {
    Node v;
    v.id = "n" + std::to_string(i);
    v.time_s["D1"] = 1;
    v.time_s["D2"] = 5;
    v.param_bytes = i < 3 ? 10 : 0;
    g.AddNode(v);
  }
  g.AddEdge(0, 1, 1);
  g.AddEdge(1, 2, 1);
  g.AddEdge(2, 3, 1);
  Platform p;
  p.devices = {Device{"D1", "D1", 20}, Device{"D2", "D2", 20}};
  p.SetDefaultLink(Link{1, 0});
  Problem pr = Build(std::move(g), std::move(p));
  SolveOptions so;
  SolveResult r = MakeMilpSolver()->Solve(pr, so);
  ASSERT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  ExpectConsistent(pr, r);
  // Best: n0 on D2 (5), one transfer (1), n1, n2, n3 on D1 (1 each) = 9.
  EXPECT_DOUBLE_EQ(r.makespan_s, 9);
  EXPECT_EQ(r.plan.device[0], 1);
  // Infeasible when nothing fits.
  Platform tiny;
  tiny.devices = {Device{"D1", "D1", 5}, Device{"D2", "D2", 5}};
  tiny.SetDefaultLink(Link{1, 0});
  Problem pr2 = Build(pr.graph(), std::move(tiny));
  SolveResult r2 = MakeMilpSolver()->Solve(pr2, so);
  EXPECT_EQ(r2.status, SolveStatus::kInfeasible) << r2.message;
}

TEST(MilpLatency, DumpModelWritesReadableNames) {
  Problem pr = Topcuoglu10();
  const std::string path = ::testing::TempDir() + "/milp_topcuoglu.lp";
  SolveOptions so;
  so.dump_model = path;
  MilpOptions mo;
  mo.run_heuristics = false;  // else the model may be trivial
  SolveResult r = MakeMilpSolver(mo)->Solve(pr, so);
  EXPECT_EQ(r.status, SolveStatus::kOptimal) << r.message;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string lp = text.str();
  // The LP writer may turn [] into () (see SanitisedNames); either is fine.
  for (std::string name : {"x[T3,P1]", "S[T3]", "o[T3,T5]", "assign[T1]", "load[P2]"}) {
    std::string paren = name;
    std::replace(paren.begin(), paren.end(), '[', '(');
    std::replace(paren.begin(), paren.end(), ']', ')');
    EXPECT_TRUE(lp.find(name) != std::string::npos || lp.find(paren) != std::string::npos) << name;
  }
  std::remove(path.c_str());
}

TEST(MilpLatency, SameSeedSamePlan) {
  RandomDagOptions o;
  o.nodes = 12;
  o.seed = 11;
  Problem pr = Build(RandomDag(o, 3), RandomPlatform(3, 5, 4, 11));
  SolveOptions so;
  so.seed = 5;
  SolveResult a = MakeMilpSolver()->Solve(pr, so);
  SolveResult b = MakeMilpSolver()->Solve(pr, so);
  EXPECT_EQ(a.plan.device, b.plan.device);
  EXPECT_EQ(a.plan.order, b.plan.order);
  EXPECT_EQ(a.makespan_s, b.makespan_s);
}

// MilpOptions::start_plans: the best valid start plan is the incumbent
// (with no time for anything else, the answer); MilpExactSolve() with a
// SegmentStore takes the stored plan of the sub-problem's signature as one,
// which the heuristics alone do not always match.
TEST(MilpLatency, StartPlansAndTheStoresPlanAreTheIncumbent) {
  int worse_without = 0;
  for (int k = 0; k < 40; ++k) {
    RandomDagOptions o;
    o.nodes = 6 + k % 3;
    o.seed = 7100 + k;
    o.mean_out_degree = 1.5;
    const int m = 2 + k % 2;
    const Problem pr = Build(RandomDag(o, m), RandomPlatform(m, 5, 4, 300 + k));
    const testutil::BruteForceResult bf = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(bf.complete);
    SCOPED_TRACE("k=" + std::to_string(k));

    MilpOptions mo;
    mo.run_heuristics = false;
    Plan wrong;  // not a plan of this problem: ignored
    wrong.device = {0};
    wrong.order.assign(m, {});
    wrong.order[0] = {0};
    mo.start_plans = {wrong, bf.plan};
    SolveOptions so;
    so.time_limit_s = 1e-9;  // no time for the MILP
    const SolveResult r = MakeMilpSolver(mo)->Solve(pr, so);
    ASSERT_FALSE(r.plan.device.empty()) << r.message;
    EXPECT_NEAR(r.makespan_s, bf.makespan, 1e-9) << r.message;
    EXPECT_NE(r.message.find("start plan"), std::string::npos) << r.message;

    SegmentStore store;
    store.Offer(split::Signature(pr), 0, false, &bf.plan, bf.makespan);
    const ExactAnswer with = MilpExactSolve("", nullptr, &store)(pr, 1e-6);
    ASSERT_FALSE(with.plan.device.empty());
    EXPECT_NEAR(with.plan_s, bf.makespan, 1e-9);
    EXPECT_NEAR(Evaluate(pr, with.plan).makespan_s, with.plan_s, 1e-12);
    const ExactAnswer without = MilpExactSolve()(pr, 1e-6);
    if (!without.plan.device.empty()) {
      EXPECT_GE(without.plan_s, bf.makespan - 1e-9);
      worse_without += without.plan_s > bf.makespan + 1e-9;
    }
  }
  EXPECT_GT(worse_without, 0);
}

TEST(MilpLatency, RegisteredAsMilp) {
  auto s = MakeSolver("milp");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name(), "milp");
}

std::vector<std::string> BackendNames() { return {"highs", "cbc"}; }

INSTANTIATE_TEST_SUITE_P(Backends, MilpLatencyBackendTest, ::testing::ValuesIn(BackendNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace diviml
