// Plan helpers and solver status names.
#include "diviml/plan.h"
#include "diviml/solver.h"

namespace diviml {

Plan Plan::FromPriority(const std::vector<int>& device, const std::vector<int>& priority,
                        int num_devices) {
  Plan plan;
  plan.device = device;
  plan.order.assign(num_devices, {});
  for (int v : priority) {
    int d = device[v];
    if (d >= 0 && d < num_devices) plan.order[d].push_back(v);
  }
  return plan;
}

const char* StatusName(SolveStatus s) {
  switch (s) {
    case SolveStatus::kOptimal: return "optimal";
    case SolveStatus::kFeasible: return "feasible";
    case SolveStatus::kTimeLimit: return "time_limit";
    case SolveStatus::kInfeasible: return "infeasible";
    case SolveStatus::kError: return "error";
  }
  return "error";
}

}  // namespace diviml
