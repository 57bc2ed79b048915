// Internal: the work bound with a note on how it was obtained.
#pragma once

#include <string>
#include <vector>

#include "diviml/core/problem.h"

namespace diviml::bound_internal {

struct WorkBoundInfo {
  double value = 0;
  // "closed form W/m", "LP (highs)", "fallback sum min_p / m (no LP backend: ...)", ...
  std::string method;
};

// The work bound of `nodes`. See bounds.h.
WorkBoundInfo ComputeWorkBound(const Problem& problem, const std::vector<int>& nodes);

// sum_i min_d p(i,d) w_d over `nodes`: a valid lower bound on the LP (and so
// on every makespan) for every w >= 0 with sum_d w_d = 1 (LP duality: w are
// the multipliers of the device-load rows). O(|nodes| * m).
double DualWorkBound(const Problem& problem, const std::vector<int>& nodes,
                     const std::vector<double>& w);

// Best of multiplicative-weights ascent on w (each iterate is a valid
// bound by the above); the work bound used when no LP backend is available.
// O(iterations * |nodes| * m).
double DualAscentWorkBound(const Problem& problem, const std::vector<int>& nodes, int iterations);

// Cut nodes (1 per node comparable with every other node) from the
// reachability closure: O(V * E / 64) time, V^2 / 8 bytes.
std::vector<char> ExactCutNodes(const Problem& problem);
// A subset of them in O(V + E) (see FindModules in src/bound/bounds.cc).
std::vector<char> LinearCutNodes(const Problem& problem);

}  // namespace diviml::bound_internal
