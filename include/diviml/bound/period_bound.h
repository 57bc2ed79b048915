// Bounds on throughput plans (src/bound/period_bound.cc; the argument is
// in docs/throughput.md).
#pragma once

#include <vector>

#include "diviml/core/problem.h"

namespace diviml {

// Lower bound on the period with R replicas: the threshold LP (node i only
// on devices where p(i,d) <= the period; fractional replica counts; device
// loads and the transfers forced by nodes left with one device <= P),
// binary search over the breakpoints p(i,d). Dominates R * SampleWorkBound
// and max_i min_d p(i,d). Falls back to max(R * sum min p / m, max min p)
// when no LP backend is built. O(log(V m)) LPs of V m columns
// (bound.cc; the argument is in docs/throughput.md).
double PeriodLowerBound(const Problem& pr, int replicas);
// The work LP for one sample (R = 1, links ignored): the fractional LP scales
// linearly with R, so period >= R * this for every R and throughput <=
// 1 / this whatever R. Cached per call only; O(LP(V m)).
double SampleWorkBound(const Problem& pr);

// The replica counts X(i,d) (n * m, row-major) of the threshold LP at
// t = bound; empty without an LP backend or on failure. Used by the
// throughput solvers' LP-rounding start.
std::vector<double> PeriodLpCounts(const Problem& pr, int R, double bound);

}  // namespace diviml
