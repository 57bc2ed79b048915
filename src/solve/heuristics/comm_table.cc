// CommTable construction from the platform's link matrix. O(m^2 + E).
#include "solve/heuristics/comm_table.h"

namespace diviml::heuristics {

CommTable::CommTable(const Problem& problem) : m_(problem.m()) {
  const Platform& pl = problem.platform();
  latency_.assign(static_cast<size_t>(m_) * m_, 0.0);
  bandwidth_.assign(static_cast<size_t>(m_) * m_, 1.0);
  for (int d = 0; d < m_; ++d)
    for (int f = 0; f < m_; ++f) {
      if (d == f) continue;
      const Link& l = pl.link(d, f);
      latency_[static_cast<size_t>(d) * m_ + f] = l.latency_s;
      bandwidth_[static_cast<size_t>(d) * m_ + f] = l.bandwidth_Bps;
    }
  const Graph& g = problem.graph();
  bytes_.resize(g.num_edges());
  for (int e = 0; e < g.num_edges(); ++e) bytes_[e] = g.edges[e].bytes;
}

}  // namespace diviml::heuristics
