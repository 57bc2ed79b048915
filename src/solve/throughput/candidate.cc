// Candidate plans of the throughput heuristics: evaluation, feasibility
// under the latency ceiling / throughput floor, the comparison, and the
// conversion to a ThroughputResult. O(R (V + E) + R * latency) per candidate.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "diviml/solve/throughput.h"
#include "solve/throughput/internal.h"
#include "diviml/util/tolerance.h"

namespace diviml::tp {


Candidate MakeCandidate(const Problem& pr, ThroughputPlan plan) {
  Candidate c;
  c.info = EvaluatePeriod(pr, plan);
  c.max_latency_s = 0;
  for (const auto& dev : plan.device) {
    double l = ReplicaLatency(pr, dev);
    c.latency_s.push_back(l);
    c.max_latency_s = std::max(c.max_latency_s, l);
  }
  c.plan = std::move(plan);
  return c;
}

bool Feasible(const Candidate& c, const ThroughputOptions& o) {
  if (!c.info.valid) return false;
  if (c.max_latency_s > o.max_latency_s * (1 + 1e-9) + 1e-12) return false;
  if (o.min_throughput_per_s > 0 && c.info.throughput_per_s < o.min_throughput_per_s * (1 - 1e-9)) return false;
  return true;
}

bool Better(const Candidate& a, const Candidate& b, const ThroughputOptions& o) {
  const double eps = 1e-12;
  if (o.min_throughput_per_s > 0) {
    if (a.max_latency_s < b.max_latency_s - eps) return true;
    if (a.max_latency_s > b.max_latency_s + eps) return false;
    return a.info.throughput_per_s > b.info.throughput_per_s * (1 + 1e-12);
  }
  double ta = a.info.throughput_per_s, tb = b.info.throughput_per_s;
  if (ta > tb * (1 + 1e-12)) return true;
  if (ta < tb * (1 - 1e-12)) return false;
  if (a.plan.replicas() != b.plan.replicas()) return a.plan.replicas() < b.plan.replicas();
  return a.max_latency_s < b.max_latency_s - eps;
}

void Offer(const Candidate& c, const ThroughputOptions& o, std::optional<Candidate>* best) {
  if (!Feasible(c, o)) return;
  if (!*best || Better(c, **best, o)) *best = c;
}

std::vector<int> SingleDevice(const Problem& pr, int d) {
  std::vector<int> dev(pr.n());
  for (int i = 0; i < pr.n(); ++i) dev[i] = pr.allowed(i, d) ? d : pr.fixed_device(i);
  return dev;
}

double PeriodBound(const Problem& pr, const ThroughputOptions& o, int R) {
  return o.period_lower_bound_s >= 0 && o.replicas == R ? o.period_lower_bound_s : PeriodLowerBound(pr, R);
}

ThroughputResult FromCandidate(const Problem& pr, const std::string& solver, const Candidate& c,
                               const ThroughputOptions& o) {
  ThroughputResult r;
  r.solver = solver;
  r.status = SolveStatus::kFeasible;
  r.plan = c.plan;
  r.period_s = c.info.period_s;
  r.throughput_per_s = c.info.throughput_per_s;
  r.latency_s = c.latency_s;
  r.period_lower_bound_s = PeriodBound(pr, o, c.plan.replicas());
  if (MeetsBound(r.period_s, r.period_lower_bound_s)) r.status = SolveStatus::kOptimal;
  return r;
}

ThroughputResult NoPlan(const std::string& solver, const std::string& why) {
  ThroughputResult r;
  r.solver = solver;
  r.status = SolveStatus::kNoSolutionFound;  // not a proof
  r.message = why;
  return r;
}

std::string ConstraintText(const ThroughputOptions& o) {
  std::string s;
  if (std::isfinite(o.max_latency_s)) s += " with latency <= " + std::to_string(o.max_latency_s) + " s";
  if (o.min_throughput_per_s > 0) s += " with throughput >= " + std::to_string(o.min_throughput_per_s) + "/s";
  return s;
}

}  // namespace diviml::tp
