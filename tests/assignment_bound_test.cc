// AssignmentBound (src/bound/assignment_bound.cc): never above the
// brute-force optimum of hundreds of tiny random heterogeneous instances
// with transfers and pinned nodes (whole-number and real-valued times), and
// strictly above the cheap bounds and device_energetic on some of them, so
// the test can fail both ways.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "brute_force.h"
#include "diviml/bound/bounds.h"
#include "diviml/gen/random_dag.h"

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

}  // namespace
}  // namespace diviml
