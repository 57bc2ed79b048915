// "single": the best single device. Every node runs on one device d in
// topological order (nodes pinned elsewhere, such as an imported model's
// inputs and outputs on the host, stay there and their transfers count);
// every device is tried and the one with the least makespan (ties: lower
// index) is taken. The reference point of the DiviML paper (Ghannane,
// Abdelfattah, ICCAD 2023: "the fastest GPU alone"). O(m * (V * m + E)).
#include <limits>
#include <memory>

#include "diviml/solve/heuristics.h"
#include "solve/heuristics/list_scheduler.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

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
    int best = 0;
    double best_makespan = std::numeric_limits<double>::infinity();
    for (int d = 0; d < m; ++d) {
      std::fill(forced.begin(), forced.end(), d);
      rule.forced_device = forced.data();
      double t = sched.Run(rule);
      if (t < best_makespan) {
        best_makespan = t;
        best = d;
      }
    }
    std::fill(forced.begin(), forced.end(), best);
    sched.Run(rule);
    return heuristics::MakeResult(name(), pr, options, sched.device(), sched.Orders(), sched.start(),
                                  sched.end(), clock);
  }
};

}  // namespace

std::unique_ptr<Solver> MakeSingleSolver() { return std::make_unique<SingleSolver>(); }

}  // namespace diviml
