// Plan-side local search; see local_search.h.
#include "solve/split/local_search.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "diviml/core/evaluate.h"
#include "diviml/util/tolerance.h"
#include "gen/portable_random.h"
#include "solve/split/repair.h"
#include "util/stopwatch.h"

namespace diviml::split {
namespace {

class Searcher {
 public:
  explicit Searcher(const Problem& pr) : pr_(pr), g_(pr.graph()), n_(pr.n()), m_(pr.m()) {
    const int E = g_.num_edges();
    comm_.resize(static_cast<size_t>(E) * m_ * m_);
    for (int e = 0; e < E; ++e)
      for (int d = 0; d < m_; ++d)
        for (int f = 0; f < m_; ++f) comm_[(static_cast<size_t>(e) * m_ + d) * m_ + f] = pr.comm(e, d, f);
    end_.assign(n_, 0);
    free_.assign(m_, 0);
    for (int d = 0; d < m_; ++d) {
      const double cap = pr.platform().devices[d].memory_bytes;
      if (std::isfinite(cap))
        for (const Node& v : g_.nodes)
          if (v.param_bytes > 0 || v.memory_bytes > 0) memory_matters_ = true;
    }
  }

  // Makespan of the list schedule of (device, order). O(V + E).
  double Makespan(const std::vector<int>& device, const std::vector<int>& order) {
    std::fill(free_.begin(), free_.end(), 0.0);
    double ms = 0;
    for (int v : order) {
      const int d = device[v];
      double s = free_[d];
      for (int e : g_.in_edges(v)) {
        const int u = g_.edges[e].from;
        s = std::max(s, end_[u] + comm_[(static_cast<size_t>(e) * m_ + device[u]) * m_ + d]);
      }
      end_[v] = s + pr_.p(v, d);
      free_[d] = end_[v];
      ms = std::max(ms, end_[v]);
    }
    return ms;
  }

  // Evaluate()'s memory rule on every device.
  bool MemoryFits(const std::vector<int>& device) const {
    if (!memory_matters_) return true;
    std::vector<double> params(m_, 0), work(m_, 0);
    for (int v = 0; v < n_; ++v) {
      params[device[v]] += g_.nodes[v].param_bytes;
      work[device[v]] = std::max(work[device[v]], g_.nodes[v].memory_bytes);
    }
    for (int d = 0; d < m_; ++d)
      if (params[d] + work[d] > pr_.platform().devices[d].memory_bytes) return false;
    return true;
  }

 private:
  const Problem& pr_;
  const Graph& g_;
  const int n_, m_;
  std::vector<double> comm_, end_, free_;
  bool memory_matters_ = false;
};

}  // namespace

LocalSearchStats LocalSearch(const Problem& pr, Plan* plan, Schedule* schedule, double* makespan_s, double time_s,
                             uint64_t seed, long long max_tries, const std::atomic<bool>* cancel,
                             const std::atomic<double>* known_lb) {
  const Stopwatch clock;
  LocalSearchStats st;
  const int n = pr.n(), m = pr.m();
  const Graph& g = pr.graph();
  st.before_s = st.after_s = *makespan_s;
  if (n < 2 || m < 2) return st;

  // The priority list keeps every device's order of the plan.
  std::vector<int> order = StartOrder(pr, *schedule);
  std::vector<int> device = plan->device;
  Searcher se(pr);
  double cur = se.Makespan(device, order);
  std::vector<int> best_device = device, best_order = order;
  double best = cur;
  std::vector<int> movable;
  for (int v = 0; v < n; ++v)
    if (pr.fixed_device(v) < 0) movable.push_back(v);
  if (movable.empty()) return st;

  std::mt19937_64 rng(seed ^ 0x5bd1e995u);
  std::vector<int> new_device, new_order, cluster, queue, pos(n);
  std::vector<char> in_cluster(n, 0);
  // Threshold accepting: up to 1% worse at first, shrinking
  // quadratically to 0 at 80% of the time, then pure descent (measured: 0.3%
  // and 3% gave plans within the same spread, docs/split.md).
  const double start_thr = 0.01 * cur;
  for (;;) {
    if ((st.tries & 63) == 0) {
      if (clock.seconds() >= time_s || (cancel && *cancel)) break;
      if (known_lb && MeetsBound(best, known_lb->load())) break;
    }
    if (max_tries > 0 && st.tries >= max_tries) break;
    ++st.tries;
    // Progress through the run: by tries when they bound it (deterministic),
    // else by time.
    const double frac = max_tries > 0 ? static_cast<double>(st.tries) / static_cast<double>(max_tries)
                                      : std::min(1.0, clock.seconds() / std::max(time_s, 1e-9));
    const double thr = frac < 0.8 ? start_thr * (1 - frac / 0.8) * (1 - frac / 0.8) : 0.0;
    new_device = device;
    new_order = order;
    const int v = movable[gen::UniformInt(rng, static_cast<uint64_t>(movable.size()))];
    const int kind = static_cast<int>(gen::UniformInt(rng, 3));
    bool device_changed = false;
    if (kind < 2) {
      int d = static_cast<int>(gen::UniformInt(rng, static_cast<uint64_t>(m - 1)));
      if (d >= device[v]) ++d;
      cluster.assign(1, v);
      if (kind == 1) {
        // Breadth-first over neighbours on v's device, 2-5 nodes in all.
        const int want = 2 + static_cast<int>(gen::UniformInt(rng, 4));
        in_cluster[v] = 1;
        queue.assign(1, v);
        for (size_t q = 0; q < queue.size() && static_cast<int>(cluster.size()) < want; ++q) {
          const int u = queue[q];
          auto visit = [&](int w) {
            if (in_cluster[w] || device[w] != device[v] || static_cast<int>(cluster.size()) >= want) return;
            in_cluster[w] = 1;
            cluster.push_back(w);
            queue.push_back(w);
          };
          // Random side first so clusters grow both ways.
          const bool succ_first = gen::UniformInt(rng, 2) == 0;
          for (int side = 0; side < 2; ++side) {
            if ((side == 0) == succ_first)
              for (int e : g.out_edges(u)) visit(g.edges[e].to);
            else
              for (int e : g.in_edges(u)) visit(g.edges[e].from);
          }
        }
        for (int w : cluster) in_cluster[w] = 0;
      }
      bool ok = true;
      for (int w : cluster) ok = ok && pr.allowed(w, d);
      if (!ok) continue;
      for (int w : cluster) new_device[w] = d;
      device_changed = true;
    } else {
      for (int i = 0; i < n; ++i) pos[order[i]] = i;
      int lo = 0, hi = n - 1;
      for (int e : g.in_edges(v)) lo = std::max(lo, pos[g.edges[e].from] + 1);
      for (int e : g.out_edges(v)) hi = std::min(hi, pos[g.edges[e].to] - 1);
      if (hi <= lo) continue;
      int to = lo + static_cast<int>(gen::UniformInt(rng, static_cast<uint64_t>(hi - lo + 1)));
      const int from = pos[v];
      if (to == from) continue;
      new_order.erase(new_order.begin() + from);
      // Erasing v then inserting at `to` puts v right after (to > from) or
      // before (to < from) the node that was at `to`: still between its
      // predecessors and successors.
      new_order.insert(new_order.begin() + to, v);
    }
    if (device_changed && !se.MemoryFits(new_device)) continue;
    const double val = se.Makespan(new_device, new_order);
    if (val < cur + thr) {
      ++st.accepted;
      device.swap(new_device);
      order.swap(new_order);
      cur = val;
      if (val < best * (1 - 1e-12)) {
        best = val;
        best_device = device;
        best_order = order;
        ++st.improved;
      }
    }
  }
  if (st.improved > 0) {
    Plan p = Plan::FromPriority(best_device, best_order, m);
    Evaluation ev = Evaluate(pr, p);
    if (ev.valid && ev.makespan_s < *makespan_s) {
      *plan = std::move(p);
      *schedule = std::move(ev.schedule);
      *makespan_s = ev.makespan_s;
      st.after_s = ev.makespan_s;
    }
  }
  return st;
}

}  // namespace diviml::split
