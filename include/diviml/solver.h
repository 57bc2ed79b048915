// The solver-neutral request/result types and the Solver interface. Every
// solver (heuristic or exact) returns a SolveResult whose plan is then
// checked by Evaluate().
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "diviml/plan.h"
#include "diviml/problem.h"

namespace diviml {

enum class SolveStatus { kOptimal, kFeasible, kTimeLimit, kInfeasible, kError };
const char* StatusName(SolveStatus s);  // "optimal", "feasible", ...

struct SolveOptions {
  // Wall-clock limit for the whole solve, seconds. Default: none.
  double time_limit_s = std::numeric_limits<double>::infinity();
  // Relative gap at which an exact solver may stop. Default 0 (prove optimal).
  double gap_limit = 0;
  // Worker threads an exact solver may use. Default 1.
  int threads = 1;
  // Seed for every randomised component. Default 0; same seed, same plan.
  uint64_t seed = 0;
  // No progress output on stderr.
  bool quiet = false;
  // Backend for MILP-based solvers: "highs", "cbc" or "" (best available).
  std::string milp_backend;
  // Write the MILP model in LP format here when non-empty.
  std::string dump_model;
  // A lower bound known to the caller (seconds); solvers may use it to stop
  // early or as a constraint. 0 = none.
  double known_lower_bound_s = 0;
};

struct SolveResult {
  std::string solver;
  SolveStatus status = SolveStatus::kError;
  Plan plan;                 // empty when infeasible / error
  Schedule schedule;         // the solver's own schedule of the plan
  double makespan_s = std::numeric_limits<double>::infinity();
  double lower_bound_s = 0;  // the solver's own proven bound (0 if none)
  double solve_time_s = 0;
  std::string message;       // why infeasible / error; notes
};

class Solver {
 public:
  virtual ~Solver() = default;
  virtual std::string name() const = 0;
  virtual SolveResult Solve(const Problem& problem, const SolveOptions& options) = 0;
};

// Registry (src/solve/registry.cc, an explicit list): creates a solver by
// name ("single", "heft", "peft", ...); nullptr for an unknown name.
std::unique_ptr<Solver> MakeSolver(const std::string& name);
std::vector<std::string> SolverNames();

}  // namespace diviml
