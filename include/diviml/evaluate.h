// Evaluate(): the one independent check of any plan. It recomputes the
// schedule from the plan alone (every node starts as soon as its device is
// free and all its inputs have arrived) and lists every violation.
// O(V + E) plus O(V log V) for the order checks.
#pragma once

#include <string>
#include <vector>

#include "diviml/plan.h"
#include "diviml/problem.h"

namespace diviml {

struct Evaluation {
  bool valid = false;
  std::vector<std::string> violations;  // human-readable, one per problem
  Schedule schedule;                    // meaningful only when valid
  double makespan_s = 0;
  std::vector<double> device_busy_s;    // compute time per device
  std::vector<double> device_param_bytes;
};

Evaluation Evaluate(const Problem& problem, const Plan& plan);

}  // namespace diviml
