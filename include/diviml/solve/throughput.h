// Throughput solvers (the model is in include/diviml/core/throughput_model.h,
// the bounds in include/diviml/bound/period_bound.h, docs/throughput.md).
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "diviml/bound/period_bound.h"
#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/core/throughput_model.h"
#include "diviml/solve/solver.h"

namespace diviml {

struct ThroughputOptions {
  // single | milp | split | tp-heuristic | auto ("" too:
  // DefaultThroughputSolver).
  std::string solver = "split";
  int replicas = 0;               // 0 = auto
  int max_auto_replicas = 0;      // 0 = 2 m for heuristics, m for milp (at most 8)
  double max_latency_s = std::numeric_limits<double>::infinity();
  double min_throughput_per_s = 0;  // > 0: minimise latency subject to it
  SolveOptions solve;
  // Internal: the period lower bound for R = replicas when >= 0 (set by
  // SolveThroughput once per R so solvers do not recompute it).
  double period_lower_bound_s = -1;
};

struct ThroughputResult {
  std::string solver;
  SolveStatus status = SolveStatus::kError;
  ThroughputPlan plan;
  double period_s = std::numeric_limits<double>::infinity();
  double throughput_per_s = 0;
  // Valid for every R: throughput <= 1 / (fractional per-sample work bound).
  double throughput_upper_bound_per_s = std::numeric_limits<double>::infinity();
  // Lower bound on the period for the plan's R (work LP and largest node).
  double period_lower_bound_s = 0;
  std::vector<double> latency_s;  // per replica (ReplicaLatency)
  double solve_time_s = 0;
  std::string message;
  std::string solver_note;  // why the solver was chosen (solver "auto")
};

// The default solver for solver "auto": milp (with a time limit of
// kThroughputDefaultMilpTimeLimit s unless one is given) for graphs of at
// most kThroughputMilpMaxNodes nodes when an LP backend is built, else split.
inline constexpr int kThroughputMilpMaxNodes = 30;
inline constexpr double kThroughputDefaultMilpTimeLimit = 10;
std::string DefaultThroughputSolver(const Problem& pr, std::string* why);

// Runs the requested solver, handles auto R and the two constraints.
ThroughputResult SolveThroughput(const Problem& pr, const ThroughputOptions& options);

// Individual solvers for a fixed R (options.replicas >= 1).
ThroughputResult SolveThroughputSingle(const Problem& pr, const ThroughputOptions& options);
ThroughputResult SolveThroughputHeuristic(const Problem& pr, const ThroughputOptions& options);
// tp-heuristic's candidates plus the module-chain pipeline packing
// (module_split.cc), each refined by local search; never worse than
// SolveThroughputHeuristic without a time limit.
ThroughputResult SolveThroughputSplit(const Problem& pr, const ThroughputOptions& options);
ThroughputResult SolveThroughputMilp(const Problem& pr, const ThroughputOptions& options);

}  // namespace diviml
