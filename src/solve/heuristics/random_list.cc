// "rls": randomized list scheduling. Try 0 is HEFT (upward-rank priority,
// EFT device choice, insertion policy; Topcuoglu, Hariri, Wu 2002). Every
// further try perturbs the priorities, rank_u(i) * (1 + a * u_i) with u_i
// uniform in [-1, 1) and a cycling through {0.02, 0.05, 0.1, 0.2, 0.4}, and
// breaks ties at random, then list-schedules the same way; the best plan is
// kept. Randomized priority rules of this kind go back to multi-pass list
// scheduling in project scheduling (e.g. Kolisch, Hartmann, "Heuristic
// algorithms for the resource-constrained project scheduling problem",
// 1999); docs/model.md0 measured that a few thousand such tries reach
// the simple lower bound on most STG instances.
//
// Stops after max_tries (automatic: clamp(3e7 / ((V + E) * m), 10, 2000)),
// at SolveOptions::time_limit_s, or when the best makespan reaches
// SolveOptions::known_lower_bound_s. The random stream is SplitMix64 seeded
// by SolveOptions::seed, so the result only depends on the seed unless the
// time limit cuts the run. O(tries * (E * m + V log V + V * m * slot search)).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "diviml/solve/heuristics.h"
#include "solve/deadline.h"
#include "solve/heuristics/list_scheduler.h"
#include "solve/heuristics/ranks.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): portable, so plans are the same on
// every standard library.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t s_;
};

constexpr double kNoise[] = {0.02, 0.05, 0.1, 0.2, 0.4};

class RandomListSolver : public Solver {
 public:
  explicit RandomListSolver(const RandomListOptions& o) : options_(o) {}
  std::string name() const override { return "rls"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& options) override {
    Stopwatch clock;
    const Deadline deadline(options);
    const Graph& g = pr.graph();
    const int n = pr.n();
    int tries = options_.max_tries;
    if (tries <= 0) {
      double work = (static_cast<double>(n) + g.num_edges()) * std::max(1, pr.m());
      tries = static_cast<int>(std::clamp(3e7 / std::max(work, 1.0), 10.0, 2000.0));
    }

    const std::vector<double> rank = heuristics::UpwardRank(pr);
    heuristics::ListScheduler ls(pr);
    heuristics::ListRule rule;
    rule.priority = rank.data();
    double best = ls.Run(rule);
    std::vector<int> best_device = ls.device();
    std::vector<double> best_start = ls.start(), best_end = ls.end();
    std::vector<std::vector<int>> best_order = ls.Orders();
    // A try that fits memory beats any that does not (fewer overflows first).
    int best_overflows = ls.overflows();
    std::string best_note = ls.memory_note();
    int best_try = 0, done = 1;
    const char* stop = "tries";

    std::vector<double> prio(n);
    std::vector<uint64_t> tie(n);
    rule.priority = prio.data();
    rule.tie = tie.data();
    SplitMix64 rng(options.seed);
    for (int t = 1; t < tries; ++t) {
      if (best_overflows == 0 && heuristics::ReachesKnownBound(best, options)) {
        stop = "lower bound";
        break;
      }
      if (deadline.expired()) {
        stop = Interrupted(options) ? "interrupted" : "time limit";
        break;
      }
      const double a = kNoise[(t - 1) % std::size(kNoise)];
      for (int v = 0; v < n; ++v) {
        prio[v] = rank[v] * (1 + a * (2 * rng.Uniform() - 1));
        tie[v] = rng.Next();
      }
      const double ms = ls.Run(rule);
      ++done;
      if (ls.overflows() < best_overflows || (ls.overflows() == best_overflows && ms < best)) {
        best = ms;
        best_overflows = ls.overflows();
        best_note = ls.memory_note();
        best_device = ls.device();
        best_start = ls.start();
        best_end = ls.end();
        best_order = ls.Orders();
        best_try = t;
      }
    }
    if (heuristics::ReachesKnownBound(best, options)) stop = "lower bound";
    SolveResult r = heuristics::MakeResult(name(), pr, options, best_device,
                                           std::move(best_order), best_start, best_end, clock);
    r.message = std::to_string(done) + " tries, best at try " + std::to_string(best_try) +
                ", stopped by " + stop;
    // Cut short by the clock or the interrupt flag: say so (a plan, not
    // the search rls would have run).
    if (r.status == SolveStatus::kFeasible && std::string(stop) != "tries" && std::string(stop) != "lower bound")
      r.status = SolveStatus::kTimeLimit;
    heuristics::NoteMemoryOverflow(&r, best_overflows, best_note);
    return r;
  }

 private:
  RandomListOptions options_;
};

}  // namespace

std::unique_ptr<Solver> MakeRandomListSolver(const RandomListOptions& options) {
  return std::make_unique<RandomListSolver>(options);
}

}  // namespace diviml
