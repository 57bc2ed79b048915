// Community detection for module cutting (module_cut.h) with igraph 0.10:
// Leiden (modularity objective: node weights = strengths, resolution
// gamma / (2 * total weight)) and Louvain (igraph_community_multilevel),
// O(E log n) each. igraph keeps global state (default RNG, error handlers;
// Debian's build has IGRAPH_THREAD_SAFE 0), so every call holds a mutex,
// seeds the default RNG and restores the handlers it replaced. Errors are
// ignored: a failed method just contributes no membership.
#include <mutex>

#include "solve/split/module_cut.h"

#ifdef DIVIML_HAVE_IGRAPH
#include <igraph.h>
#endif

namespace diviml::split_internal {

#ifdef DIVIML_HAVE_IGRAPH
namespace {
std::mutex igraph_mutex;
}  // namespace

bool HaveCommunityDetection() { return true; }

std::vector<std::pair<std::string, std::vector<int>>> DetectCommunities(int n, const std::vector<WeightedEdge>& edges,
                                                                        uint64_t seed) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  if (edges.empty() || n <= 0) return out;
  std::lock_guard<std::mutex> lock(igraph_mutex);
  igraph_error_handler_t* old_err = igraph_set_error_handler(igraph_error_handler_ignore);
  igraph_warning_handler_t* old_warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
  igraph_vector_int_t ev;
  igraph_vector_t w, strength;
  igraph_vector_int_t membership;
  igraph_matrix_int_t levels;
  igraph_t g;
  const long m = static_cast<long>(edges.size());
  igraph_vector_int_init(&ev, 2 * m);
  igraph_vector_init(&w, m);
  igraph_vector_init(&strength, n);
  igraph_vector_int_init(&membership, 0);
  igraph_matrix_int_init(&levels, 0, 0);
  double total = 0;
  for (long i = 0; i < m; ++i) {
    VECTOR(ev)[2 * i] = edges[i].a;
    VECTOR(ev)[2 * i + 1] = edges[i].b;
    VECTOR(w)[i] = edges[i].w;
    VECTOR(strength)[edges[i].a] += edges[i].w;
    VECTOR(strength)[edges[i].b] += edges[i].w;
    total += edges[i].w;
  }
  auto take = [&](std::string name, const igraph_vector_int_t& mv) {
    std::vector<int> c(n);
    for (int i = 0; i < n; ++i) c[i] = static_cast<int>(VECTOR(mv)[i]);
    out.emplace_back(std::move(name), std::move(c));
  };
  if (igraph_create(&g, &ev, n, IGRAPH_UNDIRECTED) == IGRAPH_SUCCESS) {
    // Leiden, modularity objective: node weights = strengths, resolution
    // gamma / (2 * total weight).
    for (double gamma : {0.5, 1.0, 2.0}) {
      igraph_rng_seed(igraph_rng_default(), seed);
      igraph_integer_t clusters = 0;
      igraph_real_t quality = 0;
      if (igraph_community_leiden(&g, &w, &strength, gamma / (2 * total), 0.01, false, -1, &membership,
                                  &clusters, &quality) == IGRAPH_SUCCESS)
        take("leiden(" + std::to_string(gamma).substr(0, 3) + ")", membership);
    }
    igraph_rng_seed(igraph_rng_default(), seed);
    if (igraph_community_multilevel(&g, &w, 1.0, &membership, &levels, nullptr) == IGRAPH_SUCCESS) {
      for (igraph_integer_t r = 0; r < igraph_matrix_int_nrow(&levels); ++r) {
        igraph_vector_int_t row;
        igraph_vector_int_init(&row, 0);
        igraph_matrix_int_get_row(&levels, &row, r);
        take("louvain[" + std::to_string(r) + "]", row);
        igraph_vector_int_destroy(&row);
      }
    }
    igraph_destroy(&g);
  }
  igraph_matrix_int_destroy(&levels);
  igraph_vector_int_destroy(&membership);
  igraph_vector_destroy(&strength);
  igraph_vector_destroy(&w);
  igraph_vector_int_destroy(&ev);
  igraph_set_warning_handler(old_warn);
  igraph_set_error_handler(old_err);
  return out;
}
#else
bool HaveCommunityDetection() { return false; }

std::vector<std::pair<std::string, std::vector<int>>> DetectCommunities(int, const std::vector<WeightedEdge>&,
                                                                        uint64_t) {
  return {};
}
#endif

}  // namespace diviml::split_internal
