// The module-based splitting heuristic ("split") and the exact module bound:
// split's plan is valid and never worse than HEFT or PEFT (zoo models and
// RandWire graphs on both platforms); the exact module bound never exceeds
// a brute-force or known STG optimum and never falls below ComputeBounds()'s
// module part; split finds the optimum of tiny instances it can solve whole.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "brute_force.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/cli/cli.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/split.h"

namespace diviml {
namespace {

using testutil::MustBuild;

Problem Load(const std::string& graph, const std::string& platform) {
  CommonArgs a;
  a.graph = graph;
  a.platform = platform;
  return LoadProblem(a);
}

double Makespan(const Problem& pr, const std::string& solver) {
  SolveOptions so;
  return MakeSolver(solver)->Solve(pr, so).makespan_s;
}

double ModulePart(const Problem& pr) {
  for (const auto& p : ComputeBounds(pr).parts)
    if (p.name == "module") return p.value_s;
  return 0;
}

void CheckSplit(const Problem& pr, double budget_s) {
  SplitOptions o;
  o.bound_share = 0.3;
  SolveOptions so;
  so.time_limit_s = budget_s;
  SolveResult r = MakeSplitSolver(o)->Solve(pr, so);
  ASSERT_FALSE(r.plan.device.empty()) << r.message;
  Evaluation ev = Evaluate(pr, r.plan);
  ASSERT_TRUE(ev.valid) << (ev.violations.empty() ? "" : ev.violations.front());
  EXPECT_NEAR(ev.makespan_s, r.makespan_s, 1e-12 + 1e-9 * r.makespan_s);
  EXPECT_LE(r.makespan_s, Makespan(pr, "heft") * (1 + 1e-12)) << r.message;
  EXPECT_LE(r.makespan_s, Makespan(pr, "peft") * (1 + 1e-12)) << r.message;
  EXPECT_LE(r.lower_bound_s, r.makespan_s * (1 + 1e-9));
  EXPECT_GE(r.lower_bound_s, ComputeBounds(pr).best_s * (1 - 1e-9) - 1e-15);
}

TEST(Split, ZooModelsValidAndNoWorseThanHeftPeft) {
  for (const char* model : {"resnet18", "squeezenet1_1", "mobilenet_v2"})
    for (const char* platform : {"zoo:paper", "zoo:modern"}) {
      SCOPED_TRACE(std::string(model) + " " + platform);
      CheckSplit(Load(std::string("zoo:") + model, platform), 2.0);
    }
}

TEST(Split, RandWireValidAndNoWorseThanHeftPeft) {
  for (const char* spec : {"randwire:ws,n=16,stages=2,seed=1", "randwire:er,n=16,stages=2,seed=2",
                           "randwire:ba,n=16,stages=2,seed=3"})
    for (const char* platform : {"zoo:paper", "zoo:modern"}) {
      SCOPED_TRACE(std::string(spec) + " " + platform);
      CheckSplit(Load(spec, platform), 2.0);
    }
}

// Tiny random instances: split (one group) is at least as good as HEFT and
// never below the brute-force optimum; the exact module bound never above it.
TEST(Split, ModuleExactBoundNeverAboveBruteForce) {
  int instances = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const int m = testutil::TinyDevices(seed);
    Problem pr = MustBuild(RandomDag(testutil::TinyDagOptions(seed, seed), m), RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 7 + 1));
    SCOPED_TRACE("seed " + std::to_string(seed));
    testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    BoundPart b = ModuleExactBound(pr, 2.0, MilpExactSolve());
    EXPECT_LE(b.value_s, opt.makespan + 1e-9) << b.detail;
    EXPECT_GE(b.value_s, ModulePart(pr) - 1e-9);
    SolveOptions so;
    so.time_limit_s = 2;
    SplitOptions sp;
    sp.bound_share = 0.2;
    SolveResult r = MakeSplitSolver(sp)->Solve(pr, so);
    ASSERT_TRUE(Evaluate(pr, r.plan).valid);
    EXPECT_GE(r.makespan_s, opt.makespan - 1e-9);
    EXPECT_LE(r.lower_bound_s, opt.makespan + 1e-9);
    ++instances;
  }
  EXPECT_EQ(instances, 40);
}

TEST(Split, ModuleExactBoundNeverAboveKnownStgOptimum) {
  int checked = 0;
  for (const auto& row : testutil::ReadStgKnown()) {
    if (checked == 6) break;
    if (row.m != 2 && row.m != 4) continue;
    Problem pr = MustBuild(LoadGraph(std::string(DIVIML_TEST_DATA) + "/stg50/" + row.file),
                           Platform::Identical(row.m));
    BoundPart b = ModuleExactBound(pr, 1.0, MilpExactSolve());
    EXPECT_LE(b.value_s, row.upper + 1e-9) << row.file << " m=" << row.m << " " << b.detail;
    EXPECT_GE(b.value_s, ModulePart(pr) - 1e-9) << row.file;
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

// The automatic group size (SplitOptions::auto_module_size): 32 on a
// sparse graph with 32-node modules at the default 20 s, 24 on a dense BA
// graph, with a short budget, or when turned off. The solve is interrupted
// from the start, so only the chosen size (in the first progress line) is
// looked at.
std::string GroupLine(const Problem& pr, double limit_s, bool automatic) {
  SplitOptions o;
  o.auto_module_size = automatic;
  SolveOptions so;
  so.time_limit_s = limit_s;
  std::atomic<bool> stop{true};
  so.interrupt = &stop;
  std::string line;
  so.progress = [&](const Progress& p) {
    if (line.empty() && p.message.find("groups of") != std::string::npos) line = p.message;
  };
  MakeSplitSolver(o)->Solve(pr, so);
  return line;
}

TEST(Split, AutomaticGroupSize) {
  const Problem ws = Load("randwire:ws,n=32,stages=3,seed=7", "zoo:paper");  // modules of 32, 2.2 edges/node
  const Problem ba = Load("randwire:ba,n=32,stages=3,seed=7", "zoo:paper");  // 4.2 edges/node
  const Problem res = Load("zoo:resnet18", "zoo:paper");                     // no module above 24
  EXPECT_NE(GroupLine(ws, 20, true).find("at most 32 nodes"), std::string::npos) << GroupLine(ws, 20, true);
  EXPECT_NE(GroupLine(ws, 20, false).find("at most 24 nodes"), std::string::npos);
  EXPECT_NE(GroupLine(ws, 5, true).find("at most 24 nodes"), std::string::npos);  // 0.03 s per node
  EXPECT_NE(GroupLine(ba, 20, true).find("at most 24 nodes"), std::string::npos);
  EXPECT_NE(GroupLine(res, 20, true).find("at most 24 nodes"), std::string::npos);
}

// Issue 16's 100x rows (docs/split.md, "Split vs the full MILP"): the
// full MILP proves these optima in 90.8 s and 111.0 s (the referee figures,
// 6 digits). At default settings split reaches and proves them too, and on
// ws,n=9 the quick pass (12-node groups, MILPs that prove in tenths of a
// second) finds the optimum itself. How soon the groups stop once the chain
// bound meets the plan depends on timing, so it is measured (docs/split.md,
// "Quick pass, early stop, ..."), not asserted here.
TEST(Split, QuickPassAndEarlyStopProveTheMilpOptimum) {
  struct Row {
    const char* graph;
    const char* platform;
    double optimum_s;
    const char* note;
  };
  for (const Row& row : {Row{"randwire:ws,n=9,stages=3,seed=1", "zoo:paper", 0.324602e-3, "quick 0.000324602 s"},
                         Row{"randwire:ws,n=8,stages=3,seed=1", "zoo:modern", 0.249035e-3, nullptr}}) {
    SCOPED_TRACE(row.graph);
    const Problem pr = Load(row.graph, row.platform);
    SolveOptions so;
    const SolveResult r = MakeSolver("split")->Solve(pr, so);
    ASSERT_FALSE(r.plan.device.empty()) << r.message;
    const Evaluation ev = Evaluate(pr, r.plan);
    ASSERT_TRUE(ev.valid);
    EXPECT_NEAR(ev.makespan_s, r.makespan_s, 1e-9 * r.makespan_s);
    EXPECT_EQ(r.status, SolveStatus::kOptimal) << r.message;
    EXPECT_NEAR(r.makespan_s, row.optimum_s, 0.5e-9) << r.message;  // the 6 digits of the MILP's optimum
    EXPECT_LE(r.lower_bound_s, r.makespan_s * (1 + 1e-9));
    if (row.note) EXPECT_NE(r.message.find(row.note), std::string::npos) << r.message;
  }
}

}  // namespace
}  // namespace diviml
