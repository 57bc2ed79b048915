// The repair pass (repair.h).
#include "solve/split/repair.h"

#include <algorithm>
#include <numeric>

#include "diviml/core/evaluate.h"
#include "solve/split/group_solve.h"

namespace diviml::split {

std::vector<int> StartOrder(const Problem& pr, const Schedule& s) {
  std::vector<int> seq(pr.n());
  std::iota(seq.begin(), seq.end(), 0);
  const auto& topo = pr.graph().topo_index();
  std::sort(seq.begin(), seq.end(), [&](int a, int b) {
    if (s.start_s[a] != s.start_s[b]) return s.start_s[a] < s.start_s[b];
    if (s.end_s[a] != s.end_s[b]) return s.end_s[a] < s.end_s[b];
    return topo[a] < topo[b];
  });
  return seq;
}

RepairStats RepairWindows(const Problem& pr, const std::vector<int>& centres, int window,
                          const Stopwatch& clock, double until_s, const SolveOptions& so,
                          Plan* plan, Schedule* schedule, double* makespan_s,
                          const std::atomic<double>* known_lb) {
  RepairStats stats;
  const int n = pr.n();
  if (n == 0 || window < 2 || centres.empty()) return stats;
  bool again = true;
  while (again) {
    again = false;
    for (size_t c = 0; c < centres.size(); ++c) {
      const double left = until_s - clock.seconds();
      if (left <= 0.05 || Interrupted(so)) return stats;
      if (known_lb && *makespan_s <= known_lb->load() * (1 + 1e-9)) return stats;
      const std::vector<int> seq = StartOrder(pr, *schedule);
      const int lo = std::clamp(centres[c] - window / 2, 0, std::max(0, n - window));
      const int hi = std::min(n, lo + window);
      std::vector<char> in_prefix(n, 0), in_window(n, 0);
      for (int k = 0; k < lo; ++k) in_prefix[seq[k]] = 1;
      std::vector<int> group(seq.begin() + lo, seq.begin() + hi);
      for (int v : group) in_window[v] = 1;
      State st = State::FromPrefix(pr, *plan, schedule->end_s, in_prefix);
      std::string why;
      const double share = left / static_cast<double>(centres.size() - c);
      ++stats.windows;
      if (!SolveGroup(pr, group, st, share, so, &why)) continue;
      // The suffix keeps its devices and per-device order.
      Plan cand;
      cand.device = st.device;
      cand.order = st.order;
      for (int d = 0; d < pr.m(); ++d)
        for (int v : plan->order[d])
          if (!in_prefix[v] && !in_window[v]) {
            cand.device[v] = d;
            cand.order[d].push_back(v);
          }
      Evaluation ev = Evaluate(pr, cand);
      if (ev.valid && ev.makespan_s < *makespan_s * (1 - 1e-9)) {
        *plan = std::move(cand);
        *schedule = std::move(ev.schedule);
        *makespan_s = ev.makespan_s;
        ++stats.improved;
        again = true;
      }
    }
  }
  return stats;
}

}  // namespace diviml::split
