// ListScheduler: ready-list scheduling with EFT (+ offset) device selection
// and the insertion policy (Topcuoglu, Hariri, Wu 2002; Arabnejad, Barbosa
// 2014). O(E * m + V log V + V * m * slot search) per run.
#include "solve/heuristics/list_scheduler.h"

#include <algorithm>
#include <limits>

namespace diviml::heuristics {

ListScheduler::ListScheduler(const Problem& problem)
    : pr_(problem), comm_(problem), timeline_(problem.m()), memory_(problem) {}

double ListScheduler::Run(const ListRule& rule) {
  const Graph& g = pr_.graph();
  const int n = pr_.n(), m = pr_.m();
  for (Timeline& t : timeline_) t.Clear();
  memory_.Reset();
  device_.assign(n, -1);
  start_.assign(n, 0.0);
  end_.assign(n, 0.0);
  ready_.assign(m, 0.0);
  missing_.resize(n);
  heap_.clear();

  const double* prio = rule.priority;
  const uint64_t* tie = rule.tie;
  // "a goes after b": the heap's top is the node that goes first.
  auto after = [prio, tie](int a, int b) {
    if (prio[a] != prio[b]) return prio[a] < prio[b];
    if (tie && tie[a] != tie[b]) return tie[a] > tie[b];
    return a > b;
  };
  for (int v = 0; v < n; ++v) {
    missing_[v] = g.in_degree(v);
    if (missing_[v] == 0) heap_.push_back(v);
  }
  std::make_heap(heap_.begin(), heap_.end(), after);

  double makespan = 0;
  double* ready = ready_.data();
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), after);
    const int v = heap_.back();
    heap_.pop_back();

    std::fill(ready, ready + m, 0.0);
    for (int e : g.in_edges(v)) {
      const int u = g.edges[e].from;
      comm_.RaiseReady(e, device_[u], end_[u], ready);
    }

    int d_lo = 0, d_hi = m;
    const bool pinned = pr_.fixed_device(v) >= 0;
    if (pinned) {  // pinned by the problem: always wins
      d_lo = pr_.fixed_device(v);
      d_hi = d_lo + 1;
    } else if (rule.forced_device && rule.forced_device[v] >= 0 &&
               memory_.Fits(v, rule.forced_device[v])) {
      // The rule's pin is a preference: it yields when the device is full.
      d_lo = rule.forced_device[v];
      d_hi = d_lo + 1;
    }
    const double* offset =
        rule.select_offset ? rule.select_offset + static_cast<size_t>(v) * m : nullptr;
    int best_d = -1, best_pos = 0;
    double best_key = std::numeric_limits<double>::infinity(), best_start = 0, best_end = 0;
    // Pass 0 considers the devices that can hold v; pass 1 (only when none
    // can) all of them, and the plan will break a capacity.
    for (int pass = 0; pass < 2 && best_d < 0; ++pass) {
      for (int d = d_lo; d < d_hi; ++d) {
        if (pass == 0 && !memory_.Fits(v, d)) continue;
        const double w = pr_.p(v, d);
        int pos;
        double s = rule.insertion ? timeline_[d].FindSlot(ready[d], w, &pos)
                                  : timeline_[d].AppendSlot(ready[d], &pos);
        double f = s + w;
        double key = offset ? f + offset[d] : f;
        if (best_d < 0 || key < best_key) {
          best_d = d;
          best_key = key;
          best_pos = pos;
          best_start = s;
          best_end = f;
        }
      }
    }
    memory_.Place(v, best_d, !memory_.Fits(v, best_d));
    timeline_[best_d].Insert(best_pos, v, best_start, best_end);
    device_[v] = best_d;
    start_[v] = best_start;
    end_[v] = best_end;
    makespan = std::max(makespan, best_end);

    for (int e : g.out_edges(v)) {
      const int w = g.edges[e].to;
      if (--missing_[w] == 0) {
        heap_.push_back(w);
        std::push_heap(heap_.begin(), heap_.end(), after);
      }
    }
  }
  return makespan;
}

std::vector<std::vector<int>> ListScheduler::Orders() const {
  std::vector<std::vector<int>> order(timeline_.size());
  for (size_t d = 0; d < timeline_.size(); ++d) order[d] = timeline_[d].nodes();
  return order;
}

}  // namespace diviml::heuristics
