// Time-indexed latency MILP for the case STG instances are: every device
// identical (one symmetry class), free communication, whole-number times,
// no memory capacity that excludes a device. Then a plan is a start time per
// node such that at most m nodes run at once (interval graphs are perfect:
// the nodes can then be put on m devices by a greedy sweep), and the model
// needs no device index at all, so it has no device symmetry to break.
//
// Columns: z[i,t] binary "node i has started by t" for t in its window
// [head(i), UB - tail(i) - p(i)] (heads, tails as in latency_model.h;
// z = 1 at the window's end); T integer in [LB, UB]. Rows:
//   step[i,t]:   z[i,t-1] <= z[i,t]
//   prec[i,j,t]: z[j,t] <= z[i,t - p(i)]                    every edge, t
//   cap[t]:      sum_i z[i,t] - z[i,t - p(i)] <= m          every slot [t,t+1)
//   zero[t]:     nodes running across instant t plus zero-length nodes
//                starting at t <= m (a zero-length node still needs a
//                free device at that instant)
//   end[i]:      T >= start(i) + p(i) + tail(i), start(i) = last - sum_{t<last} z[i,t]
// The step form of the disaggregated time-indexed model: the strong LP
// with 2 nonzeros per precedence row. A first version with x[i,t] "starts
// at t" and one aggregated precedence row per edge had a much weaker LP
// (docs/milp.md). Size: sum of window lengths binaries, O(E * window)
// precedence rows.
#pragma once

#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "milp/model.h"

namespace diviml::milp {

struct TimeIndexedModel {
  MipModel model;
  int T = -1;
  std::vector<long long> first;   // first start time of node i's window
  std::vector<int> first_col;     // column of x[i, first[i]]; window columns are consecutive
  std::vector<int> length;        // window length (number of columns)
  std::string summary;
};

// True when the problem has the structure above. O(V * m + E * m^2 + m^3).
bool TimeIndexedApplies(const Problem& problem);

// Number of x columns the model would have for [lb, ub]. O(V + E).
long long TimeIndexedColumns(const Problem& problem, long long ub);

// Builds the model for makespans in [lb, ub] (whole numbers).
TimeIndexedModel BuildTimeIndexedModel(const Problem& problem, long long lb, long long ub);

// Warm start from a valid plan of makespan <= ub; empty when it does not fit.
std::vector<double> EncodeTimeIndexed(const Problem& problem, const TimeIndexedModel& ti,
                                      const Plan& plan);

// Plan of a solution: starts from x, devices by a greedy sweep in start
// order (zero-length nodes first at each instant), orders by start.
Plan DecodeTimeIndexed(const Problem& problem, const TimeIndexedModel& ti,
                       const std::vector<double>& solution);

}  // namespace diviml::milp
