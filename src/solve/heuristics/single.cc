// "single": the best single device. Every node runs on one device d in
// topological order (nodes pinned elsewhere, such as an imported model's
// inputs and outputs on the host, stay there and their transfers count);
// every device is tried and the one with the least makespan (ties: lower
// index) is taken. Only devices that hold the whole model (weights of all
// its nodes plus the largest workspace, in the memory model of Evaluate())
// are tried; when none does there is no single-device plan: status
// kInfeasible when MemoryInfeasibility() proves no plan at all exists,
// else kNoSolutionFound (a plan over several devices may exist: try heft or
// split), with the bytes each device misses. The reference point of the DiviML paper (Ghannane,
// Abdelfattah, ICCAD 2023: "the fastest GPU alone"). O(m * (V * m + E)).
#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"

#include "diviml/solve/heuristics.h"
#include "solve/heuristics/list_scheduler.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

// Bytes by which device d's memory falls short when every node not pinned
// elsewhere runs on d (0 when it holds them). A node pinned to device f
// counts on f, so a device other than d may miss bytes too: the largest
// shortfall over all devices is returned. O(V + m).
double SingleDeviceShortfall(const Problem& pr, int d) {
  const int m = pr.m();
  std::vector<double> params(m, 0.0), work(m, 0.0);
  for (int v = 0; v < pr.n(); ++v) {
    const int f = pr.fixed_device(v) >= 0 ? pr.fixed_device(v) : d;
    params[f] += pr.graph().nodes[v].param_bytes;
    work[f] = std::max(work[f], pr.graph().nodes[v].memory_bytes);
  }
  double miss = 0;
  for (int f = 0; f < m; ++f)
    miss = std::max(miss, params[f] + work[f] - pr.platform().devices[f].memory_bytes);
  return miss;
}

class SingleSolver : public Solver {
 public:
  std::string name() const override { return "single"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& options) override {
    Stopwatch clock;
    const int n = pr.n(), m = pr.m();
    // Priority falls along the topological order, so nodes run in it.
    std::vector<double> priority(n);
    const auto& topo = pr.graph().topo_order();
    for (int k = 0; k < n; ++k) priority[topo[k]] = n - k;
    heuristics::ListScheduler sched(pr);
    heuristics::ListRule rule;
    rule.priority = priority.data();
    rule.insertion = false;
    std::vector<int> forced(n);
    int best = -1;
    double best_makespan = std::numeric_limits<double>::infinity();
    std::string missing;
    for (int d = 0; d < m; ++d) {
      if (const double miss = SingleDeviceShortfall(pr, d); miss > 0) {
        missing += fmt::format("{}'{}' misses {:.6g} bytes", missing.empty() ? "" : ", ",
                               pr.platform().devices[d].name, miss);
        continue;
      }
      std::fill(forced.begin(), forced.end(), d);
      rule.forced_device = forced.data();
      double t = sched.Run(rule);
      if (best < 0 || t < best_makespan) {
        best_makespan = t;
        best = d;
      }
    }
    if (best < 0 && m > 0) {
      SolveResult r;
      r.solver = name();
      r.status = SolveStatus::kNoSolutionFound;
      r.message = "no single device holds the model: " + missing;
      if (std::optional<std::string> proof = MemoryInfeasibility(pr)) {
        r.status = SolveStatus::kInfeasible;
        r.message += "; " + *proof;
      } else {
        r.message += " (a plan over several devices may fit: try heft or split)";
      }
      r.solve_time_s = clock.seconds();
      return r;
    }
    best = std::max(best, 0);
    std::fill(forced.begin(), forced.end(), best);
    sched.Run(rule);
    return heuristics::MakeResult(name(), pr, options, sched.device(), sched.Orders(), sched.start(),
                                  sched.end(), clock);
  }
};

}  // namespace

std::unique_ptr<Solver> MakeSingleSolver() { return std::make_unique<SingleSolver>(); }

}  // namespace diviml
