// The `diviml` executable end to end: JSON contract, plan round trip through
// `eval`, one-line errors with a non-zero exit, golden text output.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "run_command.h"

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int code = 0;
  std::string out, err;
};

CliRun Diviml(const std::string& args) {
  static int counter = 0;
  fs::path errfile = fs::temp_directory_path() / ("diviml_cli_err_" + std::to_string(::getpid()) + "_" +
                                                  std::to_string(counter++));
  const diviml::testutil::CommandRun run =
      diviml::testutil::RunCommand(std::string(DIVIML_BINARY) + " " + args + " 2>" + errfile.string());
  CliRun r;
  r.code = run.code;
  r.out = run.out;
  std::ifstream f(errfile);
  std::stringstream ss;
  ss << f.rdbuf();
  r.err = ss.str();
  fs::remove(errfile);
  return r;
}

const std::string kData = DIVIML_TEST_DATA;
const std::string kTopG = "--graph " + kData + "/topcuoglu10.graph.json";
const std::string kTopP = "--platform " + kData + "/topcuoglu10.platform.json";

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("diviml_cli_" + std::to_string(::getpid()) + "_" + name)).string();
}

TEST(Cli, HeftOnTopcuogluReportsPublishedMakespan) {
  CliRun r = Diviml("solve " + kTopG + " " + kTopP + " --solver heft --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["solver"], "heft");
  EXPECT_EQ(j["objective"], "latency");
  EXPECT_EQ(j["status"], "feasible");
  EXPECT_DOUBLE_EQ(j["makespan_s"].get<double>(), 80.0);
  EXPECT_LE(j["lower_bound_s"].get<double>(), 73.0);
  EXPECT_GT(j["lower_bound_s"].get<double>(), 0.0);
  EXPECT_NEAR(j["gap"].get<double>(), (80.0 - j["lower_bound_s"].get<double>()) / j["lower_bound_s"].get<double>(), 1e-12);
  for (const char* key : {"solve_time_s", "assignment", "schedule"}) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["assignment"].size(), 10u);
  EXPECT_EQ(j["schedule"].size(), 10u);
}

TEST(Cli, PlanRoundTripsThroughEval) {
  std::string plan = TempPath("plan.json"), svg = TempPath("plan.svg");
  CliRun s = Diviml("solve " + kTopG + " " + kTopP + " --solver peft --out " + plan + " --gantt " + svg);
  ASSERT_EQ(s.code, 0) << s.err;
  auto written = nlohmann::json::parse(std::ifstream(plan));
  CliRun e = Diviml("eval " + kTopG + " " + kTopP + " --plan " + plan + " --json");
  ASSERT_EQ(e.code, 0) << e.err;
  auto j = nlohmann::json::parse(e.out);
  EXPECT_TRUE(j["valid"].get<bool>());
  EXPECT_DOUBLE_EQ(j["makespan_s"].get<double>(), written["makespan_s"].get<double>());
  std::ifstream f(svg);
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_NE(ss.str().find("<svg"), std::string::npos);
  EXPECT_NE(ss.str().find("lower bound"), std::string::npos);
  fs::remove(plan);
  fs::remove(svg);
}

TEST(Cli, EvalRejectsAnInvalidPlan) {
  std::string plan = TempPath("bad_plan.json");
  std::ofstream(plan) << R"({"assignment": {"T1": "P1"}, "priority": ["T1"]})";
  CliRun e = Diviml("eval " + kTopG + " " + kTopP + " --plan " + plan);
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.err.find(plan), std::string::npos) << e.err;
  std::ofstream(plan) << R"({"assignment": {"T1": "GPU9"}, "priority": ["T1"]})";
  e = Diviml("eval " + kTopG + " " + kTopP + " --plan " + plan);
  EXPECT_EQ(e.code, 1);
  EXPECT_NE(e.err.find("GPU9"), std::string::npos) << e.err;
  fs::remove(plan);
}

TEST(Cli, BadInputIsOneLineNamingTheFile) {
  std::string g = TempPath("broken.graph.json");
  std::ofstream(g) << "{\"format\": \"diviml-graph-v1\", \"nodes\": [";
  std::string out = TempPath("never.json");
  CliRun r = Diviml("solve --graph " + g + " " + kTopP + " --out " + out);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(g), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(out));  // nothing half-written
  fs::remove(g);

  CliRun missing = Diviml("bound --graph /nonexistent/x.graph.json " + kTopP);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/x.graph.json"), std::string::npos);

  CliRun solver = Diviml("solve " + kTopG + " " + kTopP + " --solver nosuch");
  EXPECT_EQ(solver.code, 1);
  EXPECT_NE(solver.err.find("nosuch"), std::string::npos);

  // The topcuoglu graph names P1..P3: identical:4 has a P4 it has no time for.
  CliRun mismatch = Diviml("solve " + kTopG + " --platform identical:4");
  EXPECT_EQ(mismatch.code, 1);
  EXPECT_NE(mismatch.err.find("no time for device"), std::string::npos) << mismatch.err;
}

TEST(Cli, BoundTextMatchesGolden) {
  CliRun r = Diviml("bound " + kTopG + " " + kTopP);
  ASSERT_EQ(r.code, 0) << r.err;
  std::string golden_path = std::string(DIVIML_TEST_DATA) + "/../golden/bound_topcuoglu10.txt";
  std::ifstream f(golden_path);
  ASSERT_TRUE(f.good()) << "missing " << golden_path;
  std::stringstream ss;
  ss << f.rdbuf();
  // Paths differ between checkouts: compare from the second line on.
  auto tail = [](const std::string& s) { return s.substr(s.find('\n') + 1); };
  EXPECT_EQ(tail(r.out), tail(ss.str()));
}

TEST(Cli, StgOnIdenticalDevices) {
  CliRun r = Diviml("solve --graph " + kData + "/stg50/rand0000.stg --platform identical:2 --solver heft --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["makespan_s"].get<double>(), 131.0);  // known optimum
  EXPECT_LE(j["lower_bound_s"].get<double>(), 131.0);
  EXPECT_EQ(j["assignment"].size(), 52u);
}

TEST(Cli, SplitModuleSizeAndBound) {
  // Topcuoglu's graph in groups of 4 nodes: valid, never below the optimum
  // 73, bound at most 73 and reported with the module-chain bound.
  CliRun r = Diviml("solve " + kTopG + " " + kTopP + " --solver split --module-size 4 --time-limit 5 --json -q");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["solver"], "split");
  EXPECT_GE(j["makespan_s"].get<double>(), 73.0 - 1e-9);
  EXPECT_LE(j["makespan_s"].get<double>(), 80.0 + 1e-9);  // never worse than HEFT
  EXPECT_LE(j["lower_bound_s"].get<double>(), 73.0 + 1e-9);
  // --module-size means nothing to other solvers: an error, not ignored.
  CliRun bad = Diviml("solve " + kTopG + " " + kTopP + " --solver heft --module-size 4");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("--module-size"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.out, "");
  // bound --module-exact lists both module bounds, each at most 73.
  CliRun b = Diviml("bound " + kTopG + " " + kTopP + " --module-exact 2 --json");
  ASSERT_EQ(b.code, 0) << b.err;
  auto jb = nlohmann::json::parse(b.out);
  int found = 0;
  for (const auto& part : jb["parts"])
    if (part["name"] == "module_exact" || part["name"] == "module_chain") {
      ++found;
      EXPECT_LE(part["value_s"].get<double>(), 73.0 + 1e-9) << part["name"];
    }
  EXPECT_EQ(found, 2);
}

}  // namespace
