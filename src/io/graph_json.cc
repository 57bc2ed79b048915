// Reader of diviml-graph-v1 (docs/formats.md). Every node field, edge
// field and reference is checked; errors name the file and the JSON path.
//
//   {"format": "diviml-graph-v1", "name": "...",            name optional
//    "nodes": [{"id": "T1", "op": "task",                    op optional
//               "time_s": {"P1": 14, "GPU": 3},              optional
//               "flops", "param_bytes", "output_bytes", "memory_bytes"}],
//    "edges": [{"from": "T1", "to": "T2", "bytes": 18}]}      bytes required
//
// Any other key (except "comment") is an error, so typos never pass silently.
#include <map>
#include <set>
#include <utility>

#include "diviml/io/io.h"
#include "io/graph_check.h"
#include "io/json_check.h"

namespace diviml {

using io::Json;
using io::ObjectView;

namespace {

Node ReadNode(const ObjectView& v) {
  v.AllowOnly({"id", "op", "time_s", "flops", "param_bytes", "output_bytes", "memory_bytes", "pin"});
  Node node;
  node.id = v.String("id");
  if (auto op = v.OptString("op")) node.op = *op;
  if (v.Has("time_s")) {
    ObjectView times(v.Get("time_s"), v.Where("time_s"), v.source(), "time_s");
    for (const auto& [key, value] : v.Get("time_s").items()) {
      if (key.empty()) times.Fail("empty device name", key);
      node.time_s[key] = io::CheckNumber(value, times.Where(key), v.source());
    }
  }
  node.flops = v.OptNonNegative("flops").value_or(0);
  node.param_bytes = v.OptNonNegative("param_bytes").value_or(0);
  node.output_bytes = v.OptNonNegative("output_bytes").value_or(0);
  node.memory_bytes = v.OptNonNegative("memory_bytes").value_or(0);
  if (auto pin = v.OptString("pin")) node.pin = *pin;
  return node;
}

}  // namespace

Graph ParseGraphJson(const std::string& text, const std::string& source) {
  const Json root = io::ParseJsonText(text, source);
  io::CheckFormat(root, "diviml-graph-v1", source);
  ObjectView top(root, "", source, "graph");
  top.AllowOnly({"format", "name", "nodes", "edges"});

  Graph g;
  g.name = top.OptString("name").value_or(io::SourceStem(source));

  const Json& nodes = top.Array("nodes");
  if (nodes.empty()) top.Fail("the graph has no nodes", "nodes");
  std::map<std::string, int> index;  // id -> node index
  for (size_t k = 0; k < nodes.size(); ++k) {
    ObjectView v(nodes[k], io::IndexPath("nodes", k), source, "node");
    Node node = ReadNode(v);
    auto [it, fresh] = index.emplace(node.id, static_cast<int>(k));
    if (!fresh)
      v.Fail("duplicate node id '" + node.id + "', first at nodes[" +
                 std::to_string(it->second) + "]",
             "id");
    g.AddNode(std::move(node));
  }

  const Json& edges = top.Array("edges");
  std::map<std::pair<int, int>, size_t> seen;  // (from, to) -> edge index
  for (size_t k = 0; k < edges.size(); ++k) {
    ObjectView v(edges[k], io::IndexPath("edges", k), source, "edge");
    v.AllowOnly({"from", "to", "bytes"});
    int ends[2];
    const char* keys[2] = {"from", "to"};
    for (int s = 0; s < 2; ++s) {
      std::string id = v.String(keys[s]);
      auto it = index.find(id);
      if (it == index.end())
        v.Fail("edge " + std::to_string(k) + " refers to missing node '" + id + "'", keys[s]);
      ends[s] = it->second;
    }
    if (ends[0] == ends[1])
      v.Fail("self-loop on node '" + g.nodes[ends[0]].id + "'", "to");
    double bytes = v.NonNegative("bytes");
    auto [it, fresh] = seen.emplace(std::make_pair(ends[0], ends[1]), k);
    if (!fresh)
      v.Fail("duplicate edge '" + g.nodes[ends[0]].id + "' -> '" + g.nodes[ends[1]].id +
                 "', first at edges[" + std::to_string(it->second) + "]",
             "to");
    g.AddEdge(ends[0], ends[1], bytes);
  }
  io::FinalizeOrThrow(g, source, "edges");
  return g;
}

}  // namespace diviml
