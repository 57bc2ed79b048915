// Tests of loading by path (src/io/load.cc): unreadable files, dispatch on
// the .stg suffix, error messages naming the file, and identical:M.
#include <gtest/gtest.h>

#include <string>

#include "diviml/io/io.h"
#include "io_test_util.h"

namespace diviml {
namespace {

using testing_io::ErrorOf;
using testing_io::Mentions;
using testing_io::WriteTemp;

TEST(IoLoad, MissingOrUnreadableFile) {
  const std::string missing = (testing_io::TempDir() / "nope.graph.json").string();
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadGraph(missing); }), {missing, "cannot read"}));
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadPlatform(missing); }), {missing, "cannot read"}));
  EXPECT_TRUE(Mentions(ErrorOf([&] { ReadFile(missing); }), {missing, "cannot read"}));
  const std::string dir = testing_io::TempDir().string();
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadGraph(dir); }), {dir, "directory"}));
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadGraph(""); }), {"no file name"}));
}

TEST(IoLoad, ReadFileReturnsContent) {
  std::string text("a\0b\nc", 5);
  EXPECT_EQ(ReadFile(WriteTemp("raw.bin", text)), text);
}

TEST(IoLoad, DispatchOnSuffix) {
  std::string stg = WriteTemp("tiny.STG", "1\n0 0 0\n1 5 1 0\n2 0 1 1\n");
  Graph g = LoadGraph(stg);
  EXPECT_EQ(g.num_nodes(), 3);
  EXPECT_EQ(g.nodes[1].time_s.at("*"), 5);
  std::string json = WriteTemp(
      "tiny.graph.json",
      R"({"format": "diviml-graph-v1", "nodes": [{"id": "a"}], "edges": []})");
  EXPECT_EQ(LoadGraph(json).nodes[0].id, "a");
  // A graph JSON given a .stg name is read as STG and fails clearly.
  std::string wrong = WriteTemp("wrong.stg", R"({"format": "diviml-graph-v1"})");
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadGraph(wrong); }), {wrong, "bad task count"}));
}

TEST(IoLoad, ErrorsNameTheFile) {
  std::string g = WriteTemp("bad.graph.json", R"({"format": "diviml-graph-v1", "nodes": [)");
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadGraph(g); }), {g, "malformed JSON"}));
  std::string p = WriteTemp("bad.platform.json",
                            R"({"format": "diviml-platform-v1", "devices": [{"name": "A"},
                               {"name": "B"}], "links": [{"from": "A", "to": "C",
                               "bandwidth_Bps": 1, "latency_s": 0}]})");
  EXPECT_TRUE(Mentions(ErrorOf([&] { LoadPlatform(p); }), {p, "'C'", "(links[0].to)"}));
}

TEST(IoLoad, IdenticalPlatform) {
  Platform p = LoadPlatform("identical:4");
  ASSERT_EQ(p.num_devices(), 4);
  EXPECT_TRUE(p.FreeCommunication());
  EXPECT_EQ(p.SymmetryClasses(), std::vector<int>(4, 0));
  EXPECT_EQ(LoadPlatform("identical:1").num_devices(), 1);
  for (const char* bad : {"identical:0", "identical:-1", "identical:x", "identical:",
                          "identical:4x", "identical: 4", "identical:2.5", "identical:99999999999"})
    EXPECT_TRUE(Mentions(ErrorOf([&] { LoadPlatform(bad); }), {bad, "positive integer"}));
}

TEST(IoLoad, PlatformFile) {
  std::string p = WriteTemp("two.platform.json",
                            R"({"format": "diviml-platform-v1", "devices": [{"name": "cpu"},
                               {"name": "gpu"}], "default_link": {"bandwidth_Bps": 2,
                               "latency_s": 0}})");
  Platform plat = LoadPlatform(p);
  EXPECT_EQ(plat.name, "two");
  EXPECT_EQ(plat.TransferTime(0, 1, 4), 2.0);
}

}  // namespace
}  // namespace diviml
