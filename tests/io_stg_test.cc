// Tests of the STG reader (src/io/stg.cc): all 60 bundled graphs, and every
// kind of malformed file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "diviml/io/io.h"
#include "io_test_util.h"

namespace diviml {
namespace {

using testing_io::ErrorOf;
using testing_io::Mentions;

std::string StgError(const std::string& text) {
  return ErrorOf([&] { ParseStg(text, "x.stg"); });
}

TEST(IoStg, AllBundledGraphs) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(DIVIML_TEST_DATA) + "/stg50")) {
    if (entry.path().extension() != ".stg") continue;
    ++files;
    Graph g = LoadGraph(entry.path().string());
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(g.num_nodes(), 52);
    EXPECT_TRUE(g.finalized());  // acyclic
    EXPECT_EQ(g.topo_order().size(), 52u);
    EXPECT_EQ(g.name, entry.path().stem().string());
    for (int v = 0; v < g.num_nodes(); ++v) {
      EXPECT_EQ(g.nodes[v].id, std::to_string(v));
      ASSERT_EQ(g.nodes[v].time_s.count("*"), 1u);
    }
    EXPECT_EQ(g.nodes[0].time_s.at("*"), 0);
    EXPECT_EQ(g.nodes[51].time_s.at("*"), 0);
    for (const Edge& e : g.edges) EXPECT_EQ(e.bytes, 0);
    EXPECT_EQ(g.in_degree(0), 0);
    EXPECT_EQ(g.out_degree(51), 0);
  }
  EXPECT_EQ(files, 60);
}

TEST(IoStg, FirstGraphDetails) {
  Graph g = LoadGraph(std::string(DIVIML_TEST_DATA) + "/stg50/rand0000.stg");
  EXPECT_EQ(g.nodes[1].time_s.at("*"), 9);  // "1 9 1 0"
  ASSERT_EQ(g.in_degree(1), 1);
  EXPECT_EQ(g.edges[g.in_edges(1)[0]].from, 0);
}

TEST(IoStg, SmallGraphWithWrappedListAndComments) {
  Graph g = ParseStg(
      "# leading comment\n 2\n0 0 0\n1 3 1 0\n2 4.5 1\n 0\n  # mid\n3 0 2 1 2\r\n# trailer\n",
      "dir/small.stg");
  EXPECT_EQ(g.name, "small");
  ASSERT_EQ(g.num_nodes(), 4);
  ASSERT_EQ(g.num_edges(), 4);
  EXPECT_EQ(g.nodes[2].time_s.at("*"), 4.5);
  EXPECT_EQ(g.in_degree(3), 2);
}

TEST(IoStg, CountMismatch) {
  EXPECT_TRUE(Mentions(StgError(""), {"x.stg", "ends early", "task count"}));
  EXPECT_TRUE(Mentions(StgError("# only a comment\n"), {"x.stg", "ends early"}));
  EXPECT_TRUE(Mentions(StgError("3\n0 0 0\n1 1 1 0\n2 1 1 1\n3 0 1 2\n"),
                       {"x.stg", "ends early", "task 4", "3 tasks + 2 dummies"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1 1 0\n2 0 1 1\n3 0 1 2\n"),
                       {"x.stg", "extra data", "(line 5)"}));
}

TEST(IoStg, BadNumbers) {
  EXPECT_TRUE(Mentions(StgError("abc\n"), {"x.stg", "bad task count 'abc'", "(line 1)"}));
  EXPECT_TRUE(Mentions(StgError("-1\n"), {"x.stg", "bad task count"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 x 1 0\n2 0 1 1\n"),
                       {"x.stg", "bad task 1 cost 'x'", "(line 3)"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 -2 1 0\n2 0 1 1\n"), {"bad task 1 cost '-2'"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 nan 1 0\n2 0 1 1\n"), {"bad task 1 cost 'nan'"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 inf 1 0\n2 0 1 1\n"), {"bad task 1 cost 'inf'"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1e999 1 0\n2 0 1 1\n"), {"bad task 1 cost"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1 1.5 0\n2 0 1 1\n"),
                       {"bad task 1 predecessor count '1.5'"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1 9 0\n2 0 1 1\n"),
                       {"task 1 predecessor count 9 out of range"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1x 1 1 0\n2 0 1 1\n"), {"bad task 1 id '1x'"}));
  EXPECT_TRUE(Mentions(StgError("99999999999999999999999\n"), {"bad task count"}));
}

TEST(IoStg, BadIdsAndPredecessors) {
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n2 1 1 0\n1 0 1 2\n"),
                       {"x.stg", "task id 2 out of order, expected 1", "(line 3)"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1 1 7\n2 0 1 1\n"),
                       {"x.stg", "task 1 predecessor 7 out of range 0..2", "(line 3)"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1 1 1\n2 0 1 1\n"), {"self-loop", "task 1"}));
  EXPECT_TRUE(Mentions(StgError("1\n0 0 0\n1 1 2 0 0\n2 0 1 1\n"),
                       {"task 1 lists predecessor 0 twice"}));
  EXPECT_TRUE(Mentions(StgError("2\n0 0 0\n1 1 2 0 2\n2 1 1 1\n3 0 1 2\n"),
                       {"x.stg", "cycle", "'1'", "'2'"}));
}

TEST(IoStg, FileErrorsNameTheFile) {
  std::string path = testing_io::WriteTemp("broken.stg", "2\n0 0 0\n");
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadGraph(path); }), {path, "ends early"}));
}

}  // namespace
}  // namespace diviml
