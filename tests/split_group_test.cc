// SolveGroup's plan bound (solve/split/group_solve.h): the whole problem's
// lower bound is handed to the group's MILP only when the group holds every
// node not yet placed (its sub-problem's makespan is then the plan's).
// Checked with a deliberately wrong bound (far above any plan): a first
// group ignores it and gives the same placement as with none; a last group
// uses it (its MILP stops at its first plan, which on some of these random
// instances is worse), so the check could fail.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stg_known.h"
#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "solve/split/group_solve.h"

namespace diviml {
namespace {

using testutil::MustBuild;

// The makespan of the two groups solved in order, the second with
// `last_bound`; *first gets the placement after the first group solved
// with `first_bound`.
double TwoGroups(const Problem& pr, double first_bound, double last_bound, split::State* first) {
  std::vector<int> a, b;
  for (int v : pr.graph().topo_order()) (static_cast<int>(a.size()) < pr.n() / 2 ? a : b).push_back(v);
  split::State st = split::State::Empty(pr);
  SolveOptions so;
  std::string why;
  EXPECT_TRUE(split::SolveGroup(pr, a, st, 10.0, so, &why, first_bound)) << why;
  *first = st;
  EXPECT_TRUE(split::SolveGroup(pr, b, st, 10.0, so, &why, last_bound)) << why;
  Plan plan;
  plan.device = st.device;
  plan.order = st.order;
  const Evaluation ev = Evaluate(pr, plan);
  EXPECT_TRUE(ev.valid);
  return ev.makespan_s;
}

TEST(SplitGroup, PlanBoundOnlyOnTheLastGroup) {
  const double wrong = 1e9;  // above every plan: a solver that used it stops at once
  int worse = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RandomDagOptions o;
    o.nodes = 12;
    o.seed = seed;
    const Problem pr = MustBuild(RandomDag(o, 3), RandomPlatform(3, 3, 2, seed * 7 + 1));
    split::State plain_first, wrong_first, ignored;
    const double plain = TwoGroups(pr, 0, 0, &plain_first);
    TwoGroups(pr, wrong, 0, &wrong_first);
    EXPECT_EQ(wrong_first.device, plain_first.device);
    EXPECT_EQ(wrong_first.order, plain_first.order);
    const double stopped = TwoGroups(pr, 0, wrong, &ignored);
    EXPECT_GE(stopped, plain * (1 - 1e-12));  // the exact last group is the best completion
    worse += stopped > plain * (1 + 1e-9);
  }
  EXPECT_GT(worse, 0);
}

}  // namespace
}  // namespace diviml
