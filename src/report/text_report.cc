// Human-readable summary of a solve for the terminal.
#include <fmt/format.h>

#include "diviml/report.h"

namespace diviml {

void PrintOutcome(const Problem& pr, const Outcome& oc, std::ostream& out) {
  const SolveResult& r = oc.result;
  const auto& devs = pr.platform().devices;
  out << fmt::format("graph {} ({} nodes, {} edges) on platform {} ({} devices)\n",
                     pr.graph().name, pr.n(), pr.graph().num_edges(), pr.platform().name, pr.m());
  out << fmt::format("solver {}: status {}, solve time {:.3f} s\n", r.solver, StatusName(r.status),
                     r.solve_time_s);
  if (!r.message.empty()) out << "note: " << r.message << "\n";
  if (!oc.evaluation.valid) {
    out << "no valid plan\n";
    for (const auto& v : oc.evaluation.violations) out << "  violation: " << v << "\n";
    return;
  }
  out << fmt::format("makespan {:.6g} s, lower bound {:.6g} s ({}), gap {:.2f}%\n",
                     oc.evaluation.makespan_s, oc.lower_bound_s, oc.bounds.best_name,
                     100 * oc.gap);
  for (int d = 0; d < pr.m(); ++d) {
    out << fmt::format("  {:<12} busy {:>10.6g} s  {:>5} nodes", devs[d].name,
                       oc.evaluation.device_busy_s[d], r.plan.order[d].size());
    size_t shown = 0;
    for (int v : r.plan.order[d]) {
      if (shown++ == 8) {
        out << " ...";
        break;
      }
      out << " " << pr.graph().nodes[v].id;
    }
    out << "\n";
  }
}

}  // namespace diviml
