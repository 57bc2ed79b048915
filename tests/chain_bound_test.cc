// The module-chain bound (ModuleChainBound): never above the brute-force
// optimum of tiny chains of random modules (with skip edges across cut
// nodes and pinned nodes), never above a known STG optimum, never below
// ComputeBounds()'s module part, and at least module_exact when both prove
// every module.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "brute_force.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/split.h"

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
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Graph g;
  g.name = "chain" + std::to_string(seed);
  auto node = [&]() {
    Node n;
    n.id = "v" + std::to_string(g.num_nodes());
    for (int d = 0; d < m; ++d) n.time_s["D" + std::to_string(d + 1)] = uni(1, 12);
    return g.AddNode(n);
  };
  std::vector<int> prev;  // sinks of the previous part
  std::vector<int> older;  // nodes before the previous cut node
  while (g.num_nodes() < 6) {
    int size = uni(1, 3);
    std::vector<int> mod;
    for (int k = 0; k < size && g.num_nodes() < 6; ++k) {
      int v = node();
      for (int u : mod)
        if (uni(0, 2) == 0) g.AddEdge(u, v, uni(0, 10));
      mod.push_back(v);
    }
    for (int v : mod)
      for (int u : prev) g.AddEdge(u, v, uni(0, 10));
    if (!older.empty() && uni(0, 1) == 0) g.AddEdge(older[uni(0, static_cast<int>(older.size()) - 1)], mod.back(), uni(0, 10));
    older.insert(older.end(), mod.begin(), mod.end());
    int c = node();
    for (int v : mod) g.AddEdge(v, c, uni(0, 10));
    prev = {c};
  }
  if (uni(0, 2) == 0) g.nodes[0].pin = "D1";
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

}  // namespace
}  // namespace diviml
