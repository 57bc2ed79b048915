// Seeded random instances for tests and benchmarks. Same seed, same graph.
#pragma once

#include <cstdint>

#include "diviml/graph/graph.h"
#include "diviml/platform/platform.h"

namespace diviml {

struct RandomDagOptions {
  int nodes = 10;
  // Expected out-degree towards later nodes (layered by index).
  double mean_out_degree = 2.0;
  // Maximum index distance of an edge (keeps graphs deep); 0 = unlimited.
  int max_span = 0;
  int min_time = 1, max_time = 20;       // integer times per device
  int min_bytes = 0, max_bytes = 20;     // integer bytes per edge
  uint64_t seed = 1;
};

// A random DAG (edges only from lower to higher index) with integer times
// for the device names "D1".."Dm" in time_s. O(V + E).
Graph RandomDag(const RandomDagOptions& options, int num_devices);

// m devices "D1".."Dm" with random integer latencies (0..max_latency) and
// bandwidths (1..max_bw) per device pair, both ways equal.
Platform RandomPlatform(int num_devices, int max_latency, int max_bandwidth, uint64_t seed);

}  // namespace diviml
