// Shared pieces of the throughput solvers (not a public header).
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "diviml/solve/throughput.h"
#include "util/stopwatch.h"

namespace diviml::tp {

struct Deadline {
  explicit Deadline(double seconds) : limit(seconds) {}
  double Elapsed() const { return clock.seconds(); }
  double Remaining() const { return std::isfinite(limit) ? std::max(0.0, limit - Elapsed()) : INFINITY; }
  bool Passed() const { return std::isfinite(limit) && Elapsed() > limit; }
  double limit;
  Stopwatch clock;
};

struct Candidate {
  ThroughputPlan plan;
  PeriodInfo info;
  std::vector<double> latency_s;
  double max_latency_s = 0;
};

Candidate MakeCandidate(const Problem& pr, ThroughputPlan plan);
bool Feasible(const Candidate& c, const ThroughputOptions& o);
// a better than b under the objective of o (throughput, or latency when
// a throughput floor is set).
bool Better(const Candidate& a, const Candidate& b, const ThroughputOptions& o);
void Offer(const Candidate& c, const ThroughputOptions& o, std::optional<Candidate>* best);
std::vector<int> SingleDevice(const Problem& pr, int d);
void LocalSearch(const Problem& pr, ThroughputPlan* plan, const ThroughputOptions& o, Deadline deadline);
// 200 kicks + local search from start; improvements appended to *out.
void IteratedLocalSearch(const Problem& pr, const Candidate& start, const ThroughputOptions& o, Deadline deadline,
                         std::vector<Candidate>* out);
// Every start and its local-search result for o.replicas (>= 1)
// (tp-heuristic, heuristic.cc).
std::vector<Candidate> HeuristicCandidates(const Problem& pr, const ThroughputOptions& o);
// Module-chain pipeline starts (module_split.cc), refined by local search
// and iterated local search, for o.replicas (>= 1).
std::vector<Candidate> ModuleSplitCandidates(const Problem& pr, const ThroughputOptions& o);

// The LP-rounding start of split (lp_rounding.cc).
std::optional<ThroughputPlan> LpRoundingStart(const Problem& pr, int R, double bound);
// o.period_lower_bound_s when set for R = o.replicas, else PeriodLowerBound.
double PeriodBound(const Problem& pr, const ThroughputOptions& o, int R);
ThroughputResult FromCandidate(const Problem& pr, const std::string& solver, const Candidate& c,
                               const ThroughputOptions& o);
// No plan found (not a proof that none exists).
ThroughputResult NoPlan(const std::string& solver, const std::string& why);
std::string ConstraintText(const ThroughputOptions& o);

}  // namespace diviml::tp
