// ScaleTimes (include/diviml/core/problem.h).
#include "diviml/core/problem.h"

#include <cmath>
#include <stdexcept>

namespace diviml {

Problem ScaleTimes(const Problem& pr, double factor) {
  if (!(factor > 0) || !std::isfinite(factor))
    throw std::invalid_argument("ScaleTimes: factor must be finite and > 0");
  const Platform& p0 = pr.platform();
  Graph g = pr.graph();
  for (int i = 0; i < pr.n(); ++i) {
    Node& nd = g.nodes[i];
    nd.time_s.clear();
    for (int d = 0; d < pr.m(); ++d) nd.time_s[p0.devices[d].name] = pr.p(i, d) * factor;
    nd.pin = pr.fixed_device(i) >= 0 ? p0.devices[pr.fixed_device(i)].name : "";
  }
  Platform p = p0;
  if (p0.links_complete())
    for (int d = 0; d < p0.num_devices(); ++d)
      for (int e = 0; e < p0.num_devices(); ++e) {
        if (d == e) continue;
        Link l = p0.link(d, e);
        l.latency_s *= factor;
        l.bandwidth_Bps /= factor;
        p.SetLink(d, e, l, false);
      }
  std::string err;
  Problem scaled = Problem::Build(std::move(g), std::move(p), &err, pr.host_device());
  if (!err.empty()) throw std::invalid_argument("ScaleTimes: " + err);
  return scaled;
}

}  // namespace diviml
