// The latency MILP (docs/milp.md) as a solver-neutral MipModel, with
// the maps between plans and column vectors (warm start in, plan out).
//
// Columns: x[i,d] binary; S[i] start in [head(i), UB - tail(i) - min_p(i)];
// T in [LB, UB]; transfer columns D[i,j] / z[i,j] / y[i,j,d,f]; order
// binaries o[i,j]; W[d] workspace memory where some node needs memory_bytes.
// head(i) / tail(i): HeadsAndTails() (include/diviml/bound/bounds.h). Every big-M is max(0, (UB - tail(i)) - head(j)): the most
// C(i) can exceed S(j) in any plan with makespan <= UB; a pair whose M is
// <= 0 in one direction cannot overlap at all and gets no row.
#pragma once

#include <string>
#include <vector>

#include "diviml/solve/milp.h"
#include "diviml/core/plan.h"
#include "diviml/core/problem.h"
#include "diviml/bound/bounds.h"
#include "milp/model.h"

namespace diviml::milp {

struct LatencyModelInput {
  double lower_bound = 0;  // T >= this
  double upper_bound = 0;  // T <= this (a feasible makespan or a trivial one)
  // T is an integer column (valid when every time and transfer is whole:
  // then so is the optimal makespan). Lets an absolute gap below 1 prove
  // optimality without fractional-T noise.
  bool integral_makespan = false;
  MilpOptions options;
};

struct LatencyModel {
  MipModel model;
  int n = 0, m = 0;
  int T = -1;
  std::vector<int> x;      // n * m, -1 where x(i,d) is fixed to 0
  std::vector<int> S;      // n
  std::vector<double> head, tail;
  // Order pairs: (i, j, column of o(i,j), column of o(j,i) or -1).
  struct Pair { int i, j, o_ij, o_ji; };
  std::vector<Pair> pairs;
  // Transfer columns per edge (kind: 0 none, 1 D, 2 z, 3 y).
  struct EdgeCols { int kind = 0; int col = -1; std::vector<int> y; };
  std::vector<EdgeCols> edge_cols;
  std::vector<int> W;      // m, -1 when no workspace column
  // n * m, -1 where absent: a[i,d] (some ancestor of i on d) and b[i,d]
  // (some descendant) of the ancestor rows (MilpOptions::ancestor_rows).
  std::vector<int> some_before, some_after;
  std::vector<int> sym_class;     // m: symmetry class per device (-1: broken off)
  int num_unordered_pairs = 0;  // pairs the DAG leaves unordered
  int num_skipped_pairs = 0;    // of those, pairs the windows already order
  std::string summary;          // one line: sizes
};

// Builds the model. O(V^2 / 64 + pairs * m + E * m^2).
LatencyModel BuildLatencyModel(const Problem& problem, const LatencyModelInput& input);

// A column vector for a valid plan whose makespan is <= upper_bound: start
// times from Evaluate(), devices relabelled within identical classes to
// satisfy the symmetry rows. Empty when the plan does not fit the model
// (e.g. makespan above the upper bound). O(V * m + pairs + E * m^2).
std::vector<double> EncodePlan(const Problem& problem, const LatencyModel& lm, const Plan& plan);

// The plan of a solution: devices from x, per-device orders from a
// topological order that takes ready nodes by the MILP's start times
// (midpoint, then topological index), so it respects precedence even when
// zero-length nodes share a start. O(V log V + E + V * m).
Plan DecodePlan(const Problem& problem, const LatencyModel& lm, const std::vector<double>& solution);

}  // namespace diviml::milp
