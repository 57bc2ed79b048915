// Random chains of modules for the chain tests (chain_bound_test.cc,
// chain_pass_test.cc): nodes with whole-number times 1..12 on devices
// D1..Dm, modules closed by a cut node that every module node feeds.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "diviml/graph/graph.h"

namespace diviml::testutil {

class RandomChainBuilder {
 public:
  RandomChainBuilder(uint64_t seed, int m) : rng_(seed), m_(m) { g_.name = "chain" + std::to_string(seed); }

  int uni(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  Graph& graph() { return g_; }

  // A new node with a random time on every device. O(m).
  int Node() {
    diviml::Node n;
    n.id = "v" + std::to_string(g_.num_nodes());
    for (int d = 0; d < m_; ++d) n.time_s["D" + std::to_string(d + 1)] = uni(1, 12);
    return g_.AddNode(n);
  }

  // Feeds every node of `mod` from the last cut node, adds (when skip, on a
  // coin flip) an edge from an earlier module into mod.back(), then a cut
  // node fed by every node of mod. Returns the cut node. O(|mod|).
  int CloseModule(const std::vector<int>& mod, bool skip) {
    for (int v : mod)
      for (int u : prev_) g_.AddEdge(u, v, uni(0, 10));
    if (skip && !older_.empty() && uni(0, 1) == 0)
      g_.AddEdge(older_[uni(0, static_cast<int>(older_.size()) - 1)], mod.back(), uni(0, 10));
    older_.insert(older_.end(), mod.begin(), mod.end());
    const int c = Node();
    for (int v : mod) g_.AddEdge(v, c, uni(0, 10));
    prev_ = {c};
    return c;
  }

 private:
  std::mt19937_64 rng_;
  int m_;
  Graph g_;
  std::vector<int> prev_;   // the last cut node
  std::vector<int> older_;  // nodes of the modules closed so far
};

}  // namespace diviml::testutil
