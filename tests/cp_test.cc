// CP-SAT (src/cp/cpsat.h) and the "cp" solver (include/diviml/solve/cp.h):
// the wire format round-trips; the library loads (setup-ortools.sh put it
// into the cache) except in sanitizer builds, which must say why; small
// models come back solved; the solver equals the brute-force optimum of
// tiny heterogeneous instances with a bound never above it; a segment with
// its entry and exit free is the least over its (entry, exit) pairs; memory
// capacities hold and an impossible one is proven; an interrupt stops it;
// and the module-chain bound with the free segments stays at most the
// brute-force optimum of random chains.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bound/subproblem.h"
#include "brute_force.h"
#include "cp/cpsat.h"
#include "cp/wire.h"
#include "random_chain.h"
#include "run_command.h"
#include "stg_known.h"
#include "zoo_problem.h"
#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/cp.h"
#include "diviml/solve/milp.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// True when CP-SAT runs here. In sanitizer builds it must not (its
// library is opened with RTLD_DEEPBIND), and the solver must say so: that
// is checked instead, so every test asserts something in both builds.
bool RequireCp() {
  std::string why;
  const bool ok = cp::CpSatAvailable(&why);
  if (kSanitized) {
    EXPECT_FALSE(ok);
    const SolveResult r = MakeCpSolver()->Solve(testutil::TinyProblem(1, 7, 5, false), SolveOptions{});
    EXPECT_EQ(r.status, SolveStatus::kError);
    EXPECT_NE(r.message.find("sanitizer"), std::string::npos) << r.message;
    EXPECT_EQ(CpExactSolve()(testutil::TinyProblem(2, 9, 5, false), 1.0).kind, ExactAnswer::Kind::kNone);
    return false;
  }
  EXPECT_TRUE(ok) << why << " (run scripts/setup-ortools.sh)";
  return ok;
}

// Modules of 1-3 nodes (an edge inside one on a 1-in-edge_odds chance,
// skip edges from earlier modules when skip) until the chain has `nodes`
// nodes. O(nodes).
void AddModules(testutil::RandomChainBuilder& b, int nodes, int edge_odds, bool skip) {
  Graph& g = b.graph();
  while (g.num_nodes() < nodes) {
    std::vector<int> mod;
    const int size = b.uni(1, 3);
    for (int k = 0; k < size && g.num_nodes() < nodes; ++k) {
      const int v = b.Node();
      for (int u : mod)
        if (b.uni(0, edge_odds - 1) == 0) g.AddEdge(u, v, b.uni(0, 10));
      mod.push_back(v);
    }
    b.CloseModule(mod, skip);
  }
}

TEST(CpWire, RoundTrip) {
  cp::wire::Writer w;
  const std::vector<int64_t> ints = {0, 1, 127, 128, 300, 1ll << 40, -5};
  for (size_t k = 0; k < ints.size(); ++k) w.Int(static_cast<int>(k + 1), ints[k]);
  w.Double(20, 3.25);
  w.Bytes(21, "abc");
  w.Packed(22, std::vector<int64_t>{7, 1000, 0});
  cp::wire::Reader r(w.str());
  int f, wt;
  std::vector<int64_t> read, packed;
  double d = 0;
  std::string b;
  while (r.Next(&f, &wt)) {
    if (f <= 7) {
      uint64_t v;
      ASSERT_TRUE(r.ReadVarint(&v));
      read.push_back(static_cast<int64_t>(v));
    } else if (f == 20) {
      ASSERT_TRUE(r.ReadDouble(&d));
    } else if (f == 21) {
      ASSERT_TRUE(r.ReadBytes(&b));
    } else {
      ASSERT_TRUE(r.ReadInts(wt, &packed));
    }
  }
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(read, ints);
  EXPECT_EQ(d, 3.25);
  EXPECT_EQ(b, "abc");
  EXPECT_EQ(packed, (std::vector<int64_t>{7, 1000, 0}));
  // A truncated message is an error, not a crash.
  const std::string cut = w.str().substr(0, w.str().size() - 2);
  cp::wire::Reader bad(cut);
  std::string skip;
  while (bad.Next(&f, &wt) && bad.Skip(wt)) {
  }
  EXPECT_FALSE(bad.ok());
}

TEST(CpSat, LoadsHereOrSaysWhy) {
  std::string why;
  const bool ok = cp::CpSatAvailable(&why);
  if (kSanitized) {
    EXPECT_FALSE(ok);
    EXPECT_NE(why.find("sanitizer"), std::string::npos) << why;
  } else {
    EXPECT_TRUE(ok) << why << " (run scripts/setup-ortools.sh)";
    EXPECT_NE(cp::CpSatLibraryPath().find("libortools"), std::string::npos);
  }
}

TEST(CpSat, SolvesSmallModels) {
  cp::CpModel md;
  const int x = md.NewInt(0, 10, "x"), y = md.NewInt(0, 10, "y"), z = md.NewInt(0, 10, "z");
  md.AddLinear({{x, 1}, {y, 1}}, 7, 20, "sum");
  md.AddLinear({{x, 1}, {y, -1}}, 1, 1, "diff");
  md.AddLinear({{z, 1}, {x, -1}}, 0, 10, "z_x");
  md.AddLinear({{z, 1}, {y, -1}}, 0, 10, "z_y");
  md.Minimize(z);
  cp::CpParams p;
  p.time_limit_s = 10;
  const cp::CpResult r = cp::SolveCp(md, p);
  if (kSanitized) {
    EXPECT_EQ(r.status, cp::CpStatus::kError);
    EXPECT_FALSE(r.message.empty());
    return;
  }
  ASSERT_EQ(r.status, cp::CpStatus::kOptimal) << r.message;
  ASSERT_EQ(r.values.size(), 3u);
  EXPECT_EQ(r.values[x], 4);
  EXPECT_EQ(r.values[y], 3);
  EXPECT_EQ(r.objective, 4);
  EXPECT_EQ(r.bound, 4);

  // Two tasks of 3 and 4 on one of two machines each: exactly one machine
  // per task, no overlap per machine, makespan 4 (one each) unless forced
  // together by an enforced constraint.
  for (bool together : {false, true}) {
    cp::CpModel m2;
    std::vector<int> s, e;
    std::vector<std::vector<int>> on(2);
    std::vector<std::vector<int>> x2(2, std::vector<int>(2));
    for (int t = 0; t < 2; ++t) {
      s.push_back(m2.NewInt(0, 20, "s"));
      e.push_back(m2.NewInt(0, 20, "e"));
      for (int d = 0; d < 2; ++d) {
        x2[t][d] = m2.NewBool("x");
        on[d].push_back(m2.AddInterval(s[t], 3 + t, e[t], x2[t][d], "iv"));
      }
      m2.AddExactlyOne({x2[t][0], x2[t][1]}, "one");
    }
    for (int d = 0; d < 2; ++d) m2.AddNoOverlap(on[d], "no_overlap");
    if (together) m2.AddLinear({{x2[0][0], 1}, {x2[1][0], 1}}, 2, 2, "both_on_0");
    const int c = m2.NewInt(0, 20, "c");
    for (int t = 0; t < 2; ++t) m2.AddLinear({{c, 1}, {e[t], -1}}, 0, 20, "end");
    m2.Minimize(c);
    const cp::CpResult r2 = cp::SolveCp(m2, p);
    ASSERT_EQ(r2.status, cp::CpStatus::kOptimal) << r2.message;
    EXPECT_EQ(r2.objective, together ? 7 : 4);
  }
}

TEST(CpSat, MalformedModelIsAnError) {
  cp::CpModel md;
  const int x = md.NewInt(0, 5, "x");
  md.AddLinear({{x, 1}, {x + 7, 1}}, 0, 3, "bad");
  md.Minimize(x);
  const cp::CpResult r = cp::SolveCp(md, {});
  EXPECT_EQ(r.status, cp::CpStatus::kError);
  EXPECT_NE(r.message.find("malformed"), std::string::npos) << r.message;
  cp::CpModel empty_domain;
  empty_domain.Minimize(empty_domain.NewInt(3, 1, "x"));
  EXPECT_NE(cp::SolveCp(empty_domain, {}).message.find("empty domain"), std::string::npos);
}

TEST(CpSolver, MatchesBruteForceOnRandomInstances) {
  if (!RequireCp()) return;
  int instances = 0, optimal = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    // Real-valued times on even seeds, a pinned node on every third.
    const Problem pr =
        testutil::TinyProblem(seed, seed * 37 + 11, seed * 13 + 1, seed % 3 == 0, seed % 2 == 0 ? 0.37e-6 : 1);
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    SolveOptions so;
    so.time_limit_s = 30;
    const SolveResult r = MakeCpSolver()->Solve(pr, so);
    ASSERT_TRUE(HasPlan(r.status)) << r.message;
    const Evaluation ev = Evaluate(pr, r.plan);
    ASSERT_TRUE(ev.valid);
    EXPECT_NEAR(ev.makespan_s, r.makespan_s, 1e-12 * std::max(1.0, r.makespan_s));
    EXPECT_GE(r.makespan_s, opt.makespan * (1 - 1e-9));
    EXPECT_LE(r.makespan_s, opt.makespan * (1 + 1e-9)) << r.message;
    // The bound: never above the optimum, and at it (ticks of 1e-11 of the
    // makespan round it by far less than the tolerance).
    EXPECT_LE(r.lower_bound_s, opt.makespan * (1 + 1e-9)) << r.message;
    EXPECT_GE(r.lower_bound_s, opt.makespan * (1 - 1e-9)) << r.message;
    optimal += r.status == SolveStatus::kOptimal;
    ++instances;
  }
  EXPECT_EQ(instances, 150);
  EXPECT_EQ(optimal, 150);
}

// Chains of random modules: a module's segment with its entry and exit
// free (SegmentProblem() with a = b = -1) has the least optimum over its
// pinned (entry, exit) pairs, and the plan CP-SAT gives for it is a plan of
// the pinned segment of its own entry and exit devices.
TEST(CpSolver, FreeSegmentIsTheLeastOverItsEntries) {
  if (!RequireCp()) return;
  int segments = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    testutil::RandomChainBuilder b(seed, m);
    Graph& g = b.graph();
    while (g.num_nodes() < 9) {
      std::vector<int> mod;
      const int size = b.uni(2, 3);
      for (int k = 0; k < size; ++k) {
        const int v = b.Node();
        for (int u : mod)
          if (b.uni(0, 1) == 0) g.AddEdge(u, v, b.uni(0, 10));
        mod.push_back(v);
      }
      b.CloseModule(mod, false);
    }
    const Problem pr = testutil::MustBuild(g, RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 7 + 1));
    const ModuleStructure ms = FindModules(pr);
    for (size_t k = 1; k < ms.modules.size(); ++k) {
      if (ms.modules[k].empty() || k >= ms.cut_nodes.size()) continue;
      const int in = ms.cut_nodes[k - 1], out = ms.cut_nodes[k];
      std::string err;
      const Problem free = split::SegmentProblem(pr, in, ms.modules[k], out, -1, -1, &err);
      ASSERT_TRUE(err.empty()) << err;
      double least = 1e300;
      for (int a = 0; a < m; ++a)
        for (int bb = 0; bb < m; ++bb) {
          const Problem pinned = split::SegmentProblem(pr, in, ms.modules[k], out, a, bb, &err);
          const testutil::BruteForceResult o = testutil::BruteForceOptimum(pinned);
          ASSERT_TRUE(o.complete);
          least = std::min(least, o.makespan);
        }
      const ExactAnswer ans = CpExactSolve()(free, 30);
      SCOPED_TRACE("seed " + std::to_string(seed) + " segment " + std::to_string(k));
      ASSERT_EQ(ans.kind, ExactAnswer::Kind::kOptimal);
      EXPECT_NEAR(ans.value_s, least, 1e-9 * least);
      ASSERT_EQ(ans.plan.device.size(), static_cast<size_t>(free.n()));
      const Problem own = split::SegmentProblem(pr, in, ms.modules[k], out, ans.plan.device[0],
                                                ans.plan.device[free.n() - 1], &err);
      const Evaluation ev = Evaluate(own, ans.plan);
      ASSERT_TRUE(ev.valid);
      EXPECT_NEAR(ev.makespan_s, least, 1e-9 * least);
      ++segments;
    }
  }
  EXPECT_GE(segments, 30);
}

// Memory: three nodes of 6 bytes of weights on two devices of 10 bytes
// each. No node is too big and the total fits (MemoryInfeasibility() finds
// nothing), but a device holds one node only: CP-SAT proves no plan fits.
// With 12-byte devices two fit on one: the plan is valid and respects it.
TEST(CpSolver, MemoryCapacitiesHoldAndInfeasibleIsProven) {
  if (!RequireCp()) return;
  for (double cap : {10.0, 12.0}) {
    Graph g;
    for (int i = 0; i < 3; ++i) {
      Node nd;
      nd.id = "n" + std::to_string(i);
      nd.time_s["*"] = 1e-3 * (i + 1);
      nd.param_bytes = 6;
      g.AddNode(nd);
    }
    Platform p = Platform::Identical(2);
    for (auto& d : p.devices) d.memory_bytes = cap;
    const Problem pr = testutil::MustBuild(g, p);
    ASSERT_FALSE(MemoryInfeasibility(pr).has_value());
    SolveOptions so;
    so.time_limit_s = 20;
    const SolveResult r = MakeCpSolver()->Solve(pr, so);
    if (cap == 10.0) {
      EXPECT_EQ(r.status, SolveStatus::kInfeasible) << r.message;
      EXPECT_TRUE(r.plan.device.empty());
    } else {
      ASSERT_TRUE(HasPlan(r.status)) << r.message;
      const Evaluation ev = Evaluate(pr, r.plan);
      EXPECT_TRUE(ev.valid);
      EXPECT_EQ(r.status, SolveStatus::kOptimal);
      // n2 (3 ms) alone, n0 and n1 (1 + 2 ms) together: 3 ms.
      EXPECT_NEAR(r.makespan_s, 3e-3, 1e-12);
    }
  }
}

TEST(CpSolver, InterruptStopsItWithAPlan) {
  if (!RequireCp()) return;
  const Problem pr = testutil::LoadOnPaper("randwire:er,n=32,stages=2,seed=3");
  std::atomic<bool> stop{false};
  SolveOptions so;
  so.time_limit_s = 120;
  so.interrupt = &stop;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop = true;
  });
  const Stopwatch clock;
  const SolveResult r = MakeCpSolver()->Solve(pr, so);
  t.join();
  EXPECT_LT(clock.seconds(), 10);
  ASSERT_TRUE(HasPlan(r.status)) << r.message;
  EXPECT_TRUE(Evaluate(pr, r.plan).valid);
  EXPECT_LE(r.lower_bound_s, r.makespan_s * (1 + 1e-9));
}

// The module-chain bound with every module's segment solved free first
// (free_min_nodes 1): never above the brute-force optimum of random chains
// with skip edges and pins, and every free segment proven on them.
TEST(CpSolver, ChainBoundWithFreeSegmentsNeverAboveBruteForce) {
  if (!RequireCp()) return;
  int instances = 0, raised = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    testutil::RandomChainBuilder b(seed * 3 + 1, m);
    Graph& g = b.graph();
    AddModules(b, 7, 3, true);
    if (b.uni(0, 2) == 0) g.nodes[0].pin = "D1";
    const Problem pr = testutil::MustBuild(g, RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 5 + 3));
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    // No MILP of its own (an exact solver that gives nothing): the value
    // is the free segments' and, on the segments whose free solve proved,
    // CP-SAT's on the path's entries.
    const ExactSolveFn none = [](const Problem&, double) { return ExactAnswer{}; };
    const BoundPart with = ModuleChainBound(pr, 10.0, none, 80, nullptr, 1, nullptr, nullptr, CpExactSolve(), 1);
    const BoundPart without = ModuleChainBound(pr, 10.0, none);
    EXPECT_LE(with.value_s, opt.makespan * (1 + 1e-9)) << with.detail;
    EXPECT_GE(with.value_s, without.value_s * (1 - 1e-9)) << with.detail;
    EXPECT_NE(with.detail.find("free segments"), std::string::npos) << with.detail;
    raised += with.value_s > without.value_s * (1 + 1e-6);
    ++instances;
  }
  EXPECT_EQ(instances, 40);
  EXPECT_GT(raised, 0);  // the cheap bounds and device_energetic are tight on most of these tiny chains
}

// Without skip edges over the cut nodes the chain's shortest path over
// proven entries is the optimum. With no MILP at all (an exact solver that
// gives nothing), the free phase and then CP-SAT on the path's entries of
// the segments it proved must get there on every chain: the rounds use
// CP-SAT there (the detail counts it), never the empty solver alone.
TEST(CpSolver, ChainRoundsUseCpSatWhereTheFreeSegmentProved) {
  if (!RequireCp()) return;
  int instances = 0, by_cp = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    testutil::RandomChainBuilder b(seed * 11 + 5, m);
    Graph& g = b.graph();
    AddModules(b, 8, 2, false);
    if (b.uni(0, 2) == 0) g.nodes[b.uni(0, g.num_nodes() - 1)].pin = "D" + std::to_string(b.uni(1, m));
    const Problem pr = testutil::MustBuild(g, RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 13 + 7));
    SCOPED_TRACE("seed " + std::to_string(seed));
    // A module whose nodes form a path turns them into cut nodes, and the
    // edges from the cut node before it then skip over them: the chain is
    // only a bound there, so those chains are left out.
    const ModuleStructure ms = FindModules(pr);
    std::vector<int> pos(pr.n(), -1);
    for (size_t k = 0; k < ms.modules.size(); ++k) {
      for (int v : ms.modules[k]) pos[v] = static_cast<int>(2 * k);
      if (k < ms.cut_nodes.size()) pos[ms.cut_nodes[k]] = static_cast<int>(2 * k + 1);
    }
    bool skips = false;
    for (const auto& e : pr.graph().edges)
      for (size_t k = 0; k < ms.cut_nodes.size(); ++k)
        skips = skips || (pos[e.from] < static_cast<int>(2 * k + 1) && static_cast<int>(2 * k + 1) < pos[e.to]);
    if (skips) continue;
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    const ExactSolveFn none = [](const Problem&, double) { return ExactAnswer{}; };
    const BoundPart chain = ModuleChainBound(pr, 20.0, none, 80, nullptr, 1, nullptr, nullptr, CpExactSolve(), 1);
    EXPECT_NE(chain.detail.find("shortest path all proven"), std::string::npos) << chain.detail;
    EXPECT_NEAR(chain.value_s, opt.makespan, 1e-9 * opt.makespan) << chain.detail;
    by_cp += chain.detail.find("of them CP-SAT") != std::string::npos;
    ++instances;
  }
  EXPECT_GE(instances, 10);
  EXPECT_GT(by_cp, 0);  // the free plan's own entry is not always the path's
}

// `diviml solve --solver cp` with the library missing: one error, non-zero
// exit, naming what to run.
TEST(CpSolver, MissingLibraryIsAClearError) {
  const testutil::CommandRun r =
      testutil::RunCommand("DIVIML_ORTOOLS_LIB=/nonexistent/libortools.so.9 " + std::string(DIVIML_BINARY) +
                           " solve -g randwire:ws,n=6,stages=2,seed=1 -p zoo:paper --solver cp 2>&1");
  EXPECT_NE(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("CP-SAT is not available"), std::string::npos) << r.out;
  if (!kSanitized) EXPECT_NE(r.out.find("/nonexistent/libortools.so.9"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace diviml

namespace diviml {
namespace {

double Field(const std::string& text, const std::string& key) {
  const size_t at = text.find(key);
  return at == std::string::npos ? -1 : std::stod(text.substr(at + key.size()));
}

// The referee (experiments/chain_dp.cc with cp, docs/split.md): every
// (entry, exit) pair of every segment solved by CP-SAT; on small RandWire
// graphs all are proven, so the path over the entries' bounds meets the
// concatenated plan, and that optimum is the one the cp solver proves on
// the whole graph: two exact methods agree.
TEST(CpSolver, ChainRefereeMeetsTheWholeGraphOptimum) {
  if (!RequireCp()) return;
  for (const std::string graph : {"randwire:ws,n=6,stages=2,seed=1", "randwire:er,n=6,stages=2,seed=2"}) {
    SCOPED_TRACE(graph);
    const testutil::CommandRun ref =
        testutil::RunCommand(std::string(DIVIML_CHAIN_DP_BINARY) + " " + graph + " zoo:paper 20 cp 2>/dev/null");
    ASSERT_EQ(ref.code, 0) << ref.out;
    const double plan = Field(ref.out, "concatenated plan "), bound = Field(ref.out, "bound ");
    ASSERT_GT(plan, 0) << ref.out;
    EXPECT_NEAR(bound, plan, 2e-3) << ref.out;  // printed in us, 3 decimals
    const SolveResult whole = MakeCpSolver()->Solve(testutil::LoadOnPaper(graph), SolveOptions{});
    ASSERT_EQ(whole.status, SolveStatus::kOptimal) << whole.message;
    EXPECT_NEAR(whole.makespan_s * 1e6, plan, 2e-3) << ref.out;
  }
  // A bad solver name: one line, exit 2.
  const testutil::CommandRun bad =
      testutil::RunCommand(std::string(DIVIML_CHAIN_DP_BINARY) + " randwire:ws,n=6,stages=2,seed=1 zoo:paper 1 gurobi 2>&1");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("unknown solver 'gurobi'"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace diviml
