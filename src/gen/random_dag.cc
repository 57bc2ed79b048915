#include <algorithm>
#include <random>
#include <string>

// Random DAGs and platforms for tests and benchmarks (include/diviml/gen/random_dag.h),
// drawn through gen/portable_random.h: the same seed gives the same graph
// on every standard library.
#include "diviml/gen/random_dag.h"
#include "gen/portable_random.h"

namespace diviml {

Graph RandomDag(const RandomDagOptions& o, int num_devices) {
  std::mt19937_64 rng(o.seed);
  auto time = [&](std::mt19937_64& r) { return gen::UniformIntIn(r, o.min_time, o.max_time); };
  auto bytes = [&](std::mt19937_64& r) { return gen::UniformIntIn(r, o.min_bytes, o.max_bytes); };
  Graph g;
  g.name = "random-" + std::to_string(o.nodes) + "-s" + std::to_string(o.seed);
  for (int i = 0; i < o.nodes; ++i) {
    Node n;
    n.id = "n" + std::to_string(i);
    for (int d = 0; d < num_devices; ++d) n.time_s["D" + std::to_string(d + 1)] = time(rng);
    g.AddNode(std::move(n));
  }
  for (int i = 0; i + 1 < o.nodes; ++i) {
    int span = o.nodes - 1 - i;
    if (o.max_span > 0 && span > o.max_span) span = o.max_span;
    double p = std::min(1.0, o.mean_out_degree / span);
    bool any = false;
    for (int j = i + 1; j <= i + span; ++j) {
      if (gen::Bernoulli(rng, p)) {
        g.AddEdge(i, j, bytes(rng));
        any = true;
      }
    }
    if (!any) g.AddEdge(i, i + 1 + static_cast<int>(gen::UniformInt(rng, span)), bytes(rng));
  }
  g.Finalize();
  return g;
}

Platform RandomPlatform(int num_devices, int max_latency, int max_bandwidth, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Platform p;
  p.name = "random-" + std::to_string(num_devices);
  for (int d = 0; d < num_devices; ++d) {
    Device dev;
    dev.name = "D" + std::to_string(d + 1);
    dev.type = dev.name;
    p.devices.push_back(dev);
  }
  p.SetDefaultLink(Link{1.0, 0.0});
  auto lat = [&](std::mt19937_64& r) { return gen::UniformIntIn(r, 0, max_latency); };
  auto bw = [&](std::mt19937_64& r) { return gen::UniformIntIn(r, 1, max_bandwidth); };
  for (int d = 0; d < num_devices; ++d)
    for (int e = d + 1; e < num_devices; ++e)
      p.SetLink(d, e, Link{static_cast<double>(bw(rng)), static_cast<double>(lat(rng))});
  return p;
}

}  // namespace diviml
