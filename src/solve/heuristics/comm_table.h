// CommTable: transfer times as flat arrays (latency and bandwidth per device
// pair, bytes per edge) for the hot loops of the list schedulers. O(m^2 + E)
// to build, O(1) per query.
//
// The arithmetic is exactly Platform::TransferTime's (latency + bytes /
// bandwidth, 0 on one device), so arrival times computed here are bit for bit
// those Evaluate() computes.
#pragma once

#include <vector>

#include "diviml/core/problem.h"

namespace diviml::heuristics {

class CommTable {
 public:
  explicit CommTable(const Problem& problem);

  int m() const { return m_; }
  double operator()(int e, int d, int f) const {
    if (d == f) return 0.0;
    const size_t k = static_cast<size_t>(d) * m_ + f;
    return latency_[k] + bytes_[e] / bandwidth_[k];
  }

  // Arrival time on every device f of edge e's data leaving device d at
  // time `end`; ready[f] = max(ready[f], arrival). O(m).
  void RaiseReady(int e, int d, double end, double* ready) const {
    const double* lat = latency_.data() + static_cast<size_t>(d) * m_;
    const double* bw = bandwidth_.data() + static_cast<size_t>(d) * m_;
    const double b = bytes_[e];
    for (int f = 0; f < m_; ++f) {
      double a = f == d ? end : end + (lat[f] + b / bw[f]);
      if (a > ready[f]) ready[f] = a;
    }
  }

 private:
  int m_ = 0;
  std::vector<double> latency_, bandwidth_, bytes_;
};

}  // namespace diviml::heuristics
