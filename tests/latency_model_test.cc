// The latency MILP's model (src/solve/milp/latency_model.h): a valid plan's
// encoding satisfies every row and bound, with and without the ancestor
// rows, and the ancestor rows are what they claim (a[i,d] = some ancestor
// of i on d in that encoding).
#include <gtest/gtest.h>

#include <string>

#include "diviml/core/evaluate.h"
#include "diviml/gen/random_dag.h"
#include "diviml/solve/solver.h"
#include "solve/milp/latency_model.h"

namespace diviml {
namespace {

Problem Build(Graph g, Platform p) {
  std::string err;
  Problem pr = Problem::Build(std::move(g), std::move(p), &err);
  EXPECT_TRUE(err.empty()) << err;
  return pr;
}

TEST(LatencyModel, EncodedPlansSatisfyEveryRowWithAncestorRows) {
  int with_rows = 0;
  for (int k = 0; k < 120; ++k) {
    RandomDagOptions o;
    o.nodes = 6 + k % 10;
    o.seed = 41000 + k;
    o.mean_out_degree = 1.0 + (k % 3) * 0.5;
    const int m = 2 + k % 3;
    Graph g = RandomDag(o, m);
    if (k % 4 == 1) g.nodes.front().pin = "D1";
    const Problem pr = Build(std::move(g), RandomPlatform(m, 5, 4, 1200 + k));
    // A few plans: the heuristics' (their makespan is the model's UB).
    for (const char* name : {"heft", "peft", "rls"}) {
      SolveOptions so;
      so.seed = k;
      const SolveResult h = MakeSolver(name)->Solve(pr, so);
      ASSERT_TRUE(Evaluate(pr, h.plan).valid) << name;
      for (bool anc : {false, true}) {
        milp::LatencyModelInput in;
        in.lower_bound = 0;
        in.upper_bound = h.makespan_s;
        in.options.ancestor_rows = anc;
        const milp::LatencyModel lm = milp::BuildLatencyModel(pr, in);
        ASSERT_EQ(lm.model.Validate(), "") << "k=" << k;
        const std::vector<double> x = milp::EncodePlan(pr, lm, h.plan);
        ASSERT_EQ(x.size(), static_cast<size_t>(lm.model.num_columns())) << "k=" << k << " " << name;
        std::string where;
        EXPECT_LE(lm.model.MaxViolation(x, &where), 1e-9 * std::max(1.0, h.makespan_s) + 1e-12)
            << "k=" << k << " " << name << " anc=" << anc << " at " << where;
        if (!anc) {
          EXPECT_TRUE(lm.some_before.empty());
          continue;
        }
        ++with_rows;
        ASSERT_EQ(lm.some_before.size(), static_cast<size_t>(pr.n()) * m);
        // The encoding sets a[i,d] exactly when an ancestor of i is on d.
        for (int i = 0; i < pr.n(); ++i)
          for (int d = 0; d < m; ++d) {
            const int c = lm.some_before[static_cast<size_t>(i) * m + d];
            if (c < 0) continue;
            bool any = false;
            for (int j = 0; j < pr.n(); ++j) any = any || (pr.reach().Reaches(j, i) && j != i && h.plan.device[j] == d);
            // Identical devices may be relabelled in the encoding; these
            // platforms are heterogeneous (RandomPlatform with spread 5).
            EXPECT_EQ(x[c] > 0.5, any) << "k=" << k << " i=" << i << " d=" << d;
          }
      }
    }
  }
  EXPECT_EQ(with_rows, 360);
}

}  // namespace
}  // namespace diviml
