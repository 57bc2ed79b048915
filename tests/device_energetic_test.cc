// DeviceEnergeticBound (src/bound/device_energetic.cc): never above the
// brute-force optimum of hundreds of tiny random heterogeneous instances
// with transfers and pinned nodes, never below the bound it starts from, and
// strictly above every cheap bound on some of them (so the test can fail
// both ways).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "brute_force.h"
#include "stg_known.h"
#include "diviml/bound/bounds.h"
#include "diviml/gen/random_dag.h"

namespace diviml {
namespace {

using testutil::MustBuild;

TEST(DeviceEnergetic, NeverAboveBruteForceOptimum) {
  int instances = 0, strictly_better = 0, pinned = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    // Pin a node now and then (the first, or a middle one).
    pinned += seed % 3 == 0;
    Problem pr = testutil::TinyProblem(seed, seed * 31 + 5, seed * 13 + 3, seed % 3 == 0);
    SCOPED_TRACE("seed " + std::to_string(seed));
    testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    const BoundReport cheap = ComputeBounds(pr);
    const double from_zero = DeviceEnergeticBound(pr, 0);
    const double from_cheap = DeviceEnergeticBound(pr, cheap.best_s);
    EXPECT_LE(from_zero, opt.makespan + 1e-9);
    EXPECT_LE(from_cheap, opt.makespan + 1e-9);
    EXPECT_GE(from_cheap, cheap.best_s);
    // A node with no device left fails, so comm_path is reached (to the
    // bisection's relative precision when the instance is not integral).
    EXPECT_GE(from_zero, CommPathBound(pr) * (1 - 1e-5));
    if (from_cheap > cheap.best_s + 1e-9) ++strictly_better;
    ++instances;
  }
  EXPECT_EQ(instances, 400);
  EXPECT_GT(pinned, 100);
  EXPECT_GT(strictly_better, 0);
  std::printf("[device_energetic] strictly above the cheap bounds on %d of %d\n", strictly_better,
              instances);
}

// Real-valued times (not integral): the bisection path.
TEST(DeviceEnergetic, NeverAboveBruteForceOptimumRealTimes) {
  int strictly_better = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    RandomDagOptions o;
    o.nodes = 5 + static_cast<int>(seed % 3);
    const int m = 2 + static_cast<int>(seed % 2);
    o.mean_out_degree = 1.5;
    o.min_time = 1;
    o.max_time = 9;
    o.min_bytes = 0;
    o.max_bytes = 8;
    o.seed = seed * 17 + 1;
    Graph g = RandomDag(o, m);
    for (auto& nd : g.nodes)
      for (auto& [dev, t] : nd.time_s) t *= 0.37;  // no longer whole numbers
    if (seed % 4 == 1) g.nodes.back().pin = "D1";
    Platform p = RandomPlatform(m, 2, 2, seed * 5 + 2);
    Problem pr = MustBuild(g, p);
    SCOPED_TRACE("seed " + std::to_string(seed));
    testutil::BruteForceResult opt = testutil::BruteForceOptimum(pr);
    ASSERT_TRUE(opt.complete);
    const double cheap = ComputeBounds(pr).best_s;
    const double b = DeviceEnergeticBound(pr, cheap);
    EXPECT_LE(b, opt.makespan * (1 + 1e-9) + 1e-12);
    EXPECT_GE(b, cheap);
    if (b > cheap * (1 + 1e-9)) ++strictly_better;
  }
  EXPECT_GT(strictly_better, 0);
}

}  // namespace
}  // namespace diviml
