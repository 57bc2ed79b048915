// "cpop": Critical Path On a Processor (Topcuoglu, Hariri, Wu, IEEE TPDS
// 13(3), 2002, section 4.2). Priority(i) = rank_u(i) + rank_d(i); |CP| is
// the largest priority of an entry node. The critical path starts at that
// entry node (ties: lower index) and follows, from each node, the successor
// of largest priority (which equals |CP|; ties: lower index) to an exit
// node. All its nodes are pinned to the device minimising their total time
// (ties: lower device); the other nodes go, in ready-list order by
// decreasing priority (ties: lower index), to the device of earliest finish
// time; insertion-based throughout. O(E * m + V log V + V * m * slot search).
#include <memory>

#include "diviml/solve/heuristics.h"
#include "solve/heuristics/list_scheduler.h"
#include "solve/heuristics/ranks.h"
#include "solve/heuristics/result.h"

namespace diviml {
namespace {

class CpopSolver : public Solver {
 public:
  std::string name() const override { return "cpop"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& options) override {
    Stopwatch clock;
    const Graph& g = pr.graph();
    const int n = pr.n(), m = pr.m();
    const std::vector<double> up = heuristics::UpwardRank(pr);
    const std::vector<double> down = heuristics::DownwardRank(pr);
    std::vector<double> prio(n);
    for (int v = 0; v < n; ++v) prio[v] = up[v] + down[v];

    std::vector<int> forced(n, -1);
    int v = -1;
    for (int u = 0; u < n; ++u)
      if (g.in_degree(u) == 0 && (v < 0 || prio[u] > prio[v])) v = u;
    std::vector<int> path;
    while (v >= 0) {
      path.push_back(v);
      int next = -1;
      for (int e : g.out_edges(v)) {
        int w = g.edges[e].to;
        if (next < 0 || prio[w] > prio[next] || (prio[w] == prio[next] && w < next)) next = w;
      }
      v = next;
    }
    int cp_device = 0;
    double best = 0;
    for (int d = 0; d < m; ++d) {
      double sum = 0;
      for (int u : path) sum += pr.p(u, d);
      if (d == 0 || sum < best) {
        best = sum;
        cp_device = d;
      }
    }
    for (int u : path) forced[u] = cp_device;

    heuristics::ListScheduler ls(pr);
    heuristics::ListRule rule;
    rule.priority = prio.data();
    rule.forced_device = forced.data();
    ls.Run(rule);
    SolveResult r = heuristics::MakeResult(name(), pr, options, ls.device(), ls.Orders(),
                                           ls.start(), ls.end(), clock);
    if (r.message.empty())
      r.message = "critical path of " + std::to_string(path.size()) + " nodes on device '" +
                  (m > 0 ? pr.platform().devices[cp_device].name : std::string()) + "'";
    heuristics::NoteMemoryOverflow(&r, ls.overflows(), ls.memory_note());
    return r;
  }
};

}  // namespace

std::unique_ptr<Solver> MakeCpopSolver() { return std::make_unique<CpopSolver>(); }

}  // namespace diviml
