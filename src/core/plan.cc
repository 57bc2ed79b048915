// Plan helpers (include/diviml/core/plan.h).
#include "diviml/core/plan.h"

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

}  // namespace diviml
