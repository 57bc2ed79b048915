// The exact constraint-programming solver for latency ("cp", docs/cp.md):
// CP-SAT (OR-Tools, loaded at run time: src/cp/cpsat.h) on an interval
// model of the problem.
//
// Model, in integer ticks (every time and transfer rounded DOWN to a tick,
// so that every real plan, its start times rounded down, is a plan of the
// ticked problem: the ticked optimum times the tick is a valid lower bound,
// docs/cp.md):
//   x[i,d]  node i on device d (one per node; pins fix it);
//   s[i], e[i] start and end; an optional interval of length p(i,d) on d
//           present when x[i,d], and no two present intervals of a device
//           overlap;
//   edge (u,v): s[v] >= e[u], and s[v] >= e[u] + c(e,d,f) when x[u,d] and
//           x[v,f] (d != f); for three devices with symmetric transfers
//           that satisfy the triangle inequality also the linear form
//           s[v] >= e[u] + sum_d alpha_d |x[u,d] - x[v,d]| (the transfers
//           as a star), which CP-SAT's LP relaxation uses;
//   memory: per device, the parameters placed plus the largest workspace
//           at most the capacity (bytes rounded so that it relaxes);
//   C >= e[i]; minimise C.
// The plan is the solution's devices with each device's nodes ordered by
// start, checked and timed by Evaluate() on the real times; the bound is
// CP-SAT's proven bound times the tick. Statuses as the MILP's
// (include/diviml/solve/milp.h): kOptimal only when the plan meets that
// bound; a ticked model proven optimal whose real plan is a few ticks above
// the bound is kFeasible (the message says so).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "diviml/bound/bounds.h"
#include "diviml/core/plan.h"
#include "diviml/solve/solver.h"

namespace diviml {

struct CpOptions {
  // CP-SAT workers (0 = SolveOptions::threads). One worker interleaves
  // CP-SAT's subsolvers (its large-neighbourhood searches among them): on
  // one core that finds much better plans than the plain search.
  int workers = 0;
  // Ticks per makespan: the tick is the best start plan's makespan (HEFT's
  // when none) divided by this. Each time rounded down loses less than a
  // tick, so at 1e11 the bound is within 1e-9 of the ticked optimum on
  // graphs of up to hundreds of nodes, and a proven ticked optimum is
  // reported optimal. Without the LP relaxation (below) 1e3 to 1e11 ticks
  // proved equally fast (docs/cp.md); with it, coarse ticks were faster.
  double resolution = 1e11;
  // CP-SAT's LP relaxation (linearization_level 1): off (0) proved the
  // 34-node RandWire segments about twice as fast, and ones it did not
  // prove in 20 s with it (docs/cp.md). 2 = more cuts.
  int linearization = 0;
  // One worker: interleave CP-SAT's subsolvers (better plans) or run its
  // plain search (faster proofs on segments, docs/cp.md).
  bool interleave = true;
  // Plans of this problem given to CP-SAT as its starting point (the best
  // one Evaluate() accepts, with HEFT's and PEFT's).
  std::vector<Plan> start_plans;
};

// Whether CP-SAT can run here (its library loads), and why not.
bool CpAvailable(std::string* why = nullptr);

// "cp". Needs CP-SAT: without it Solve() returns kError saying how to get it.
std::unique_ptr<Solver> MakeCpSolver(const CpOptions& options = {});

// Ticks per makespan for segment sub-problems (CpExactSolve): as the
// solver's (CpOptions::resolution).
inline constexpr double kCpSegmentResolution = 1e11;

// The CP solver as the exact sub-problem solver of the module bounds
// (include/diviml/bound/bounds.h), one worker: kOptimal when its plan meets
// its bound, else kBound with CP-SAT's bound (times rounded down to ticks)
// and the plan found; kInfeasible with a proof; kNone when CP-SAT is not
// available. interrupt (not owned, may be null) stops every solve.
ExactSolveFn CpExactSolve(const std::atomic<bool>* interrupt = nullptr, double resolution = kCpSegmentResolution);

}  // namespace diviml
