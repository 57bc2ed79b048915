// diviml_segments (experiments/segment_referee.cc): on a plan of a small
// RandWire graph its per-segment durations add up to the plan's makespan,
// every module segment's bounds stay at or below its duration in the plan,
// and a bad plan file is one error line with a non-zero exit.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "run_command.h"

namespace {

namespace fs = std::filesystem;

using diviml::testutil::CommandRun;
using diviml::testutil::RunCommand;

std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string c;
  while (std::getline(ss, c, '|')) cells.push_back(c);
  return cells;  // cells[0] is empty (the line starts with '|')
}

TEST(SegmentReferee, DurationsAddUpAndBoundsStayBelowThePlan) {
  const fs::path dir = fs::temp_directory_path() / ("diviml_segments_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path d;
    ~Cleanup() { fs::remove_all(d); }
  } cleanup{dir};
  const std::string graph = "randwire:ws,n=8,stages=2,seed=1", plan = (dir / "plan.json").string();
  ASSERT_EQ(RunCommand(std::string(DIVIML_BINARY) + " solve -g " + graph + " -p zoo:paper --solver heft -o " + plan +
                  " > /dev/null 2>&1")
                .code,
            0);
  const CommandRun r = RunCommand(std::string(DIVIML_SEGMENTS_BINARY) + " " + graph + " zoo:paper " + plan + " 0.5 4 2>&1");
  ASSERT_EQ(r.code, 0) << r.out;
  double makespan = 0, sum = 0;
  int modules = 0;
  std::stringstream ss(r.out);
  std::string line;
  while (std::getline(ss, line)) {
    if (line.rfind("plan makespan ", 0) == 0) makespan = std::stod(line.substr(14));
    if (line.rfind("| ", 0) != 0 || line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[2]))) continue;
    const auto c = Cells(line);  // | segment | nodes | entry, exit | in the plan | cheap | de | assignment | MILP | split |
    ASSERT_GE(c.size(), 5u) << line;
    const double in_plan = std::stod(c[4]);
    sum += in_plan;
    if (c.size() >= 10 && c[5].find_first_not_of(' ') != std::string::npos) {
      ++modules;
      // The plan's part between the entry and the exit is a plan of the
      // segment: every bound is at most its duration.
      // (1.5e-3: the table prints 3 decimals of a microsecond.)
      for (int col : {5, 6, 7, 8}) EXPECT_LE(std::stod(c[col]), in_plan * (1 + 1e-6) + 1.5e-3) << line;
      EXPECT_GT(std::stod(c[9]), 0) << line;
    }
  }
  EXPECT_GT(makespan, 0);
  EXPECT_NEAR(sum, makespan, 1e-3 * makespan);
  EXPECT_GT(modules, 0);
  const CommandRun bad = RunCommand(std::string(DIVIML_SEGMENTS_BINARY) + " " + graph + " zoo:paper " + (dir / "none.json").string() +
                        " 2>&1");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("none.json"), std::string::npos) << bad.out;
}

}  // namespace
