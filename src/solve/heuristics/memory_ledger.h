// MemoryLedger: what the list schedulers have placed on each device so far,
// in the memory model of Evaluate() (docs/model.md): a device holds the
// weights of all its nodes plus the largest workspace of one of them. A
// heuristic asks Fits(v, d) before it considers device d for node v and
// skips the devices that cannot hold it; when no allowed device can, it
// places the node where it would have without memory (the plan then breaks a
// capacity and the pipeline reports no valid plan) and the ledger records
// the first such node for the solver's message.
//
// Fits and Place are O(1); Reset is O(m). With unlimited capacities every
// device fits, so schedules are exactly those of the memory-blind rules.
#pragma once

#include <string>
#include <vector>

#include "diviml/core/problem.h"

namespace diviml::heuristics {

class MemoryLedger {
 public:
  explicit MemoryLedger(const Problem& problem) : pr_(problem) {}

  void Reset();
  // True when node v's weights plus the device's workspace (now the larger
  // of the two workspaces) still fit device d's capacity.
  bool Fits(int v, int d) const;
  // Records v on d; over_capacity = no allowed device could hold v.
  void Place(int v, int d, bool over_capacity);

  // Nodes placed although no device could hold them (0 for a valid plan).
  int overflows() const { return overflows_; }
  // "" when overflows() == 0, else one line naming the first such node, the
  // bytes it needed and the most any device had left.
  const std::string& note() const { return note_; }

 private:
  double Free(int d) const;

  const Problem& pr_;
  std::vector<double> params_, workspace_;
  int overflows_ = 0;
  std::string note_;
};

}  // namespace diviml::heuristics
