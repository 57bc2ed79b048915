// The pipeline's result contract: bounds never clamped (a wrong bound is
// reported, and --strict exits 3), infeasible only with a proof, no plan
// file without a plan, and the defects fixed with the architecture work.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "diviml/cli/cli.h"
#include "diviml/export/export.h"
#include "diviml/gen/random_dag.h"
#include "diviml/io/io.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/cp.h"
#include "diviml/util/tolerance.h"
#include "milp/model.h"

namespace diviml {
namespace {

namespace fs = std::filesystem;
const std::string kData = DIVIML_TEST_DATA;

std::string Temp(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("diviml_pipeline_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

Inputs Topcuoglu() {
  Inputs in;
  in.graph = kData + "/topcuoglu10.graph.json";
  in.platform = kData + "/topcuoglu10.platform.json";
  return in;
}

// A chain of four 40-byte nodes on a fast 100-byte device and a slow
// 1000-byte one: HEFT puts everything on the fast device (160 bytes, too
// much); valid plans exist.
std::string MemoryGraph() {
  nlohmann::json g = {{"format", "diviml-graph-v1"}, {"name", "mem-chain"}};
  g["nodes"] = nlohmann::json::array();
  g["edges"] = nlohmann::json::array();
  for (int i = 0; i < 4; ++i) {
    g["nodes"].push_back({{"id", "n" + std::to_string(i)}, {"op", "task"}, {"param_bytes", 40},
                          {"time_s", {{"fast", 1.0}, {"slow", 3.0}}}});
    if (i > 0) g["edges"].push_back({{"from", "n" + std::to_string(i - 1)}, {"to", "n" + std::to_string(i)}, {"bytes", 0}});
  }
  return Temp("mem.graph.json", g.dump());
}

std::string MemoryPlatform(double fast_bytes, double slow_bytes) {
  nlohmann::json p = {{"format", "diviml-platform-v1"}, {"name", "mem"}};
  p["devices"] = {{{"name", "fast"}, {"memory_bytes", fast_bytes}}, {{"name", "slow"}, {"memory_bytes", slow_bytes}}};
  p["default_link"] = {{"bandwidth_Bps", 1.0}, {"latency_s", 0.0}};
  return Temp("mem" + std::to_string(static_cast<int>(slow_bytes)) + ".platform.json", p.dump());
}

TEST(Pipeline, HeftOnTopcuogluKeepsItsFigure) {
  const Problem pr = LoadProblem(Topcuoglu());
  Request req;
  req.solver = "heft";
  const Result r = Solve(pr, req);
  ASSERT_TRUE(r.has_plan());
  EXPECT_EQ(r.value, 80);
  EXPECT_EQ(r.lower_bound, 54);
  ASSERT_TRUE(r.gap.has_value());
  EXPECT_NEAR(*r.gap, (80.0 - 54.0) / 54.0, 1e-12);
  EXPECT_FALSE(r.bound_above_plan);
  EXPECT_EQ(r.status, SolveStatus::kFeasible);
}

TEST(Pipeline, EverySolverHonoursTheContract) {
  const Problem pr = LoadProblem(Topcuoglu());
  for (const SolverRecord& rec : SolverRegistry()) {
    if (!rec.Supports(Objective::kLatency) || !rec.llm_strategy.empty()) continue;  // llm: tests/llm_*_test.cc
    Request req;
    req.solver = rec.name;
    req.options.time_limit_s = 10;
    const Result r = Solve(pr, req);
    std::string why;
    if (rec.name == "cp" && !CpAvailable(&why)) {
      // Without CP-SAT (sanitizer builds, a missing library) the cp solver
      // is an error naming why, never a plan or a claim.
      EXPECT_FALSE(r.has_plan());
      EXPECT_EQ(r.status, SolveStatus::kError);
      EXPECT_FALSE(why.empty());
      continue;
    }
    ASSERT_TRUE(r.has_plan()) << rec.name;
    EXPECT_FALSE(r.bound_above_plan) << rec.name;
    EXPECT_LE(r.lower_bound, r.value * (1 + 1e-9)) << rec.name;
    if (r.status == SolveStatus::kOptimal) EXPECT_TRUE(MeetsBound(r.value, r.lower_bound)) << rec.name;
  }
}

// A deliberately wrong bound shows: flagged, a BUG line, a negative gap
// (not clamped to 0), not "optimal"; --strict exits 3.
TEST(Pipeline, BrokenBoundIsReportedNotHidden) {
  const Problem pr = LoadProblem(Topcuoglu());
  Request req;
  req.solver = "heft";
  req.bound_hook_for_testing = [](BoundReport* b) { AddBoundPart(b, {"broken", 1000, "test-only"}); };
  const Result r = Solve(pr, req);
  ASSERT_TRUE(r.has_plan());
  EXPECT_TRUE(r.bound_above_plan);
  EXPECT_EQ(r.lower_bound, 1000);
  ASSERT_TRUE(r.gap.has_value());
  EXPECT_LT(*r.gap, 0);
  EXPECT_NE(r.status, SolveStatus::kOptimal);
  EXPECT_NE(r.message.find("BUG: lower bound 1000 (broken)"), std::string::npos) << r.message;
  EXPECT_EQ(ExitCode(r, false), 0);
  EXPECT_EQ(ExitCode(r, true), 3);
  const nlohmann::json j = ResultToJson(pr, r);
  EXPECT_EQ(j["bound_above_plan"], true);
  EXPECT_EQ(j["lower_bound_s"], 1000);

  SolveArgs a;
  static_cast<Inputs&>(a) = Topcuoglu();
  a.solver = "heft";
  a.strict = true;
  a.bound_hook_for_testing = req.bound_hook_for_testing;
  std::ostringstream out, err;
  EXPECT_EQ(RunSolve(a, out, err), 3);
  EXPECT_NE(err.str().find("BUG"), std::string::npos);
  a.bound_hook_for_testing = nullptr;
  std::ostringstream out2, err2;
  EXPECT_EQ(RunSolve(a, out2, err2), 0) << err2.str();
}

// Before the fix split returned HEFT's plan unchecked: here it breaks the
// fast device's capacity. Now every plan split returns is valid.
TEST(Pipeline, SplitNeverReturnsAPlanThatBreaksMemory) {
  Inputs in;
  in.graph = MemoryGraph();
  in.platform = MemoryPlatform(100, 1000);
  const Problem pr = LoadProblem(in);
  SolveOptions so;
  so.time_limit_s = 5;
  SolveResult sr = MakeSolver("split")->Solve(pr, so);
  if (!sr.plan.device.empty()) {
    Evaluation ev = Evaluate(pr, sr.plan);
    EXPECT_TRUE(ev.valid) << (ev.violations.empty() ? "" : ev.violations.front());
  }
  // HEFT skips the full fast device (issue 15): a valid plan, not a
  // rejected one.
  Request req;
  req.solver = "heft";
  const Result h = Solve(pr, req);
  ASSERT_TRUE(h.has_plan()) << h.message;
  EXPECT_TRUE(h.evaluation.valid);
  EXPECT_EQ(ExitCode(h, false), 0);
  // The MILP finds the valid plan (two nodes per device, or better).
  req.solver = "milp";
  const Result m = Solve(pr, req);
  ASSERT_TRUE(m.has_plan()) << m.message;
  EXPECT_EQ(m.status, SolveStatus::kOptimal);
}

TEST(Pipeline, InfeasibleOnlyWithAProof) {
  Inputs in;
  in.graph = MemoryGraph();
  in.platform = MemoryPlatform(30, 30);  // no node's 40 bytes fit anywhere
  const Problem pr = LoadProblem(in);
  for (const char* s : {"heft", "split"}) {
    Request req;
    req.solver = s;
    req.options.time_limit_s = 5;
    const Result r = Solve(pr, req);
    EXPECT_FALSE(r.has_plan()) << s;
    EXPECT_EQ(r.status, SolveStatus::kInfeasible) << s << ": " << r.message;
    EXPECT_NE(r.message.find("more than any device"), std::string::npos) << r.message;
    EXPECT_FALSE(r.gap.has_value());
    EXPECT_EQ(ExitCode(r, false), 2);
    EXPECT_TRUE(ResultToJson(pr, r)["gap"].is_null());
  }
}

// Before the fix --out wrote a plan file for a result without a plan.
TEST(Pipeline, NoPlanFileWithoutAPlan) {
  SolveArgs a;
  a.graph = MemoryGraph();
  a.platform = MemoryPlatform(30, 30);
  a.solver = "heft";
  a.out = (fs::temp_directory_path() / ("diviml_pipeline_noplan_" + std::to_string(::getpid()) + ".json")).string();
  fs::remove(a.out);
  std::ostringstream out, err;
  EXPECT_EQ(RunSolve(a, out, err), 2);
  EXPECT_FALSE(fs::exists(a.out));
  EXPECT_NE(err.str().find("not written"), std::string::npos) << err.str();
}

TEST(Pipeline, ParamErrorsAreOneLineAndExit1) {
  SolveArgs a;
  static_cast<Inputs&>(a) = Topcuoglu();
  a.solver = "split";
  a.params = {"split.module_size=500"};
  std::ostringstream out, err;
  EXPECT_EQ(RunSolve(a, out, err), 1);
  EXPECT_EQ(err.str(), "diviml: --param split.module_size=500: out of range [2, 200]\n");
  EXPECT_TRUE(out.str().empty());
  a.params = {"split.module_size=12"};
  std::ostringstream out2, err2;
  EXPECT_EQ(RunSolve(a, out2, err2), 0) << err2.str();
  a.solver = "tp-heuristic";
  a.params.clear();
  std::ostringstream out3, err3;
  EXPECT_EQ(RunSolve(a, out3, err3), 1);
  EXPECT_NE(err3.str().find("does not support --objective latency"), std::string::npos) << err3.str();
}

// Before the fix the CSV was written outside the try: std::terminate.
TEST(Pipeline, BenchCsvToAnUnwritablePathIsAnError) {
  BenchArgs b;
  b.models = kData + "/topcuoglu10.graph.json";
  b.platforms = kData + "/topcuoglu10.platform.json";
  b.solvers = "single,heft";
  b.throughput = false;
  b.quiet = true;
  b.csv = "/nonexistent-dir/bench.csv";
  std::ostringstream out, err;
  EXPECT_EQ(RunBench(b, out, err), 1);
  EXPECT_EQ(err.str(), "diviml: /nonexistent-dir/bench.csv: cannot write\n");
}

// Before the fix Meets() ignored `integral`: with times near 1e7 the
// tolerance (1e-6 relative) let a plan one unit above the bound meet it.
TEST(Pipeline, IntegralMeetsIsExact) {
  EXPECT_FALSE(milp::MakespanMeets(1e7 + 1, 1e7, true));
  EXPECT_TRUE(milp::MakespanMeets(1e7 + 1, 1e7, false));  // noise at that scale when not integral
  EXPECT_TRUE(milp::MakespanMeets(1e7, 1e7, true));
}

// Before the fix ScaleTimes dropped Build's error and returned an empty
// problem.
TEST(Pipeline, ScaleTimesReportsItsError) {
  const Problem pr = LoadProblem(Topcuoglu());
  EXPECT_THROW(ScaleTimes(pr, -1.0), std::invalid_argument);
  EXPECT_THROW(ScaleTimes(pr, std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_EQ(ScaleTimes(pr, 2.0).p(0, 0), 2 * pr.p(0, 0));
}

// Before the fix the work bound's detail named the backend ("LP (highs)"),
// so the golden bound output failed on a CBC-only build.
TEST(Pipeline, BoundTextIsBackendNeutral) {
  const BoundReport b = Bound(LoadProblem(Topcuoglu()));
  for (const BoundPart& p : b.parts) {
    EXPECT_EQ(p.detail.find("highs"), std::string::npos) << p.name << ": " << p.detail;
    EXPECT_EQ(p.detail.find("cbc"), std::string::npos) << p.name << ": " << p.detail;
  }
}

// Same seed, same graph on every standard library: RandomDag draws through
// portable helpers (std:: distributions are implementation-defined). The
// figures below are those of the portable draws; they must not change.
TEST(Pipeline, RandomDagIsPortable) {
  RandomDagOptions o;
  o.nodes = 6;
  o.seed = 42;
  const Graph g = RandomDag(o, 2);
  double sum = 0;
  for (const Node& n : g.nodes) sum += n.time_s.at("D1") + 10 * n.time_s.at("D2");
  double bytes = 0;
  for (const Edge& e : g.edges) bytes += e.bytes;
  const Graph again = RandomDag(o, 2);
  EXPECT_EQ(again.num_edges(), g.num_edges());
  EXPECT_EQ(sum, 494);
  EXPECT_EQ(bytes, 88);
  EXPECT_EQ(g.num_edges(), 11);
}

}  // namespace
}  // namespace diviml
