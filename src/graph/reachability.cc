// Transitive closure as one bitset row per node, filled in reverse
// topological order: row(v) = OR over successors w of (row(w) | {w}).
// O(V * E / 64) time, V^2 / 8 bytes.
#include <bit>

#include "diviml/graph/graph.h"

namespace diviml {

Reachability::Reachability(const Graph& g) {
  const int n = g.num_nodes();
  words_ = (static_cast<size_t>(n) + 63) / 64;
  bits_.assign(words_ * n, 0);
  const auto& topo = g.topo_order();
  for (int k = n - 1; k >= 0; --k) {
    int v = topo[k];
    uint64_t* row = &bits_[v * words_];
    for (int e : g.out_edges(v)) {
      int w = g.edges[e].to;
      const uint64_t* wrow = &bits_[w * words_];
      for (size_t x = 0; x < words_; ++x) row[x] |= wrow[x];
      row[w >> 6] |= uint64_t{1} << (w & 63);
    }
  }
  desc_count_.assign(n, 0);
  anc_count_.assign(n, 0);
  for (int v = 0; v < n; ++v) {
    const uint64_t* row = &bits_[v * words_];
    int c = 0;
    for (size_t x = 0; x < words_; ++x) {
      uint64_t word = row[x];
      c += std::popcount(word);
      while (word) {
        int b = std::countr_zero(word);
        ++anc_count_[static_cast<int>(x * 64) + b];
        word &= word - 1;
      }
    }
    desc_count_[v] = c;
  }
}

}  // namespace diviml
