// RandWire generators and networks: node counts, acyclicity, reachability
// from the stage input, determinism, the spec parser.
#include <gtest/gtest.h>

#include "io_test_util.h"

#include <set>

#include "diviml/gen/randwire.h"

namespace diviml {
namespace {

using testing_io::ErrorOf;

std::vector<char> ReachableFrom(const Graph& g, int src) {
  std::vector<char> seen(g.num_nodes(), 0);
  std::vector<int> stack = {src};
  seen[src] = 1;
  while (!stack.empty()) {
    int v = stack.back();
    stack.pop_back();
    for (int e : g.out_edges(v)) {
      int w = g.edges[e].to;
      if (!seen[w]) seen[w] = 1, stack.push_back(w);
    }
  }
  return seen;
}

std::string Fingerprint(const Graph& g) {
  std::string s = g.name + "|";
  for (const Node& n : g.nodes) s += n.id + ":" + n.op + ":" + std::to_string(n.flops) + ";";
  for (const Edge& e : g.edges)
    s += std::to_string(e.from) + ">" + std::to_string(e.to) + ":" + std::to_string(e.bytes) + ";";
  return s;
}

TEST(RandWire, NodeCountsSmallAndRegular) {
  for (auto gen : {RandWireGenerator::kER, RandWireGenerator::kBA, RandWireGenerator::kWS}) {
    RandWireOptions o;
    o.generator = gen;
    o.n = 32;
    Graph small = RandWire(o);
    // input, conv1, conv2, 3 x (32 + out), classifier x 3, output.
    EXPECT_EQ(small.num_nodes(), 2 + 1 + 1 + 3 * 33 + 3);
    o.regime = RandWireRegime::kRegular;
    Graph regular = RandWire(o);
    // input, conv1, stages of 16, 32, 32, 32 (+ out each), classifier, output.
    EXPECT_EQ(regular.num_nodes(), 2 + 1 + (17 + 33 + 33 + 33) + 3);
    o.regime = RandWireRegime::kSmall;
    o.stages = 2;
    o.n = 16;
    EXPECT_EQ(RandWire(o).num_nodes(), 2 + 1 + 1 + 2 * 17 + 3);
  }
}

TEST(RandWire, AcyclicAndConnectedFromStageInputs) {
  for (auto gen : {RandWireGenerator::kER, RandWireGenerator::kBA, RandWireGenerator::kWS})
    for (uint64_t seed : {1u, 2u, 3u}) {
      RandWireOptions o;
      o.generator = gen;
      o.seed = seed;
      o.n = 24;
      Graph g = RandWire(o);
      ASSERT_TRUE(g.finalized());
      ASSERT_EQ(static_cast<int>(g.topo_order().size()), g.num_nodes());
      for (const Edge& e : g.edges) EXPECT_LT(g.topo_index()[e.from], g.topo_index()[e.to]);
      // Everything from the image input; everything reaches the logits.
      auto from_input = ReachableFrom(g, g.FindNode("input:image"));
      for (int v = 0; v < g.num_nodes(); ++v) EXPECT_TRUE(from_input[v]) << g.nodes[v].id;
      const int out = g.FindNode("output:logits");
      for (int v = 0; v < g.num_nodes(); ++v) EXPECT_TRUE(ReachableFrom(g, v)[out]) << g.nodes[v].id;
      // Within a stage: every node reachable from the stage input (conv2 for
      // stage 1, the previous stage's output node after), and the stage's
      // output node reachable from every stage node.
      for (int s = 1; s <= 3; ++s) {
        const std::string p = "s" + std::to_string(s) + "/";
        const int stage_in = g.FindNode(s == 1 ? "conv2" : "s" + std::to_string(s - 1) + "/out");
        const int stage_out = g.FindNode(p + "out");
        ASSERT_GE(stage_in, 0);
        ASSERT_GE(stage_out, 0);
        auto reach = ReachableFrom(g, stage_in);
        for (int i = 1; i <= o.n; ++i) {
          const int v = g.FindNode(p + "n" + std::to_string(i));
          ASSERT_GE(v, 0);
          EXPECT_TRUE(reach[v]);
          EXPECT_TRUE(ReachableFrom(g, v)[stage_out]);
          // Edges between random nodes go from lower to higher index.
          for (int e : g.in_edges(v)) {
            const std::string& src = g.nodes[g.edges[e].from].id;
            if (src.rfind(p + "n", 0) == 0) EXPECT_LT(std::stoi(src.substr(p.size() + 1)), i);
          }
        }
        // The stage input feeds exactly the nodes without predecessors.
        for (int e : g.out_edges(stage_in)) {
          const int w = g.edges[e].to;
          EXPECT_EQ(g.in_degree(w), 1) << g.nodes[w].id;
        }
      }
    }
}

TEST(RandWire, SameSeedSameGraphDifferentSeedsDiffer) {
  for (auto gen : {RandWireGenerator::kER, RandWireGenerator::kBA, RandWireGenerator::kWS}) {
    RandWireOptions o;
    o.generator = gen;
    o.seed = 42;
    const std::string a = Fingerprint(RandWire(o));
    EXPECT_EQ(a, Fingerprint(RandWire(o)));
    o.seed = 43;
    EXPECT_NE(a, Fingerprint(RandWire(o)));
  }
}

TEST(RandWire, WiringEdgeCounts) {
  RandWireOptions o;
  o.generator = RandWireGenerator::kWS;
  auto ws = RandomWiring(o, 32, 7);
  EXPECT_EQ(ws.size(), 32u * 4 / 2);  // rewiring keeps the edge count
  o.generator = RandWireGenerator::kBA;
  auto ba = RandomWiring(o, 32, 7);
  EXPECT_EQ(ba.size(), (32u - 5) * 5);
  o.generator = RandWireGenerator::kER;
  auto er = RandomWiring(o, 32, 7);
  // 496 pairs at p = 0.2: expect ~99; 5 sigma is ~45.
  EXPECT_GT(er.size(), 50u);
  EXPECT_LT(er.size(), 150u);
  for (const auto& wiring : {ws, ba, er}) {
    std::set<std::pair<int, int>> unique(wiring.begin(), wiring.end());
    EXPECT_EQ(unique.size(), wiring.size());
    for (auto [i, j] : wiring) {
      EXPECT_LT(i, j);
      EXPECT_GE(i, 0);
      EXPECT_LT(j, 32);
    }
  }
  // WS with p = 0 is the ring lattice.
  o.generator = RandWireGenerator::kWS;
  o.ws_p = 0;
  auto ring = RandomWiring(o, 8, 1);
  std::set<std::pair<int, int>> expect;
  for (int u = 0; u < 8; ++u)
    for (int j = 1; j <= 2; ++j) expect.insert({std::min(u, (u + j) % 8), std::max(u, (u + j) % 8)});
  const std::set<std::pair<int, int>> got(ring.begin(), ring.end());
  EXPECT_EQ(got, expect);
}

TEST(RandWire, SizesAndFlopsLikeAnImportedModel) {
  RandWireOptions o;  // WS small regime, C = 78, N = 32
  Graph g = RandWire(o);
  double flops = 0, params = 0;
  for (const Node& n : g.nodes) {
    flops += n.flops;
    params += n.param_bytes;
    EXPECT_GE(n.flops, 0);
  }
  for (const Edge& e : g.edges) EXPECT_GT(e.bytes, 0);
  // The paper reports ~583M multiply-adds and ~5.6M parameters for the
  // small-regime WS network; we count 2 flops per multiply-add plus
  // aggregation, ReLU and BN.
  EXPECT_GT(flops, 0.9e9);
  EXPECT_LT(flops, 1.6e9);
  EXPECT_GT(params / 4, 4e6);
  EXPECT_LT(params / 4, 7e6);
  // conv1 output: 39 x 112 x 112 floats.
  const int conv1 = g.FindNode("conv1");
  EXPECT_DOUBLE_EQ(g.nodes[conv1].output_bytes, 39.0 * 112 * 112 * 4);
  EXPECT_EQ(g.nodes[g.FindNode("input:image")].time_s.at("*"), 0);
}

TEST(RandWire, ParseSpec) {
  RandWireOptions o = ParseRandWireSpec("ws,n=32,stages=3,seed=1");
  EXPECT_EQ(o.generator, RandWireGenerator::kWS);
  EXPECT_EQ(o.n, 32);
  EXPECT_EQ(o.stages, 3);
  EXPECT_EQ(o.seed, 1u);
  o = ParseRandWireSpec("WS,n=16,regime=regular,k=6,p=0.5,seed=9");
  EXPECT_EQ(o.regime, RandWireRegime::kRegular);
  EXPECT_EQ(o.ws_k, 6);
  EXPECT_EQ(o.ws_p, 0.5);
  o = ParseRandWireSpec("ba,n=20,m=3,channels=154,size=112");
  EXPECT_EQ(o.generator, RandWireGenerator::kBA);
  EXPECT_EQ(o.ba_m, 3);
  EXPECT_EQ(o.channels, 154);
  EXPECT_EQ(o.image_size, 112);
  o = ParseRandWireSpec("er,p=0.1");
  EXPECT_EQ(o.er_p, 0.1);

  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("xx,n=3"); }),
            "randwire:xx,n=3: unknown generator 'xx' (expected er, ba or ws)");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec(""); }), "randwire:: expected a generator er, ba or ws first");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,n=abc"); }), "randwire:ws,n=abc: n=abc is not an integer");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,q=1"); }).rfind("randwire:ws,q=1: unknown key 'q'", 0), 0u);
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,m=5"); }), "randwire:ws,m=5: m applies to ba only");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ba,k=4"); }), "randwire:ba,k=4: k applies to ws only");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,p=1.5"); }), "randwire:ws,p=1.5: p must be in [0, 1]");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,n"); }), "randwire:ws,n: expected key=value, got 'n'");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,n=4,n=5"); }), "randwire:ws,n=4,n=5: 'n' given twice");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,n=0"); }), "randwire:ws,n=0: n must be >= 1");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,n=4"); }),
            "randwire:ws,n=4: k must be even with 2 <= k < nodes (stage 1 has 4 nodes)");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ba,n=10,regime=regular"); }),
            "randwire:ba,n=10,regime=regular: m must satisfy 1 <= m < nodes (stage 1 has 5 nodes)");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,regime=large"); }),
            "randwire:ws,regime=large: regime must be small or regular, got 'large'");
  EXPECT_EQ(ErrorOf([] { ParseRandWireSpec("ws,seed=-1"); }),
            "randwire:ws,seed=-1: seed=-1 is not a non-negative integer");
}

}  // namespace
}  // namespace diviml
