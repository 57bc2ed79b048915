// Deadline: a solve's time limit and interrupt flag in one object, so every
// phase of a solver asks the same question ("is the time up?") the same way.
// A solve is over when SolveOptions::time_limit_s has passed since the
// Deadline was made or SolveOptions::interrupt is set. All O(1).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "diviml/solve/solver.h"
#include "util/stopwatch.h"

namespace diviml {

class Deadline {
 public:
  explicit Deadline(const SolveOptions& options)
      : limit_(options.time_limit_s), options_(&options) {}

  double elapsed() const { return clock_.seconds(); }
  bool limited() const { return std::isfinite(limit_); }
  // Seconds left (infinity without a limit; 0 once expired).
  double remaining() const {
    if (Interrupted(*options_)) return 0;
    return limited() ? std::max(0.0, limit_ - elapsed()) : std::numeric_limits<double>::infinity();
  }
  bool expired() const { return Interrupted(*options_) || (limited() && elapsed() >= limit_); }
  // Seconds left until fraction `share` of the limit has passed (infinity
  // without a limit).
  double until_share(double share) const {
    if (!limited()) return std::numeric_limits<double>::infinity();
    return Interrupted(*options_) ? 0 : std::max(0.0, share * limit_ - elapsed());
  }

 private:
  Stopwatch clock_;
  double limit_;
  const SolveOptions* options_;
};

}  // namespace diviml
