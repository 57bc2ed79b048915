// `diviml bench` throughput columns: speed-up of split (R = auto) over the
// best single device (R = 1) in the table, CSV and JSON; --no-throughput
// leaves them out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "diviml/cli/cli.h"
#include "diviml/solve/throughput.h"

namespace diviml {
namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(ThroughputBench, ColumnsInTableCsvAndJson) {
  auto dir = std::filesystem::temp_directory_path();
  BenchArgs a;
  a.models = "resnet18";
  a.platforms = "paper";
  a.solvers = "single";
  a.quiet = true;
  a.csv = (dir / "diviml_tp_bench.csv").string();
  a.json_path = (dir / "diviml_tp_bench.json").string();
  std::ostringstream out, err;
  ASSERT_EQ(RunBench(a, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("throughput (samples/s)"), std::string::npos) << out.str();
  auto j = nlohmann::json::parse(Slurp(a.json_path));
  ASSERT_EQ(j.size(), 1u);
  const double single = j[0]["tp_single_per_s"], split = j[0]["tp_split_per_s"], speedup = j[0]["tp_speedup"];
  EXPECT_GT(single, 0);
  EXPECT_GT(speedup, 1.5);  // three devices: a pipeline beats one GPU
  EXPECT_NEAR(speedup, split / single, 1e-9);
  EXPECT_GE(j[0]["tp_replicas"].get<int>(), 1);
  // Never above the throughput upper bound.
  CommonArgs ca;
  ca.graph = "zoo:resnet18";
  ca.platform = "zoo:paper";
  EXPECT_LE(split, 1 / SampleWorkBound(LoadProblem(ca)) * (1 + 1e-9));
  std::string csv = Slurp(a.csv);
  EXPECT_NE(csv.find("tp_speedup"), std::string::npos);
  EXPECT_NE(csv.find("tp_split_per_s"), std::string::npos);

  a.throughput = false;
  std::ostringstream out2;
  ASSERT_EQ(RunBench(a, out2, err), 0);
  EXPECT_EQ(out2.str().find("throughput (samples/s)"), std::string::npos);
  EXPECT_FALSE(nlohmann::json::parse(Slurp(a.json_path))[0].contains("tp_speedup"));
  EXPECT_EQ(Slurp(a.csv).find("tp_speedup"), std::string::npos);
  std::filesystem::remove(a.csv);
  std::filesystem::remove(a.json_path);
}

}  // namespace
}  // namespace diviml
