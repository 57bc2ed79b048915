// Lower bounds: never above a known optimum (STG set) or the brute-force
// optimum (tiny random heterogeneous instances with transfers), and at least
// the simple bounds they are built from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bound/work_bound.h"
#include "brute_force.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"

namespace diviml {
namespace {

using testutil::MustBuild;

TEST(Bounds, StgSetWithinKnownOptimum) {
  std::vector<testutil::StgKnownRow> rows = testutil::ReadStgKnown();
  ASSERT_GE(rows.size(), 170u);  // 60 graphs x m = 2, 4, 8
  int checked = 0, tight = 0;
  std::map<std::string, Graph> graphs;
  for (const testutil::StgKnownRow& row : rows) {
    if (row.m != 2 && row.m != 4 && row.m != 8) continue;
    SCOPED_TRACE(row.file + " m=" + std::to_string(row.m));
    auto it = graphs.find(row.file);
    if (it == graphs.end())
      it = graphs.emplace(row.file, LoadGraph(std::string(DIVIML_TEST_DATA) + "/stg50/" + row.file))
               .first;
    Problem pr = MustBuild(it->second, Platform::Identical(row.m));
    ASSERT_TRUE(pr.integral());
    BoundReport b = ComputeBounds(pr);
    double work = 0;
    for (int i = 0; i < pr.n(); ++i) work += pr.p(i, 0);
    const double simple = std::max(CriticalPathBound(pr), std::ceil(work / row.m - 1e-9));
    EXPECT_GE(b.best_s, simple);
    EXPECT_LE(b.best_s, row.upper);
    for (const BoundPart& part : b.parts) {
      EXPECT_LE(part.value_s, row.upper) << part.name;
      EXPECT_EQ(part.value_s, std::floor(part.value_s)) << part.name << " not rounded";
    }
    // The module bound is never weaker than the critical path.
    ModuleStructure ms = FindModules(pr);
    EXPECT_GE(ModuleBound(pr, ms) + 1e-9, CriticalPathBound(pr));
    EXPECT_DOUBLE_EQ(WorkBound(pr), work / row.m);  // identical devices: closed form
    ++checked;
    tight += b.best_s == row.upper;
  }
  EXPECT_EQ(checked, 180);
  // Informational: how often the bound alone proves the known optimum.
  std::printf("[bounds] STG: %d of %d instances have bound == best known makespan\n", tight,
              checked);
}

TEST(Bounds, ModulesOfAChainAndADiamond) {
  // a -> b -> c: every node is a cut node; modules all empty.
  Graph chain;
  for (const char* id : {"a", "b", "c"}) {
    Node n;
    n.id = id;
    n.time_s["*"] = 2;
    chain.AddNode(n);
  }
  chain.AddEdge(0, 1, 0);
  chain.AddEdge(1, 2, 0);
  ASSERT_FALSE(chain.Finalize());
  Problem pc = MustBuild(chain, Platform::Identical(2));
  ModuleStructure mc = FindModules(pc);
  EXPECT_EQ(mc.cut_nodes, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(mc.modules.size(), 4u);
  for (const auto& mod : mc.modules) EXPECT_TRUE(mod.empty());
  EXPECT_DOUBLE_EQ(ModuleBound(pc, mc), 6);

  // s -> {x, y} -> t -> {u, v}: cut nodes s, t; modules {x,y} and {u,v}.
  Graph g;
  const char* ids[] = {"s", "x", "y", "t", "u", "v"};
  const double times[] = {1, 4, 4, 1, 3, 5};
  for (int i = 0; i < 6; ++i) {
    Node n;
    n.id = ids[i];
    n.time_s["*"] = times[i];
    g.AddNode(n);
  }
  g.AddEdge(0, 1, 0);
  g.AddEdge(0, 2, 0);
  g.AddEdge(1, 3, 0);
  g.AddEdge(2, 3, 0);
  g.AddEdge(3, 4, 0);
  g.AddEdge(3, 5, 0);
  ASSERT_FALSE(g.Finalize());
  Problem pr = MustBuild(g, Platform::Identical(2));
  ModuleStructure ms = FindModules(pr);
  EXPECT_EQ(ms.cut_nodes, (std::vector<int>{0, 3}));
  ASSERT_EQ(ms.modules.size(), 3u);
  EXPECT_TRUE(ms.modules[0].empty());
  EXPECT_EQ(ms.modules[1], (std::vector<int>{1, 2}));
  std::vector<int> last = ms.modules[2];
  std::sort(last.begin(), last.end());
  EXPECT_EQ(last, (std::vector<int>{4, 5}));
  // 1 + max(4, 8/2) + 1 + max(5, 8/2) = 11 (the optimum: s, x||y, t, u||v).
  EXPECT_DOUBLE_EQ(ModuleBound(pr, ms), 11);
  EXPECT_DOUBLE_EQ(CriticalPathBound(pr), 11);
  EXPECT_DOUBLE_EQ(WorkBound(pr), 9);
  BoundReport b = ComputeBounds(pr);
  EXPECT_DOUBLE_EQ(b.best_s, 11);
  const BoundPart* module = nullptr;
  for (const BoundPart& part : b.parts)
    if (part.name == "module") module = &part;
  ASSERT_NE(module, nullptr);
  EXPECT_NE(module->detail.find("2 modules, 2 cut nodes"), std::string::npos) << module->detail;
}

TEST(Bounds, WorkBoundLpOnUnrelatedDevices) {
  // Two nodes, two devices: a takes 1 on D1 / 3 on D2, b takes 3 / 1.
  // c takes 2 on both.
  Graph g;
  auto add = [&](const std::string& id, double t1, double t2) {
    Node n;
    n.id = id;
    n.time_s["D1"] = t1;
    n.time_s["D2"] = t2;
    g.AddNode(n);
  };
  add("a", 1, 3);
  add("b", 3, 1);
  add("c", 2, 2);
  ASSERT_FALSE(g.Finalize());
  Platform p = RandomPlatform(2, 0, 1, 1);
  Problem pr = MustBuild(g, p);
  // LP: a on D1, b on D2, c split evenly -> T = 2.
  EXPECT_NEAR(WorkBound(pr), 2, 1e-6);
  EXPECT_LE(WorkBound(pr), 2 + 1e-12);  // never above the true LP value
}

// Tiny random heterogeneous instances with transfers: every bound is at most
// the brute-force optimum, and Evaluate() agrees with the brute force.
TEST(Bounds, NeverAboveBruteForceOptimum) {
  int instances = 0, module_helps = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const int devices = testutil::TinyDevices(seed);
    Graph g = RandomDag(testutil::TinyDagOptions(seed, seed), devices);
    Platform p = RandomPlatform(devices, 3, 1 + static_cast<int>(seed % 3), seed * 7 + 1);
    Problem pr = MustBuild(g, p);
    SCOPED_TRACE("seed " + std::to_string(seed) + " n=" + std::to_string(pr.n()) +
                 " m=" + std::to_string(devices));
    testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    // The brute force's own plan, checked by the independent evaluator.
    Evaluation ev = Evaluate(pr, opt.plan);
    ASSERT_TRUE(ev.valid);
    EXPECT_NEAR(ev.makespan_s, opt.makespan, 1e-9);

    const double tol = 1e-9 * std::max(1.0, opt.makespan);
    BoundReport b = ComputeBounds(pr);
    EXPECT_LE(b.best_s, opt.makespan + tol);
    for (const BoundPart& part : b.parts)
      EXPECT_LE(part.value_s, opt.makespan + tol) << part.name << " " << part.detail;
    EXPECT_LE(CriticalPathBound(pr), opt.makespan + tol);
    EXPECT_LE(CommPathBound(pr), opt.makespan + tol);
    EXPECT_GE(CommPathBound(pr) + 1e-9, CriticalPathBound(pr));
    EXPECT_LE(WorkBound(pr), opt.makespan + tol);
    ModuleStructure ms = FindModules(pr);
    EXPECT_LE(ModuleBound(pr, ms), opt.makespan + tol);
    EXPECT_GE(ModuleBound(pr, ms) + 1e-9, CriticalPathBound(pr));
    // Every node is a cut node or in exactly one module.
    std::vector<int> seen(pr.n(), 0);
    for (int c : ms.cut_nodes) ++seen[c];
    for (const auto& mod : ms.modules)
      for (int v : mod) ++seen[v];
    for (int v = 0; v < pr.n(); ++v) EXPECT_EQ(seen[v], 1) << "node " << v;
    // Any multipliers on the simplex give a valid work bound.
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::vector<int> all(pr.n());
    for (int i = 0; i < pr.n(); ++i) all[i] = i;
    for (int k = 0; k < 5; ++k) {
      std::vector<double> w(devices);
      double sum = 0;
      for (double& x : w) sum += (x = std::uniform_real_distribution<double>(0, 1)(rng));
      for (double& x : w) x /= sum;
      EXPECT_LE(bound_internal::DualWorkBound(pr, all, w), WorkBound(pr) + 1e-9);
    }
    // The no-LP fallback: valid, and at least sum min_p / m.
    const double ascent = bound_internal::DualAscentWorkBound(pr, all, 300);
    double min_work = 0;
    for (int i = 0; i < pr.n(); ++i) min_work += pr.min_p(i);
    EXPECT_LE(ascent, WorkBound(pr) + 1e-6);
    EXPECT_GE(ascent + 1e-12, min_work / devices);
    // A list schedule of any (assignment, order) is at least the optimum.
    std::vector<int> dev(pr.n());
    for (int& d : dev) d = static_cast<int>(rng() % devices);
    EXPECT_GE(testutil::ListScheduleMakespan(pr, dev, pr.graph().topo_order()) + tol,
              opt.makespan);
    ++instances;
    bool module_strictly_best = b.best_name == "module";
    for (const BoundPart& part : b.parts)
      if (part.name != "module" && part.value_s >= b.best_s) module_strictly_best = false;
    module_helps += module_strictly_best;
  }
  EXPECT_EQ(instances, 400);
  std::printf("[bounds] random: module bound strictly best on %d of %d\n", module_helps,
              instances);
}

// The pruned search against a naive enumeration of every assignment and
// every permutation that is a topological order.
TEST(BruteForce, MatchesNaiveEnumeration) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    RandomDagOptions o;
    o.nodes = 3 + static_cast<int>(seed % 4);  // 3..6
    o.mean_out_degree = 1.5;
    o.max_bytes = 8;
    o.seed = seed + 1000;
    const int m = 2 + static_cast<int>(seed % 2);
    Problem pr = MustBuild(RandomDag(o, m), RandomPlatform(m, 3, 2, seed));
    const int n = pr.n();
    std::vector<int> perm(n);
    for (int i = 0; i < n; ++i) perm[i] = i;
    double best = std::numeric_limits<double>::infinity();
    std::vector<int> dev(n, 0);
    do {
      std::vector<int> pos(n);
      for (int k = 0; k < n; ++k) pos[perm[k]] = k;
      bool topo = true;
      for (const Edge& e : pr.graph().edges) topo = topo && pos[e.from] < pos[e.to];
      if (!topo) continue;
      long long total = 1;
      for (int i = 0; i < n; ++i) total *= m;
      for (long long code = 0; code < total; ++code) {
        long long c = code;
        for (int i = 0; i < n; ++i, c /= m) dev[i] = static_cast<int>(c % m);
        best = std::min(best, testutil::ListScheduleMakespan(pr, dev, perm));
      }
    } while (std::next_permutation(perm.begin(), perm.end()));
    testutil::BruteForceResult r = testutil::BruteForceOptimum(pr);
    EXPECT_DOUBLE_EQ(r.makespan, best) << "seed " << seed;
    EXPECT_DOUBLE_EQ(testutil::ListScheduleMakespan(pr, r.device, r.order), r.makespan);
  }
}

TEST(BruteForce, KnownTinyOptimum) {
  // Two independent nodes of 3 and a consumer of 2 on two identical devices
  // with a transfer cost of 5 per edge (1 byte, latency 4 + 1/1):
  // optimum: all on one device -> 3 + 3 + 2 = 8, vs. split 3 + 5 + 2 = 10.
  Graph g;
  for (const char* id : {"a", "b", "c"}) {
    Node n;
    n.id = id;
    n.time_s["*"] = std::string(id) == "c" ? 2 : 3;
    g.AddNode(n);
  }
  g.AddEdge(0, 2, 1);
  g.AddEdge(1, 2, 1);
  ASSERT_FALSE(g.Finalize());
  Platform p;
  for (const char* name : {"D1", "D2"}) {
    Device d;
    d.name = d.type = name;
    p.devices.push_back(d);
  }
  p.SetDefaultLink(Link{1.0, 4.0});
  Problem pr = MustBuild(g, p);
  testutil::BruteForceResult r = testutil::BruteForceOptimum(pr);
  EXPECT_TRUE(r.complete);
  EXPECT_DOUBLE_EQ(r.makespan, 8);
  EXPECT_EQ(r.device[0], r.device[1]);
  EXPECT_EQ(r.device[1], r.device[2]);
  // Free transfers: split a and b -> 3 + 2 = 5.
  p.SetDefaultLink(Link{kUnlimited, 0});
  Problem free_pr = MustBuild(g, p);
  EXPECT_DOUBLE_EQ(testutil::BruteForceOptimum(free_pr).makespan, 5);
  EXPECT_DOUBLE_EQ(ComputeBounds(free_pr).best_s, 5);
}

}  // namespace
}  // namespace diviml
