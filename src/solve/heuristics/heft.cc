// "heft": Heterogeneous Earliest Finish Time, insertion-based (Topcuoglu,
// Hariri, Wu, "Performance-effective and low-complexity task scheduling for
// heterogeneous computing", IEEE TPDS 13(3), 2002). Nodes by decreasing
// upward rank (mean execution time, mean transfer time over device pairs
// d != f; ties: lower node index), each to the device of earliest finish
// time (ties: lower device) in the earliest idle slot that fits.
// O(E * m + V log V + V * m * slot search); O(V^2 * m) worst case.
#include <memory>

#include "diviml/solve/heuristics.h"
#include "solve/heuristics/list_scheduler.h"
#include "solve/heuristics/ranks.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

class HeftSolver : public Solver {
 public:
  std::string name() const override { return "heft"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& options) override {
    Stopwatch clock;
    const std::vector<double> rank = heuristics::UpwardRank(pr);
    heuristics::ListScheduler ls(pr);
    heuristics::ListRule rule;
    rule.priority = rank.data();
    ls.Run(rule);
    SolveResult r = heuristics::MakeResult(name(), pr, options, ls.device(), ls.Orders(),
                                           ls.start(), ls.end(), clock);
    heuristics::NoteMemoryOverflow(&r, ls.overflows(), ls.memory_note());
    return r;
  }
};

}  // namespace

std::unique_ptr<Solver> MakeHeftSolver() { return std::make_unique<HeftSolver>(); }

}  // namespace diviml
