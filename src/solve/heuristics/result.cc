// SolveResult assembly for the heuristics. O(V + E).
#include "solve/heuristics/result.h"

#include "diviml/util/tolerance.h"

#include <algorithm>
#include <cmath>

namespace diviml::heuristics {

bool ReachesKnownBound(double makespan_s, const SolveOptions& options) {
  return MeetsBound(makespan_s, options.known_lower_bound_s);
}

SolveResult MakeResult(const std::string& solver, const Problem& problem,
                       const SolveOptions& options, const std::vector<int>& device,
                       std::vector<std::vector<int>> order, const std::vector<double>& start,
                       const std::vector<double>& end, const Stopwatch& clock) {
  SolveResult r;
  r.solver = solver;
  r.plan.device = device;
  r.plan.order = std::move(order);
  Schedule& s = r.schedule;
  s.start_s = start;
  s.end_s = end;
  for (double t : end) s.makespan_s = std::max(s.makespan_s, t);
  const Graph& g = problem.graph();
  for (int e = 0; e < g.num_edges(); ++e) {
    const int d = device[g.edges[e].from], f = device[g.edges[e].to];
    if (d == f) continue;
    const double t0 = end[g.edges[e].from];
    s.transfers.push_back(Transfer{e, d, f, t0, t0 + problem.comm(e, d, f)});
  }
  r.makespan_s = s.makespan_s;
  if (ReachesKnownBound(r.makespan_s, options)) {
    r.status = SolveStatus::kOptimal;
    r.lower_bound_s = options.known_lower_bound_s;
    r.message = "makespan meets the known lower bound";
  } else {
    r.status = SolveStatus::kFeasible;
  }
  r.solve_time_s = clock.seconds();
  return r;
}

void NoteMemoryOverflow(SolveResult* r, int overflows, const std::string& note) {
  if (overflows <= 0) return;
  r->status = SolveStatus::kNoSolutionFound;
  r->lower_bound_s = 0;
  std::string line = note + " (" + std::to_string(overflows) + " node" + (overflows == 1 ? "" : "s") +
                     " placed over capacity)";
  r->message = r->message.empty() ? line : line + "; " + r->message;
}

}  // namespace diviml::heuristics
