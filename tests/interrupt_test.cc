// SolveOptions::interrupt (include/diviml/solve/solver.h): a set flag stops
// split, milp and rls at once, like a reached time limit, with the best plan
// so far (the Python package sets it on Ctrl-C).
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "zoo_problem.h"
#include "diviml/pipeline/pipeline.h"

namespace diviml {
namespace {

Problem Resnet50() { return testutil::LoadOnPaper("zoo:resnet50"); }

// Solves with a long time limit (rls: endless tries); the flag is set
// after delay_ms.
Result SolveInterrupted(const Problem& pr, const std::string& solver, int delay_ms, double* seconds) {
  std::atomic<bool> stop{false};
  Request req;
  req.solver = solver;
  if (solver == "rls") req.params = {"rls.max_tries=1000000000"};
  req.options.time_limit_s = 120;
  req.options.interrupt = &stop;
  std::thread setter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    stop = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  Result r = Solve(pr, req);
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  setter.join();
  return r;
}

class InterruptTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InterruptTest, StopsWithTheBestPlanSoFar) {
  const Problem pr = Resnet50();
  double seconds = 0;
  const Result r = SolveInterrupted(pr, GetParam(), 300, &seconds);
  ASSERT_TRUE(r.has_plan()) << StatusName(r.status) << " " << r.message;
  EXPECT_LT(seconds, 20.0) << "the solver ignored the interrupt";
  // Stopped early: no proof of optimality unless the plan met a bound anyway.
  if (r.status != SolveStatus::kOptimal) EXPECT_EQ(r.status, SolveStatus::kTimeLimit) << r.message;
}

INSTANTIATE_TEST_SUITE_P(Solvers, InterruptTest, ::testing::Values("split", "milp", "rls"));

}  // namespace
}  // namespace diviml
