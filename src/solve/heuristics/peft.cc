// "peft": Predict Earliest Finish Time (Arabnejad, Barbosa, "List scheduling
// algorithm for heterogeneous systems by an optimistic cost table", IEEE
// TPDS 25(3), 2014). Optimistic cost table OCT(i,d) (see ranks.h); ready
// nodes by decreasing rank_oct = mean_d OCT(i,d) (ties: lower node index);
// each to the device minimising EFT(i,d) + OCT(i,d) (ties: lower device),
// insertion-based. O((V + E) * m) for the table plus the list schedule,
// the same order as HEFT.
#include <memory>

#include "diviml/solve/heuristics.h"
#include "solve/heuristics/list_scheduler.h"
#include "solve/heuristics/ranks.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

class PeftSolver : public Solver {
 public:
  std::string name() const override { return "peft"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& options) override {
    Stopwatch clock;
    const std::vector<double> oct = heuristics::OptimisticCostTable(pr);
    const std::vector<double> rank = heuristics::RankOct(pr, oct);
    heuristics::ListScheduler ls(pr);
    heuristics::ListRule rule;
    rule.priority = rank.data();
    rule.select_offset = oct.data();
    ls.Run(rule);
    SolveResult r = heuristics::MakeResult(name(), pr, options, ls.device(), ls.Orders(),
                                           ls.start(), ls.end(), clock);
    heuristics::NoteMemoryOverflow(&r, ls.overflows(), ls.memory_note());
    return r;
  }
};

}  // namespace

std::unique_ptr<Solver> MakePeftSolver() { return std::make_unique<PeftSolver>(); }

}  // namespace diviml
