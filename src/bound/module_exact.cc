// The exact module bound (include/diviml/bound/bounds.h, docs/split.md): each
// module's MILP optimum alone, boundary transfers and memory dropped.
#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"
#include "bound/subproblem.h"
#include "util/stopwatch.h"

namespace diviml {

BoundPart ModuleExactBound(const Problem& pr, double time_limit_s, const ExactSolveFn& exact,
                           int max_exact_nodes) {
  const Stopwatch clock;
  ModuleStructure ms = FindModules(pr);
  double sum = 0;
  for (int c : ms.cut_nodes) sum += pr.min_p(c);
  int nonempty = 0, proven = 0, nodes_left = 0;
  for (const auto& mod : ms.modules) {
    nonempty += mod.empty() ? 0 : 1;
    if (static_cast<int>(mod.size()) <= max_exact_nodes) nodes_left += static_cast<int>(mod.size());
  }
  for (const auto& mod : ms.modules) {
    if (mod.empty()) continue;
    std::string err;
    Problem sub = split::SegmentProblem(pr, -1, mod, -1, 0, 0, &err);
    if (!err.empty()) {
      // Cannot happen for a valid problem; fall back to the cheap bound.
      return BoundPart{"module_exact", ModuleBound(pr, ms), "failed: " + err};
    }
    double b = ComputeBounds(sub).best_s;
    if (static_cast<int>(mod.size()) <= max_exact_nodes) {
      double remaining = time_limit_s - clock.seconds();
      double share = remaining * static_cast<double>(mod.size()) / std::max(1, nodes_left);
      nodes_left -= static_cast<int>(mod.size());
      if (share > 0.02) {
        const ExactAnswer r = exact(sub, share);
        if (r.kind == ExactAnswer::Kind::kOptimal) {
          b = std::max(b, r.value_s);
          ++proven;
        } else if (r.kind == ExactAnswer::Kind::kBound) {
          b = std::max(b, r.value_s);
        }
      }
    }
    sum += b;
  }
  double value = std::max(sum, ModuleBound(pr, ms));
  if (pr.integral()) value = std::ceil(value - 1e-6);
  return BoundPart{"module_exact", value,
                   fmt::format("{} modules, {} proven optimal, {} cut nodes", nonempty, proven,
                               ms.cut_nodes.size())};
}

}  // namespace diviml
