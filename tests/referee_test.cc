// Referee figures of docs/split.md ("Referee"), checked as expected values:
// randwire:ws,n=20,stages=1,seed=7 on zoo:paper has a plan of 274.632 us
// (tests/data/referee/, found by split at 60 s) that a 60 s module-chain
// bound run proved optimal ("shortest path all proven", 274.632 us), and
// randwire:ba,n=20,stages=1,seed=7 has the optimum 323.747 us (split's plan
// meets its own bound). Every bound must stay at or below these optima,
// and the stored plan must still evaluate to the optimum. The bench rows'
// optima below are the referee's of docs/split.md ("Referee: exact optima
// of the bench's RandWire rows": `diviml_chain_dp GRAPH PLATFORM 120 cp`,
// every entry proven by CP-SAT), to their printed digits.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "zoo_problem.h"
#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/io/plan_io.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/cp.h"
#include "diviml/solve/milp.h"
#include "diviml/util/tolerance.h"

namespace diviml {
namespace {

using testutil::LoadOn;
using testutil::LoadOnPaper;

// "Above" as the result contract means it (BoundAbove: beyond the solvers'
// 1e-6 relative noise; ws,n=20's chain bound is exactly at its optimum).
void ExpectNoBoundAbove(const Problem& pr, double optimum_s) {
  const BoundReport cheap = ComputeBounds(pr);
  double module = 0;
  for (const BoundPart& p : cheap.parts) {
    EXPECT_FALSE(BoundAbove(p.value_s, optimum_s)) << p.name << " " << p.value_s;
    if (p.name == "module") module = p.value_s;
  }
  EXPECT_FALSE(BoundAbove(DeviceEnergeticBound(pr, cheap.best_s, 14), optimum_s));
  const BoundPart chain = ModuleChainBound(pr, 4, MilpExactSolve(""));
  EXPECT_FALSE(BoundAbove(chain.value_s, optimum_s)) << chain.detail << " " << chain.value_s;
  EXPECT_GT(module, 0);
  EXPECT_GE(chain.value_s, module);  // never below the module part (bounds.h)
  if (CpAvailable()) {  // with CP-SAT's free segments and rounds, as split runs it
    const BoundPart cp = ModuleChainBound(pr, 6, MilpExactSolve(""), 80, nullptr, 1, nullptr, nullptr, CpExactSolve());
    EXPECT_FALSE(BoundAbove(cp.value_s, optimum_s)) << cp.detail << " " << cp.value_s;
    EXPECT_NE(cp.detail.find("free segments"), std::string::npos) << cp.detail;
  }
}

TEST(Referee, WsN20OptimumHoldsAndNoBoundExceedsIt) {
  const Problem pr = LoadOnPaper("randwire:ws,n=20,stages=1,seed=7");
  std::ifstream in(std::string(DIVIML_TEST_DATA) + "/referee/randwire-ws-n20-s1-seed7.paper.plan.json");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const Plan plan = ParsePlanJson(text.str(), "referee plan", pr);
  const Evaluation ev = Evaluate(pr, plan);
  ASSERT_TRUE(ev.valid);
  EXPECT_NEAR(ev.makespan_s, 274.632e-6, 0.001e-6);
  ExpectNoBoundAbove(pr, ev.makespan_s);
}

TEST(Referee, BaN20OptimumIsNeverExceededByABound) {
  const Problem pr = LoadOnPaper("randwire:ba,n=20,stages=1,seed=7");
  ExpectNoBoundAbove(pr, 323.747e-6 * (1 + 1e-5));  // the figure to its 6 digits
}

// The optima of three bench rows, each reached by split's plan in the bench
// (docs/split.md): no bound above them.
TEST(Referee, BenchRowOptimaAreNeverExceededByABound) {
  struct Row {
    const char* graph;
    const char* platform;
    double optimum_us;
  };
  for (const Row& r : {Row{"randwire:er,regime=small,seed=1", "zoo:paper", 526.549},
                       Row{"randwire:ws,regime=small,seed=1", "zoo:modern", 428.526},
                       Row{"zoo:inception_v3", "zoo:paper", 2310.782}}) {
    SCOPED_TRACE(std::string(r.graph) + " on " + r.platform);
    ExpectNoBoundAbove(LoadOn(r.graph, r.platform), r.optimum_us * 1e-6 * (1 + 2e-6));
  }
}

}  // namespace
}  // namespace diviml
