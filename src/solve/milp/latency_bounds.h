// Extra lower bounds used by the MILP solver: energetic reasoning on the
// devices as one pool of m identical-capacity machines (Lopez, Erschler,
// Esquirol 1992; Baptiste, Le Pape, Nuijten 2001, ch. 3).
//
// For a trial makespan T every node i has a window: it cannot start before
// head(i) and must end by T - tail(i) (heads and tails with min_p and free
// transfers, see latency_model.h). In any interval [a, b] node i runs at
// least
//   W(i,a,b) = max(0, min(b - a, p, head(i) + p - a, b - (T - tail(i) - p)))
// with p = min_p(i) (W grows with p, so min_p keeps it valid on
// heterogeneous devices). If sum_i W(i,a,b) > m (b - a) for some interval,
// no plan of makespan T exists. The bound is the least T that passes every
// check (found by bisection; whole numbers when the problem is integral).
#pragma once

#include "diviml/problem.h"

namespace diviml::milp {

// The energetic bound, at least `lower` (a known valid bound) and at most
// `upper` (a known feasible makespan; returned when every T below fails).
// O(log(upper - lower) * V^3) with the classic O(V^2) interval set.
double EnergeticBound(const Problem& problem, double lower, double upper);

}  // namespace diviml::milp
