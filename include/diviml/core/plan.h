// Plan and Schedule: what a solver decides and what it implies in time.
#pragma once

#include <string>
#include <vector>

namespace diviml {

// A device for every node and the order in which every device runs its nodes.
struct Plan {
  std::vector<int> device;              // device[i] for node i
  std::vector<std::vector<int>> order;  // order[d] = nodes on d, in run order

  // Builds order[] from device[] and a global priority list (earlier first).
  static Plan FromPriority(const std::vector<int>& device,
                           const std::vector<int>& priority, int num_devices);
};

struct Transfer {
  int edge = -1;
  int from_device = -1;
  int to_device = -1;
  double start_s = 0;
  double end_s = 0;
};

struct Schedule {
  std::vector<double> start_s;  // per node
  std::vector<double> end_s;    // per node
  std::vector<Transfer> transfers;
  double makespan_s = 0;
};

}  // namespace diviml
