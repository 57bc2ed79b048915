// MemoryInfeasibility (include/diviml/bound/bounds.h): two checks that
// prove no plan fits the memory model of Evaluate() (a device holds the
// weights of all its nodes plus the largest workspace of one of them).
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"

namespace diviml {

std::optional<std::string> MemoryInfeasibility(const Problem& pr) {
  const Graph& g = pr.graph();
  const auto& devs = pr.platform().devices;
  double total_params = 0, total_capacity = 0;
  for (int d = 0; d < pr.m(); ++d) total_capacity += devs[d].memory_bytes;
  for (int i = 0; i < pr.n(); ++i) {
    const Node& nd = g.nodes[i];
    total_params += nd.param_bytes;
    bool fits = false;
    int largest = -1;
    for (int d = 0; d < pr.m() && !fits; ++d) {
      if (!pr.allowed(i, d)) continue;
      fits = nd.param_bytes + nd.memory_bytes <= devs[d].memory_bytes;
      if (largest < 0 || devs[d].memory_bytes > devs[largest].memory_bytes) largest = d;
    }
    if (!fits) {
      const double need = nd.param_bytes + nd.memory_bytes;
      if (largest < 0)
        return fmt::format("node '{}' needs {:.6g} bytes (weights and workspace) and no device may run it", nd.id,
                           need);
      return fmt::format(
          "node '{}' needs {:.6g} bytes (weights and workspace), more than any device it may run on holds: the "
          "largest, '{}', misses {:.6g} bytes",
          nd.id, need, devs[largest].name, need - devs[largest].memory_bytes);
    }
  }
  if (std::isfinite(total_capacity) && total_params > total_capacity)
    return fmt::format(
        "the weights ({:.6g} bytes) exceed the memory of all devices together ({:.6g} bytes): {:.6g} bytes miss",
        total_params, total_capacity, total_params - total_capacity);
  return std::nullopt;
}

}  // namespace diviml
