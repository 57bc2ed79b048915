// "etf": Earliest Time First (Hwang, Chow, Anger, Lee, "Scheduling
// precedence graphs in systems with interprocessor communication times",
// SIAM J. Comput. 18(2), 1989), heterogeneous variant. At every step, over
// all ready nodes (every predecessor placed) and all devices, the pair with
// the earliest start time is scheduled, after the device's last node
// (non-insertion, as the original). Ties: earlier finish time (the
// heterogeneous refinement: the faster device), then higher static level
// (longest path of mean execution times to an exit node, transfers
// excluded, as Hwang's), then lower node index, then lower device index. On
// identical devices this is exactly Hwang's ETF.
//
// Memory: a device is considered only while it can hold the node
// (MemoryLedger); placing on d changes only d, so the invalidation below
// stays exact.
//
// Each ready node caches its data-ready time on every device and its best
// (start, finish, device); placing a node on device d only invalidates the
// nodes whose best was d (d's free time grew, every other device is
// unchanged). O(E * m + V * R + U * m) with R the largest ready set and U
// the invalidations (U <= V * R).
#include <algorithm>
#include <limits>
#include <memory>

#include "diviml/solve/heuristics.h"
#include "solve/heuristics/comm_table.h"
#include "solve/heuristics/memory_ledger.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

class EtfSolver : public Solver {
 public:
  std::string name() const override { return "etf"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& options) override {
    Stopwatch clock;
    const Graph& g = pr.graph();
    const int n = pr.n(), m = pr.m();
    heuristics::CommTable comm(pr);
    heuristics::MemoryLedger memory(pr);
    memory.Reset();

    // Static level: longest path of mean times to an exit node.
    std::vector<double> level(n, 0.0);
    const auto& topo = g.topo_order();
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
      double tail = 0;
      for (int e : g.out_edges(*it)) tail = std::max(tail, level[g.edges[e].to]);
      level[*it] = pr.mean_p(*it) + tail;
    }

    std::vector<int> device(n, -1), missing(n), ready_set;
    std::vector<double> start(n, 0.0), end(n, 0.0), free(m, 0.0);
    std::vector<double> data_ready;  // per ready-set slot, m values
    std::vector<double> best_start, best_end;
    std::vector<int> best_dev;
    std::vector<std::vector<int>> order(m);

    auto evaluate = [&](size_t slot) {
      const int v = ready_set[slot];
      const double* r = data_ready.data() + slot * m;
      double bs = std::numeric_limits<double>::infinity(), be = bs;
      int bd = -1;
      // Pass 0: the devices that can still hold v; pass 1 (none can): all.
      for (int pass = 0; pass < 2 && bd < 0; ++pass) {
        for (int d = 0; d < m; ++d) {
          if (!pr.allowed(v, d) || (pass == 0 && !memory.Fits(v, d))) continue;
          double s = std::max(r[d], free[d]);
          double f = s + pr.p(v, d);
          if (bd < 0 || s < bs || (s == bs && f < be)) {
            bs = s;
            be = f;
            bd = d;
          }
        }
      }
      best_start[slot] = bs;
      best_end[slot] = be;
      best_dev[slot] = bd;
    };
    auto make_ready = [&](int v) {
      const size_t slot = ready_set.size();
      ready_set.push_back(v);
      data_ready.resize((slot + 1) * m, 0.0);
      double* r = data_ready.data() + slot * m;
      std::fill(r, r + m, 0.0);
      for (int e : g.in_edges(v)) {
        const int u = g.edges[e].from;
        comm.RaiseReady(e, device[u], end[u], r);
      }
      best_start.push_back(0);
      best_end.push_back(0);
      best_dev.push_back(-1);
      evaluate(slot);
    };

    for (int v = 0; v < n; ++v) {
      missing[v] = g.in_degree(v);
      if (missing[v] == 0) make_ready(v);
    }
    while (!ready_set.empty()) {
      size_t pick = 0;
      for (size_t k = 1; k < ready_set.size(); ++k) {
        if (best_start[k] != best_start[pick]) {
          if (best_start[k] < best_start[pick]) pick = k;
          continue;
        }
        if (best_end[k] != best_end[pick]) {
          if (best_end[k] < best_end[pick]) pick = k;
          continue;
        }
        const int a = ready_set[k], b = ready_set[pick];
        if (level[a] != level[b]) {
          if (level[a] > level[b]) pick = k;
          continue;
        }
        if (a < b) pick = k;
      }
      const int v = ready_set[pick];
      const int d = best_dev[pick];
      device[v] = d;
      start[v] = best_start[pick];
      end[v] = best_end[pick];
      free[d] = end[v];
      order[d].push_back(v);
      memory.Place(v, d, !memory.Fits(v, d));

      // Remove the slot (swap with the last one).
      const size_t last = ready_set.size() - 1;
      if (pick != last) {
        ready_set[pick] = ready_set[last];
        std::copy(data_ready.begin() + last * m, data_ready.begin() + (last + 1) * m,
                  data_ready.begin() + pick * m);
        best_start[pick] = best_start[last];
        best_end[pick] = best_end[last];
        best_dev[pick] = best_dev[last];
      }
      ready_set.pop_back();
      data_ready.resize(last * m);
      best_start.pop_back();
      best_end.pop_back();
      best_dev.pop_back();
      for (size_t k = 0; k < ready_set.size(); ++k)
        if (best_dev[k] == d) evaluate(k);

      for (int e : g.out_edges(v)) {
        const int w = g.edges[e].to;
        if (--missing[w] == 0) make_ready(w);
      }
    }
    SolveResult r = heuristics::MakeResult(name(), pr, options, device, std::move(order), start,
                                           end, clock);
    heuristics::NoteMemoryOverflow(&r, memory.overflows(), memory.note());
    return r;
  }
};

}  // namespace

std::unique_ptr<Solver> MakeEtfSolver() { return std::make_unique<EtfSolver>(); }

}  // namespace diviml
