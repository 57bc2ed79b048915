// ResultText (include/diviml/export/export.h): the terminal summary.
#include <algorithm>

#include <fmt/format.h>

#include "diviml/export/export.h"

namespace diviml {
namespace {

std::string GapText(const Result& r) {
  return r.gap ? fmt::format("{:.2f}%", 100 * *r.gap) : std::string("n/a");
}

std::string Latency(const Problem& pr, const Result& r) {
  const auto& devs = pr.platform().devices;
  std::string out = fmt::format("graph {} ({} nodes, {} edges) on platform {} ({} devices)\n", pr.graph().name,
                                pr.n(), pr.graph().num_edges(), pr.platform().name, pr.m());
  out += fmt::format("solver {}: status {}, solve time {:.3f} s\n", r.solver, StatusName(r.status), r.solve_time_s);
  if (!r.message.empty()) out += "note: " + r.message + "\n";
  if (!r.has_plan()) {
    out += "no valid plan\n";
    for (const auto& v : r.evaluation.violations) out += "  violation: " + v + "\n";
    return out;
  }
  out += fmt::format("makespan {:.6g} s, lower bound {:.6g} s ({}), gap {}\n", r.value, r.lower_bound,
                     r.bounds.best_name, GapText(r));
  for (int d = 0; d < pr.m(); ++d) {
    out += fmt::format("  {:<12} busy {:>10.6g} s  {:>5} nodes", devs[d].name, r.evaluation.device_busy_s[d],
                       r.plan.order[d].size());
    size_t shown = 0;
    for (int v : r.plan.order[d]) {
      if (shown++ == 8) {
        out += " ...";
        break;
      }
      out += " " + pr.graph().nodes[v].id;
    }
    out += "\n";
  }
  return out;
}

std::string Throughput(const Problem& pr, const Result& r) {
  std::string out = fmt::format("solver {} ({}), objective throughput: {}\n", r.solver,
                                r.solver_note.empty() ? r.solver : r.solver_note, StatusName(r.status));
  if (!r.message.empty()) out += "  " + r.message + "\n";
  if (r.has_plan()) {
    const PeriodInfo& info = r.period;
    out += fmt::format("  replicas {}  period {:.6g} s  throughput {:.6g}/s  (bound {:.6g}/s)\n",
                       r.throughput_plan.replicas(), info.period_s, info.throughput_per_s,
                       r.throughput_upper_bound_per_s);
    out += fmt::format("  period lower bound {:.6g} s, gap {}\n", r.lower_bound, GapText(r));
    out += fmt::format("  bottleneck {}\n", info.bottleneck);
    for (int d = 0; d < pr.m(); ++d)
      out += fmt::format("  {:>12}  load {:.6g} s  utilisation {:.1f}%\n", pr.platform().devices[d].name,
                         info.device_load_s[d], info.period_s > 0 ? 100 * info.device_load_s[d] / info.period_s : 0.0);
    const auto& lat = r.replica_latency_s;
    out += fmt::format("  latency per sample (alone) up to {:.6g} s\n",
                       lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()));
    if (r.simulation)
      out += fmt::format("  simulated ({} samples): throughput {:.6g}/s, latency mean {:.6g} s, max {:.6g} s\n",
                         r.simulation->samples, r.simulation->throughput_per_s, r.simulation->mean_latency_s,
                         r.simulation->max_latency_s);
  } else {
    for (const auto& v : r.period.violations) out += "  violation: " + v + "\n";
  }
  out += fmt::format("  solve time {:.3f} s\n", r.solve_time_s);
  return out;
}

}  // namespace

std::string ResultText(const Problem& pr, const Result& r) {
  if (r.llm) return LlmResultText(pr, r);
  return r.objective == Objective::kLatency ? Latency(pr, r) : Throughput(pr, r);
}

}  // namespace diviml
