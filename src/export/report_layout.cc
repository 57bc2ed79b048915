// LayoutGraph (include/diviml/export/report.h): one band per module, each
// laid out by igraph's Sugiyama layout (or the barycentre fallback below).
// igraph keeps global state (error handlers, RNG), so calls hold a mutex
// and restore the handlers they replaced.
#include <algorithm>
#include <mutex>
#include <numeric>

#include "diviml/bound/bounds.h"
#include "diviml/export/report.h"

#ifdef DIVIML_HAVE_IGRAPH
#include <igraph.h>
#endif

namespace diviml {
namespace {

constexpr double kColumn = 150;  // px between node centres in a layer
constexpr double kRow = 60;      // px between layers

// The induced sub-DAG of one band: local indices, edges and the longest-path
// layer of every node. O(nodes + edges touching them).
struct SubDag {
  std::vector<int> nodes;                // local -> global, topological order
  std::vector<std::pair<int, int>> edges;  // local indices
  std::vector<int> layer;
  int layers = 1;
};

SubDag MakeSubDag(const Graph& g, const std::vector<int>& nodes, std::vector<int>& local) {
  SubDag s;
  s.nodes = nodes;
  std::sort(s.nodes.begin(), s.nodes.end(),
            [&](int a, int b) { return g.topo_index()[a] < g.topo_index()[b]; });
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) local[s.nodes[i]] = i;
  s.layer.assign(s.nodes.size(), 0);
  for (int i = 0; i < static_cast<int>(s.nodes.size()); ++i) {
    for (int e : g.out_edges(s.nodes[i])) {
      int j = local[g.edges[e].to];
      if (j < 0) continue;
      s.edges.emplace_back(i, j);
      s.layer[j] = std::max(s.layer[j], s.layer[i] + 1);
    }
  }
  for (int l : s.layer) s.layers = std::max(s.layers, l + 1);
  for (int v : s.nodes) local[v] = -1;
  return s;
}

#ifdef DIVIML_HAVE_IGRAPH
std::mutex layout_mutex;

// x per local node from igraph_layout_sugiyama (in units of columns); false
// when igraph reports an error.
bool SugiyamaX(const SubDag& s, std::vector<double>* x) {
  const igraph_integer_t n = static_cast<igraph_integer_t>(s.nodes.size());
  std::lock_guard<std::mutex> lock(layout_mutex);
  igraph_error_handler_t* old_err = igraph_set_error_handler(igraph_error_handler_ignore);
  igraph_warning_handler_t* old_warn = igraph_set_warning_handler(igraph_warning_handler_ignore);
  igraph_vector_int_t ev, layers;
  igraph_matrix_t res;
  igraph_t g;
  igraph_vector_int_init(&ev, 2 * static_cast<igraph_integer_t>(s.edges.size()));
  for (size_t i = 0; i < s.edges.size(); ++i) {
    VECTOR(ev)[2 * i] = s.edges[i].first;
    VECTOR(ev)[2 * i + 1] = s.edges[i].second;
  }
  igraph_vector_int_init(&layers, n);
  for (igraph_integer_t i = 0; i < n; ++i) VECTOR(layers)[i] = s.layer[i];
  igraph_matrix_init(&res, 0, 0);
  bool ok = false;
  if (igraph_create(&g, &ev, n, IGRAPH_DIRECTED) == IGRAPH_SUCCESS) {
    ok = igraph_layout_sugiyama(&g, &res, nullptr, nullptr, &layers, 1.0, 1.0, 50, nullptr) == IGRAPH_SUCCESS &&
         igraph_matrix_nrow(&res) >= n;
    if (ok) {
      x->resize(n);
      for (igraph_integer_t i = 0; i < n; ++i) (*x)[i] = MATRIX(res, i, 0);
    }
    igraph_destroy(&g);
  }
  igraph_matrix_destroy(&res);
  igraph_vector_int_destroy(&layers);
  igraph_vector_int_destroy(&ev);
  igraph_set_error_handler(old_err);
  igraph_set_warning_handler(old_warn);
  return ok;
}
#endif

// Fallback: nodes of each layer ordered by the mean position of their
// predecessors (one downward sweep), packed left to right. O(V log V + E).
std::vector<double> BarycentreX(const SubDag& s) {
  const int n = static_cast<int>(s.nodes.size());
  std::vector<std::vector<int>> preds(n);
  for (auto [a, b] : s.edges) preds[b].push_back(a);
  std::vector<std::vector<int>> by_layer(s.layers);
  for (int i = 0; i < n; ++i) by_layer[s.layer[i]].push_back(i);
  std::vector<double> x(n, 0), key(n, 0);
  for (auto& layer : by_layer) {
    for (int i : layer) {
      double sum = 0;
      for (int p : preds[i]) sum += x[p];
      key[i] = preds[i].empty() ? i : sum / preds[i].size();
    }
    std::stable_sort(layer.begin(), layer.end(), [&](int a, int b) { return key[a] < key[b]; });
    for (size_t k = 0; k < layer.size(); ++k) x[layer[k]] = static_cast<double>(k);
  }
  return x;
}

}  // namespace

ReportLayout LayoutGraph(const Problem& pr, bool use_igraph) {
  const Graph& g = pr.graph();
  ReportLayout out;
  out.engine = "layered";
  out.x.assign(pr.n(), 0);
  out.y.assign(pr.n(), 0);
  out.band.assign(pr.n(), -1);
  if (pr.n() == 0) return out;
  const ModuleStructure ms = FindModules(pr);
  std::vector<int> local(pr.n(), -1);
  bool used_igraph = false;
  auto add_band = [&](int module, int cut, const std::vector<int>& nodes) {
    if (nodes.empty()) return;
    SubDag s = MakeSubDag(g, nodes, local);
    std::vector<double> x;
#ifdef DIVIML_HAVE_IGRAPH
    if (use_igraph && SugiyamaX(s, &x)) used_igraph = true;
    else x = BarycentreX(s);
#else
    (void)use_igraph;
    x = BarycentreX(s);
#endif
    double lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
    ReportLayout::Band b;
    b.module = module;
    b.cut_node = cut;
    b.width = (hi - lo + 1) * kColumn;
    b.height = s.layers * kRow;
    b.nodes = s.nodes;
    const int index = static_cast<int>(out.bands.size());
    for (size_t i = 0; i < s.nodes.size(); ++i) {
      int v = s.nodes[i];
      out.x[v] = (x[i] - lo + 0.5) * kColumn;
      out.y[v] = (s.layer[i] + 0.5) * kRow;
      out.band[v] = index;
    }
    out.bands.push_back(std::move(b));
  };
  for (size_t k = 0; k < ms.modules.size(); ++k) {
    add_band(static_cast<int>(k), -1, ms.modules[k]);
    if (k < ms.cut_nodes.size()) add_band(-1, ms.cut_nodes[k], {ms.cut_nodes[k]});
  }
  if (used_igraph) out.engine = "igraph-sugiyama";
  const int block_size = std::max(8, (pr.n() + 24) / 25);
  ReportLayout::Block cur{0, -1, 0};
  for (int b = 0; b < static_cast<int>(out.bands.size()); ++b) {
    const int size = static_cast<int>(out.bands[b].nodes.size());
    if (cur.nodes > 0 && size >= block_size) {  // a big module starts its own block
      out.blocks.push_back(cur);
      cur = {b, b - 1, 0};
    }
    cur.last_band = b;
    cur.nodes += size;
    if (cur.nodes >= block_size) {
      out.blocks.push_back(cur);
      cur = {b + 1, b, 0};
    }
  }
  if (cur.nodes > 0) out.blocks.push_back(cur);
  return out;
}

}  // namespace diviml
