// The split solver's repair pass (src/solve/split/repair.h): starting from
// PEFT's plan on random DAGs, the repaired plan is valid, its reported
// makespan is the evaluator's, it is never worse than the start, and the
// windows improve some of the starts.
#include <gtest/gtest.h>

#include <string>

#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/heuristics.h"
#include "solve/split/repair.h"

namespace diviml {
namespace {

TEST(SplitRepair, NeverWorseAndValid) {
  int improved = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    RandomDagOptions o;
    o.nodes = 30;
    o.mean_out_degree = 2.0;
    o.max_span = 8;
    o.seed = seed;
    std::string err;
    Problem pr = Problem::Build(RandomDag(o, 3), RandomPlatform(3, 2, 3, seed), &err);
    ASSERT_EQ(err, "");
    SolveOptions so;
    SolveResult start = MakeSolver("peft")->Solve(pr, so);
    ASSERT_FALSE(start.plan.device.empty());
    Plan plan = start.plan;
    Schedule schedule = Evaluate(pr, plan).schedule;
    double makespan = schedule.makespan_s;
    split::RepairStats st = split::RepairWindows(pr, {8, 16, 24, 4, 12, 20}, 8, Stopwatch(), 3.0, so, &plan,
                                                 &schedule, &makespan);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_GT(st.windows, 0);
    Evaluation ev = Evaluate(pr, plan);
    ASSERT_TRUE(ev.valid) << (ev.violations.empty() ? "" : ev.violations.front());
    EXPECT_NEAR(ev.makespan_s, makespan, 1e-9 * makespan);
    EXPECT_LE(makespan, start.makespan_s * (1 + 1e-12));
    if (st.improved > 0) {
      EXPECT_LT(makespan, start.makespan_s);
      ++improved;
    }
  }
  EXPECT_GT(improved, 0);
}

}  // namespace
}  // namespace diviml
