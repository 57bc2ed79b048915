// Filling a SolveResult from a heuristic's placement: plan, the solver's own
// schedule (node times plus one transfer per cross-device edge, starting at
// the producer's end), makespan, status and time. O(V + E + sum of orders).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "diviml/solver.h"

namespace diviml::heuristics {

class Stopwatch {
 public:
  Stopwatch() : t0_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  std::chrono::steady_clock::time_point t0_;
};

// True when options.known_lower_bound_s > 0 and the makespan reaches it
// (within 1e-9 relative): the plan is then optimal.
bool ReachesKnownBound(double makespan_s, const SolveOptions& options);

// Status kOptimal when ReachesKnownBound, else kFeasible.
SolveResult MakeResult(const std::string& solver, const Problem& problem,
                       const SolveOptions& options, const std::vector<int>& device,
                       std::vector<std::vector<int>> order, const std::vector<double>& start,
                       const std::vector<double>& end, const Stopwatch& clock);

}  // namespace diviml::heuristics
