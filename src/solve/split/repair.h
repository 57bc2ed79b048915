// The repair pass of the split solver (docs/split.md (repair)): re-solve
// windows of consecutive nodes spanning group boundaries, keeping what
// improves the whole plan.
#pragma once

#include <atomic>
#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/solve/solver.h"
#include "util/stopwatch.h"

namespace diviml::split {

// Nodes by start time in `schedule` (ties: end time, then topological
// index): a topological order that keeps every device's order. O(V log V).
std::vector<int> StartOrder(const Problem& pr, const Schedule& schedule);

struct RepairStats {
  int windows = 0;   // windows re-solved
  int improved = 0;  // windows whose result lowered the makespan
};

// Nodes are sequenced by start time in the current schedule (ties: end
// time, topological index), which is a topological order consistent with
// every device order, so every prefix's times do not depend on the rest.
// For each centre (a position in that sequence, e.g. a group boundary) the
// window of `window` nodes around it is re-solved by SolveGroup() with the
// prefix fixed; the suffix keeps its devices and per-device order. The new
// plan is evaluated as a whole and kept when its makespan is lower. Passes
// repeat while some window improves, clock.seconds() < until_s, and the
// makespan is above *known_lb (a lower bound that another thread may raise;
// nullptr = none). Each window costs one MILP of about `window` nodes plus
// O(V + E) to evaluate.
RepairStats RepairWindows(const Problem& pr, const std::vector<int>& centres, int window,
                          const Stopwatch& clock, double until_s, const SolveOptions& so,
                          Plan* plan, Schedule* schedule, double* makespan_s,
                          const std::atomic<double>* known_lb = nullptr);

}  // namespace diviml::split
