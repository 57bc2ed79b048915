// Tests of the diviml-graph-v1 reader (src/io/graph_json.cc): the reference
// instance, and one test per kind of bad input, each checking that the
// one-line message names the file, the problem and the place.
#include <gtest/gtest.h>

#include <string>

#include "diviml/io/io.h"
#include "io_test_util.h"

namespace diviml {
namespace {

using testing_io::ErrorOf;
using testing_io::Mentions;

// A graph with the given nodes and edges JSON fragments.
std::string GraphText(const std::string& nodes, const std::string& edges) {
  return R"({"format": "diviml-graph-v1", "name": "t", "nodes": [)" + nodes +
         R"(], "edges": [)" + edges + "]}";
}
const std::string kTwoNodes =
    R"({"id": "A", "time_s": {"P1": 1}}, {"id": "B", "time_s": {"P1": 2}})";

std::string GraphError(const std::string& text) {
  return ErrorOf([&] { ParseGraphJson(text, "g.json"); });
}

TEST(IoGraph, Topcuoglu10) {
  Graph g = LoadGraph(std::string(DIVIML_TEST_DATA) + "/topcuoglu10.graph.json");
  EXPECT_EQ(g.name, "topcuoglu2002-fig2");
  ASSERT_EQ(g.num_nodes(), 10);
  ASSERT_EQ(g.num_edges(), 15);
  EXPECT_TRUE(g.finalized());
  EXPECT_EQ(g.nodes[0].id, "T1");
  EXPECT_EQ(g.nodes[0].op, "task");
  EXPECT_EQ(g.nodes[0].time_s.at("P3"), 9.0);
  EXPECT_EQ(g.nodes[9].time_s.at("P2"), 7.0);
  EXPECT_EQ(g.edges[0].from, 0);
  EXPECT_EQ(g.edges[0].to, 1);
  EXPECT_EQ(g.edges[0].bytes, 18.0);
  EXPECT_EQ(g.topo_order().front(), 0);
  EXPECT_EQ(g.topo_order().back(), 9);
}

TEST(IoGraph, OptionalFields) {
  Graph g = ParseGraphJson(
      R"({"format": "diviml-graph-v1", "comment": "hi", "nodes": [
          {"id": "conv", "op": "conv2d", "flops": 2e9, "param_bytes": 1024,
           "output_bytes": 4096, "memory_bytes": 8, "time_s": {"gpu": 0.5, "*": 1}},
          {"id": "relu"}],
          "edges": [{"from": "conv", "to": "relu", "bytes": 4096}]})",
      "dir/model.graph.json");
  EXPECT_EQ(g.name, "model");  // from the file name when absent
  EXPECT_EQ(g.nodes[0].op, "conv2d");
  EXPECT_EQ(g.nodes[0].flops, 2e9);
  EXPECT_EQ(g.nodes[0].param_bytes, 1024);
  EXPECT_EQ(g.nodes[0].output_bytes, 4096);
  EXPECT_EQ(g.nodes[0].memory_bytes, 8);
  EXPECT_EQ(g.nodes[0].time_s.size(), 2u);
  EXPECT_TRUE(g.nodes[1].time_s.empty());  // left to the cost model
  EXPECT_EQ(g.nodes[1].op, "task");
}

TEST(IoGraph, MalformedJson) {
  EXPECT_TRUE(Mentions(GraphError(R"({"format": "diviml-graph-v1", )"),
                       {"g.json", "malformed JSON", "byte"}));
  EXPECT_TRUE(Mentions(GraphError(""), {"g.json", "malformed JSON"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(kTwoNodes, "").substr(0, 40) + "\n\n}"),
                       {"g.json", "malformed JSON", "line"}));
}

TEST(IoGraph, FormatTag) {
  EXPECT_TRUE(Mentions(GraphError(R"({"nodes": [], "edges": []})"),
                       {"g.json", "missing 'format'", "diviml-graph-v1"}));
  EXPECT_TRUE(Mentions(GraphError(R"({"format": "diviml-graph-v2", "nodes": [], "edges": []})"),
                       {"g.json", "unknown format", "diviml-graph-v2", "(format)"}));
  EXPECT_TRUE(Mentions(GraphError(R"({"format": 1})"), {"g.json", "unknown format"}));
  EXPECT_TRUE(Mentions(GraphError("[1, 2]"), {"g.json", "JSON object", "array"}));
  EXPECT_TRUE(Mentions(GraphError(R"({"format": "diviml-platform-v1", "devices": []})"),
                       {"g.json", "unknown format"}));
}

TEST(IoGraph, MissingAndWrongFields) {
  std::string base = R"({"format": "diviml-graph-v1", )";
  EXPECT_TRUE(Mentions(GraphError(base + R"("edges": []})"), {"g.json", "'nodes'", "(nodes)"}));
  EXPECT_TRUE(Mentions(GraphError(base + R"("nodes": [{"id": "A"}]})"), {"'edges'", "(edges)"}));
  EXPECT_TRUE(Mentions(GraphError(base + R"("nodes": {}, "edges": []})"),
                       {"expected an array", "(nodes)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText("", "")), {"no nodes", "(nodes)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText("3", "")), {"node must be a JSON object", "(nodes[0])"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"op": "x"})", "")), {"'id'", "(nodes[0].id)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": 7})", "")),
                       {"expected a string", "(nodes[0].id)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": ""})", "")), {"empty", "(nodes[0].id)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "time_s": [1]})", "")),
                       {"time_s must be a JSON object", "(nodes[0].time_s)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "time_s": {"P1": "3"}})", "")),
                       {"expected a number", "(nodes[0].time_s.P1)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "time_s": {"P1": true}})", "")),
                       {"expected a number", "boolean"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "flops": null})", "")),
                       {"expected a number", "(nodes[0].flops)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "param_byte": 3})", "")),
                       {"unknown field 'param_byte'", "(nodes[0].param_byte)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(kTwoNodes, R"({"from": "A", "to": "B"})")),
                       {"'bytes'", "(edges[0].bytes)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(kTwoNodes, R"({"to": "B", "bytes": 1})")),
                       {"'from'", "(edges[0].from)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(kTwoNodes, R"({"from": "A", "to": "B", "bytes": "9"})")),
                       {"expected a number", "(edges[0].bytes)"}));
}

TEST(IoGraph, NegativeAndNonFiniteNumbers) {
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "time_s": {"P1": -1}})", "")),
                       {"g.json", "negative", "(nodes[0].time_s.P1)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "param_bytes": -5})", "")),
                       {"negative", "(nodes[0].param_bytes)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(kTwoNodes, R"({"from": "A", "to": "B", "bytes": -1})")),
                       {"negative", "(edges[0].bytes)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "time_s": {"P1": 1e999}})", "")),
                       {"g.json", "overflow"}));
}

TEST(IoGraph, DuplicatesAndReferences) {
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A"}, {"id": "A"})", "")),
                       {"g.json", "duplicate node id 'A'", "(nodes[1].id)"}));
  EXPECT_TRUE(Mentions(GraphError(R"({"format": "diviml-graph-v1", "format": "x"})"),
                       {"g.json", "duplicate key 'format'", "(format)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(R"({"id": "A", "time_s": {"P": 1, "P": 2}})", "")),
                       {"duplicate key 'P'", "(nodes[0].time_s.P)"}));
  const std::string three = kTwoNodes + R"(, {"id": "C"})";
  const std::string e = R"({"from": "A", "to": "B", "bytes": 1}, )";
  EXPECT_TRUE(Mentions(GraphError(GraphText(three, e + e + e + R"({"from": "A", "to": "T99", "bytes": 0})")),
                       {"g.json", "duplicate edge 'A' -> 'B'", "(edges[1].to)"}));
  EXPECT_TRUE(Mentions(
      GraphError(GraphText(three, R"({"from": "A", "to": "B", "bytes": 1}, {"from": "B", "to": "C", "bytes": 1},
                                     {"from": "A", "to": "C", "bytes": 1}, {"from": "A", "to": "T99", "bytes": 0})")),
      {"g.json", "edge 3 refers to missing node 'T99'", "(edges[3].to)"}));
  EXPECT_TRUE(Mentions(GraphError(GraphText(kTwoNodes, R"({"from": "B", "to": "B", "bytes": 1})")),
                       {"g.json", "self-loop", "'B'", "(edges[0].to)"}));
}

TEST(IoGraph, Cycle) {
  std::string nodes = R"({"id": "s"}, {"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "t"})";
  std::string edges = R"({"from": "s", "to": "a", "bytes": 0}, {"from": "a", "to": "b", "bytes": 0},
                         {"from": "b", "to": "c", "bytes": 0}, {"from": "c", "to": "a", "bytes": 0},
                         {"from": "c", "to": "t", "bytes": 0})";
  std::string msg = GraphError(GraphText(nodes, edges));
  EXPECT_TRUE(Mentions(msg, {"g.json", "cycle", "'a'", "'b'", "'c'", "(edges)"}));
  EXPECT_EQ(msg.find("'s'"), std::string::npos) << msg;  // only nodes on the cycle
  EXPECT_EQ(msg.find("'t'"), std::string::npos) << msg;
}

}  // namespace
}  // namespace diviml
