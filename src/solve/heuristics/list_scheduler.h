// ListScheduler: the common engine of the static list-scheduling heuristics
// (HEFT, PEFT, CPOP, randomized list scheduling).
//
// Algorithm: a ready list (binary heap) holds the nodes whose predecessors
// are all placed; the node of highest priority (ties: lower tie key, then
// lower index) is taken, its data-ready time on every device is computed
// from its placed predecessors and the transfer times, and it goes to the
// device minimising finish time + select_offset (PEFT's OCT; 0 otherwise),
// ties to the lower device, into the earliest idle slot that fits
// (insertion policy) or after the device's last node. A node may be pinned
// to a device (CPOP's critical path).
//
// Memory (MemoryLedger): a device is considered for a node only when its
// remaining capacity holds the node's weights and workspace; a rule's pin
// (forced_device) yields to memory, a problem's pin does not. When no device
// can hold a node it goes where the memory-blind rule would put it, and
// overflows() / memory_note() say so.
//
// With priorities that decrease along every edge (upward ranks with positive
// times) the ready-list order equals the static sorted-list order of
// Topcuoglu et al. 2002; the ready list keeps precedence for any priority.
//
// Complexity per run: O(E * m) for ready times, O(V log V) for the heap,
// O(V * m) slot searches (see Timeline). Buffers are reused across runs.
#pragma once

#include <cstdint>
#include <vector>

#include "diviml/core/problem.h"
#include "solve/heuristics/comm_table.h"
#include "solve/heuristics/memory_ledger.h"
#include "solve/heuristics/timeline.h"

namespace diviml::heuristics {

struct ListRule {
  const double* priority = nullptr;       // n values, higher goes first (required)
  const uint64_t* tie = nullptr;          // n values, lower first; null = node index
  const double* select_offset = nullptr;  // n * m values added to the finish time
  const int* forced_device = nullptr;     // n values; >= 0 pins the node there
  bool insertion = true;
};

class ListScheduler {
 public:
  explicit ListScheduler(const Problem& problem);

  // Schedules every node; returns the makespan.
  double Run(const ListRule& rule);

  const std::vector<int>& device() const { return device_; }
  const std::vector<double>& start() const { return start_; }
  const std::vector<double>& end() const { return end_; }
  // Nodes of the last run placed where no device could hold them, and the
  // line that names the first ("" when none).
  int overflows() const { return memory_.overflows(); }
  const std::string& memory_note() const { return memory_.note(); }
  // Nodes per device in start-time order.
  std::vector<std::vector<int>> Orders() const;

 private:
  const Problem& pr_;
  CommTable comm_;
  std::vector<Timeline> timeline_;
  MemoryLedger memory_;
  std::vector<int> device_, missing_, heap_;
  std::vector<double> start_, end_, ready_;
};

}  // namespace diviml::heuristics
