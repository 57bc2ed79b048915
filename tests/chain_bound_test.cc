// The module-chain bound (ModuleChainBound): never above the brute-force
// optimum of tiny chains of random modules (with skip edges across cut
// nodes and pinned nodes), never above a known STG optimum, never below
// ComputeBounds()'s module part, and at least module_exact when both prove
// every module.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "zoo_problem.h"
#include "brute_force.h"
#include "random_chain.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/split.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

using testutil::MustBuild;

double ModulePart(const Problem& pr) {
  for (const auto& p : ComputeBounds(pr).parts)
    if (p.name == "module") return p.value_s;
  return 0;
}

// Random module (2-3 nodes) -> cut node -> random module -> cut node -> ...,
// at most 7 nodes, with a skip edge over a cut node now and then and the
// first node sometimes pinned.
Graph RandomChain(uint64_t seed, int m) {
  testutil::RandomChainBuilder b(seed, m);
  Graph& g = b.graph();
  while (g.num_nodes() < 6) {
    int size = b.uni(1, 3);
    std::vector<int> mod;
    for (int k = 0; k < size && g.num_nodes() < 6; ++k) {
      int v = b.Node();
      for (int u : mod)
        if (b.uni(0, 2) == 0) g.AddEdge(u, v, b.uni(0, 10));
      mod.push_back(v);
    }
    b.CloseModule(mod, true);
  }
  if (b.uni(0, 2) == 0) g.nodes[0].pin = "D1";
  return g;
}

TEST(ChainBound, NeverAboveBruteForceOnRandomChains) {
  int instances = 0, tighter = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    Problem pr = MustBuild(RandomChain(seed, m), RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 5 + 3));
    SCOPED_TRACE("seed " + std::to_string(seed));
    testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    BoundPart chain = ModuleChainBound(pr, 5.0, MilpExactSolve());
    BoundPart exact = ModuleExactBound(pr, 5.0, MilpExactSolve());
    EXPECT_LE(chain.value_s, opt.makespan + 1e-9) << chain.detail;
    EXPECT_GE(chain.value_s, ModulePart(pr) - 1e-9);
    if (chain.detail.find("all proven") != std::string::npos &&
        exact.detail.find(" 0 proven") == std::string::npos)
      EXPECT_GE(chain.value_s, exact.value_s - 1e-9) << chain.detail << " / " << exact.detail;
    tighter += chain.value_s > exact.value_s + 1e-9;
    ++instances;
  }
  EXPECT_EQ(instances, 60);
  // The boundary transfers make the chain bound strictly tighter somewhere.
  EXPECT_GT(tighter, 0);
}

TEST(ChainBound, NeverAboveKnownStgOptimum) {
  const std::vector<testutil::StgKnownRow> rows = testutil::ReadStgKnown();
  int checked = 0;
  for (size_t k = 0; k < rows.size() && checked < 8; k += 22) {  // spread over m = 2, 4, 8
    const testutil::StgKnownRow& row = rows[k];
    Problem pr = MustBuild(LoadGraph(std::string(DIVIML_TEST_DATA) + "/stg50/" + row.file),
                           Platform::Identical(row.m));
    BoundPart b = ModuleChainBound(pr, 2.0, MilpExactSolve());
    EXPECT_LE(b.value_s, row.upper + 1e-9) << row.file << " m=" << row.m << " " << b.detail;
    EXPECT_GE(b.value_s, ModulePart(pr) - 1e-9) << row.file;
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

using testutil::LoadOnPaper;

// Parallel segments (issue 16): with time for every segment MILP to prove,
// the bound is the same for 1, 2 and 3 workers (the path's entries are
// optima, so the value is the minimum over device sequences of summed
// optima, whichever thread found them), and with 2 workers two MILPs do
// run at once.
TEST(ChainBound, ParallelEqualsSerialWhenProven) {
  int compared = 0, overlapped = 0;
  for (const std::string graph : {"randwire:ws,n=6,stages=2,seed=1", "randwire:er,n=6,stages=2,seed=2",
                                  "randwire:ba,n=6,stages=2,seed=3", "zoo:resnet18"}) {
    SCOPED_TRACE(graph);
    const Problem pr = LoadOnPaper(graph);
    const BoundPart serial = ModuleChainBound(pr, 60.0, MilpExactSolve());
    ASSERT_NE(serial.detail.find("all proven"), std::string::npos) << serial.detail;
    for (int threads : {2, 3}) {
      std::atomic<int> running{0}, most{0};
      const ExactSolveFn inner = MilpExactSolve();
      ExactSolveFn counted = [&](const Problem& sub, double limit) {
        int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        ExactAnswer a = inner(sub, limit);
        --running;
        return a;
      };
      const BoundPart par = ModuleChainBound(pr, 60.0, counted, 80, nullptr, threads);
      ASSERT_NE(par.detail.find("all proven"), std::string::npos) << threads << ": " << par.detail;
      EXPECT_NEAR(par.value_s, serial.value_s, 1e-9 * serial.value_s) << threads << ": " << par.detail;
      ASSERT_EQ(par.segments.size(), serial.segments.size());
      for (size_t k = 0; k < par.segments.size(); ++k)
        EXPECT_NEAR(par.segments[k].value_s, serial.segments[k].value_s, 1e-9 * serial.value_s) << k;
      EXPECT_LE(most.load(), threads);
      overlapped += most.load() > 1;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 8);
  EXPECT_GT(overlapped, 0);
}

// The chain solves the path's entries in rounds of a growing limit: with an
// exact solver that never proves (it answers the sub-problem's cheap bound
// at once), the first segment MILP has at most the first round's 10% of
// the time (the old single batch gave it a share of all that was left),
// some entry is solved again with a larger limit, none again with the
// same or a smaller one, and the loop ends within the time.
TEST(ChainBound, PathEntriesInRoundsOfGrowingLimits) {
  const Problem pr = LoadOnPaper("randwire:ws,n=6,stages=2,seed=1");
  const double T = 2.0;
  std::map<std::string, std::vector<double>> limits;  // segment MILP calls per sub-problem
  std::vector<double> order;
  ExactSolveFn never_proves = [&](const Problem& sub, double limit) {
    // Segment sub-problems have the entry (or the exit marker) pinned (a
    // module alone, as the chain once solved first, would have none).
    std::string key;
    bool pinned = false;
    for (int i = 0; i < sub.n(); ++i) {
      key += sub.graph().nodes[i].id + "@" + std::to_string(sub.fixed_device(i)) + ";";
      pinned = pinned || sub.fixed_device(i) >= 0;
    }
    if (pinned) {
      limits[key].push_back(limit);
      order.push_back(limit);
    }
    ExactAnswer a;
    a.kind = ExactAnswer::Kind::kBound;
    a.value_s = ComputeBounds(sub).best_s;
    return a;
  };
  const Stopwatch clock;
  const BoundPart b = ModuleChainBound(pr, T, never_proves);
  EXPECT_LE(clock.seconds(), T + 1.0) << b.detail;
  EXPECT_GE(b.value_s, ModulePart(pr) - 1e-12);
  ASSERT_FALSE(order.empty());
  EXPECT_LE(order.front(), 0.1 * T + 1e-9);
  int again = 0;
  for (const auto& [key, ls] : limits) {
    for (size_t i = 1; i < ls.size(); ++i) EXPECT_GT(ls[i], ls[i - 1]) << key;
    again += ls.size() > 1;
  }
  EXPECT_GT(again, 0);
}

// The relaxation first (RelaxBoundFn, issue 16): every sub-problem the
// exact solver sees has had the relaxation before (same sub-problem up to
// node ids), the chain stays below the brute-force optimum of random
// chains, and with an exact solver that never proves, the assignment
// relaxation raises the bound on some graph (so it is really used).
TEST(ChainBound, RelaxationFirstOnSmallSegments) {
  // The sub-problem up to node ids (times, pins, edges), as the chain's
  // caches key it: a relaxation reused from the cache counts.
  auto key_of = [](const Problem& sub) {
    std::string key = std::to_string(sub.n()) + "|";
    for (int i = 0; i < sub.n(); ++i) {
      for (int d = 0; d < sub.m(); ++d) key += std::to_string(sub.p(i, d)) + ",";
      key += std::to_string(sub.fixed_device(i)) + ";";
    }
    for (const auto& e : sub.graph().edges)
      key += std::to_string(e.from) + ">" + std::to_string(e.to) + ":" + std::to_string(e.bytes) + ";";
    return key;
  };
  int exact_calls = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const int m = 2 + static_cast<int>(seed % 2);
    Problem pr = MustBuild(RandomChain(seed, m), RandomPlatform(m, 3, 1 + static_cast<int>(seed % 3), seed * 5 + 3));
    SCOPED_TRACE("seed " + std::to_string(seed));
    const testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    std::set<std::string> relaxed;
    const RelaxBoundFn inner = AssignmentRelaxation("", nullptr, 1, 100);  // on every size here
    RelaxBoundFn relax = [&](const Problem& sub, double limit) {
      relaxed.insert(key_of(sub));
      return inner(sub, limit);
    };
    const ExactSolveFn milp = MilpExactSolve();
    ExactSolveFn exact = [&](const Problem& sub, double limit) {
      EXPECT_TRUE(relaxed.count(key_of(sub))) << "exact before the relaxation: " << key_of(sub);
      ++exact_calls;
      return milp(sub, limit);
    };
    const BoundPart chain = ModuleChainBound(pr, 5.0, exact, 80, nullptr, 1, relax);
    EXPECT_LE(chain.value_s, opt.makespan + 1e-9) << chain.detail;
    EXPECT_GE(chain.value_s, ModulePart(pr) - 1e-9);
  }
  EXPECT_GT(exact_calls, 0);  // the order check above saw exact calls
  int raised = 0;
  for (const std::string graph : {"randwire:ws,n=6,stages=2,seed=1", "randwire:er,n=6,stages=2,seed=2", "zoo:resnet18"}) {
    const Problem pr = LoadOnPaper(graph);
    ExactSolveFn never_proves = [](const Problem& sub, double) {
      ExactAnswer a;
      a.kind = ExactAnswer::Kind::kBound;
      a.value_s = ComputeBounds(sub).best_s;
      return a;
    };
    // 20 s: device_energetic (its first 10%) covers every entry in both
    // runs even on a sanitizer build, so only the relaxation differs; the
    // calls end long before (the exact solver answers at once).
    const double without = ModuleChainBound(pr, 20.0, never_proves).value_s;
    const BoundPart with =
        ModuleChainBound(pr, 20.0, never_proves, 80, nullptr, 1, AssignmentRelaxation("", nullptr, 1, 100));
    EXPECT_GE(with.value_s, without - 1e-12) << graph;
    raised += with.value_s > without * (1 + 1e-9);
  }
  EXPECT_GT(raised, 0);
}

// The time limit and the cancel flag hold with several workers: a dense
// RandWire chain whose segment MILPs do not prove stops near the limit,
// and a flag set after 0.3 s stops it soon after.
TEST(ChainBound, ParallelHonoursLimitAndCancel) {
  const Problem pr = LoadOnPaper("randwire:er,n=32,stages=3,seed=7");
  const double cheap = ModuleChainBound(pr, 0.0, MilpExactSolve()).value_s;
  {
    const Stopwatch clock;
    const BoundPart b = ModuleChainBound(pr, 1.5, MilpExactSolve(), 80, nullptr, 3);
    EXPECT_LE(clock.seconds(), 1.5 + 1.5) << b.detail;
    EXPECT_GE(b.value_s, cheap - 1e-12);
  }
  {
    std::atomic<bool> cancel{false};
    std::thread t([&cancel] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      cancel = true;
    });
    const Stopwatch clock;
    const BoundPart b = ModuleChainBound(pr, 60.0, MilpExactSolve("", &cancel), 80, &cancel, 2);
    const double wall = clock.seconds();
    t.join();
    EXPECT_LE(wall, 0.3 + 2.0) << b.detail;
    EXPECT_GE(b.value_s, cheap - 1e-12);
  }
}

}  // namespace
}  // namespace diviml
