// MemoryLedger (solve/heuristics/memory_ledger.h). O(1) per query.
#include "solve/heuristics/memory_ledger.h"

#include <algorithm>

#include <fmt/format.h>

namespace diviml::heuristics {

void MemoryLedger::Reset() {
  params_.assign(pr_.m(), 0.0);
  workspace_.assign(pr_.m(), 0.0);
  overflows_ = 0;
  note_.clear();
}

double MemoryLedger::Free(int d) const {
  return pr_.platform().devices[d].memory_bytes - params_[d] - workspace_[d];
}

bool MemoryLedger::Fits(int v, int d) const {
  const Node& nd = pr_.graph().nodes[v];
  const double cap = pr_.platform().devices[d].memory_bytes;
  return params_[d] + nd.param_bytes + std::max(workspace_[d], nd.memory_bytes) <= cap;
}

void MemoryLedger::Place(int v, int d, bool over_capacity) {
  const Node& nd = pr_.graph().nodes[v];
  if (over_capacity && overflows_++ == 0) {
    int most = 0;
    for (int f = 1; f < pr_.m(); ++f)
      if (Free(f) > Free(most)) most = f;
    note_ = fmt::format(
        "no device can hold node '{}' ({:.6g} bytes of weights, {:.6g} of workspace); the most "
        "left is {:.6g} bytes on '{}'",
        nd.id, nd.param_bytes, nd.memory_bytes, std::max(0.0, Free(most)),
        pr_.platform().devices[most].name);
  }
  params_[d] += nd.param_bytes;
  workspace_[d] = std::max(workspace_[d], nd.memory_bytes);
}

}  // namespace diviml::heuristics
