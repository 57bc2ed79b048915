// `diviml info` (a graph's size, work and heaviest operators) and
// `diviml zoo` (the bundled models and platform presets).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

#include "diviml/cli/cli.h"
#include "diviml/io/io.h"
#include "diviml/io/zoo.h"

namespace diviml {
namespace {

struct GraphSummary {
  double flops = 0, param_bytes = 0;
  std::vector<int> heaviest;   // nodes by flops, largest first (at most 10)
  std::vector<int> flops_path; // the path of most flops through the DAG
};

GraphSummary Summarise(Graph& g) {
  if (!g.finalized()) g.Finalize();
  GraphSummary s;
  const int n = g.num_nodes();
  for (const Node& v : g.nodes) {
    s.flops += v.flops;
    s.param_bytes += v.param_bytes;
  }
  std::vector<int> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return g.nodes[a].flops > g.nodes[b].flops; });
  idx.resize(std::min(n, 10));
  s.heaviest = idx;
  // Longest path by flops: DP in topological order.
  std::vector<double> best(n, 0);
  std::vector<int> prev(n, -1);
  for (int v : g.topo_order()) {
    best[v] += g.nodes[v].flops;
    for (int e : g.out_edges(v)) {
      int w = g.edges[e].to;
      if (best[v] > best[w]) {
        best[w] = best[v];
        prev[w] = v;
      }
    }
  }
  int end = n ? static_cast<int>(std::max_element(best.begin(), best.end()) - best.begin()) : -1;
  for (int v = end; v >= 0; v = prev[v]) s.flops_path.push_back(v);
  std::reverse(s.flops_path.begin(), s.flops_path.end());
  return s;
}

}  // namespace

int RunInfo(const CommonArgs& a, std::ostream& out, std::ostream& err) {
  if (a.graph.rfind("llm:", 0) == 0) return RunLlmInfo(a, out, err);
  try {
    Graph g = LoadGraph(a.graph);
    GraphSummary s = Summarise(g);
    double path_flops = 0;
    for (int v : s.flops_path) path_flops += g.nodes[v].flops;
    if (a.json) {
      nlohmann::json j;
      j["name"] = g.name;
      j["nodes"] = g.num_nodes();
      j["edges"] = g.num_edges();
      j["flops"] = s.flops;
      j["param_bytes"] = s.param_bytes;
      nlohmann::json heavy = nlohmann::json::array();
      for (int v : s.heaviest)
        heavy.push_back({{"node", g.nodes[v].id}, {"op", g.nodes[v].op}, {"flops", g.nodes[v].flops}});
      j["critical_operators"] = heavy;
      j["critical_path_flops"] = path_flops;
      j["critical_path_nodes"] = s.flops_path.size();
      out << j.dump() << "\n";
      return 0;
    }
    out << fmt::format("graph {}: {} nodes, {} edges, {:.4g} GFLOPs, {:.4g} MB of parameters\n", g.name,
                       g.num_nodes(), g.num_edges(), s.flops / 1e9, s.param_bytes / 1e6);
    out << fmt::format("critical path by flops: {} nodes, {:.4g} GFLOPs ({:.1f}% of all)\n",
                       s.flops_path.size(), path_flops / 1e9, s.flops > 0 ? 100 * path_flops / s.flops : 0);
    out << "heaviest operators:\n";
    for (int v : s.heaviest)
      out << fmt::format("  {:<40} {:<18} {:>10.4g} GFLOPs\n", g.nodes[v].id, g.nodes[v].op, g.nodes[v].flops / 1e9);
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

int RunZoo(bool json, std::ostream& out, std::ostream& err) {
  try {
    nlohmann::json models = nlohmann::json::array(), platforms = nlohmann::json::array();
    for (const auto& name : ZooModels()) {
      Graph g = LoadGraph("zoo:" + name);
      GraphSummary s = Summarise(g);
      models.push_back({{"name", name}, {"nodes", g.num_nodes()}, {"edges", g.num_edges()},
                        {"gflops", s.flops / 1e9}, {"param_mb", s.param_bytes / 1e6}});
    }
    for (const auto& name : ZooPlatforms()) {
      Platform p = LoadPlatform("zoo:" + name);
      std::string devs;
      for (const auto& d : p.devices) devs += (devs.empty() ? "" : ", ") + d.name + " (" + d.type + ")";
      platforms.push_back({{"name", name}, {"devices", p.num_devices()}, {"list", devs}});
    }
    if (json) {
      out << nlohmann::json{{"models", models}, {"platforms", platforms}}.dump() << "\n";
      return 0;
    }
    out << "models (--graph zoo:NAME):\n";
    for (const auto& m : models)
      out << fmt::format("  {:<16} {:>5} nodes {:>5} edges {:>8.3f} GFLOPs {:>8.1f} MB params\n",
                         m["name"].get<std::string>(), m["nodes"].get<int>(), m["edges"].get<int>(),
                         m["gflops"].get<double>(), m["param_mb"].get<double>());
    out << "platforms (--platform zoo:NAME; also cluster:S = S modern servers on 100 GbE):\n";
    for (const auto& p : platforms)
      out << fmt::format("  {:<16} {}\n", p["name"].get<std::string>(), p["list"].get<std::string>());
    out << "generated graphs: --graph randwire:ws|er|ba,n=N,stages=S,seed=K[,regime=small|regular]\n";
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
