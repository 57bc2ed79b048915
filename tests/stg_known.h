// Shared by the tests: a Problem that must build, and the rows of the STG
// reference file tests/data/stg50/known.csv ("file,m,optimum" or
// "file,m,lower,upper").
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "diviml/core/problem.h"
#include "diviml/cost/cost_model.h"

namespace diviml::testutil {

// Problem::Build that records a test failure when the build reports an error.
inline Problem MustBuild(Graph g, Platform p) {
  std::string error;
  const int host = HostDevice(p);  // nodes pinned to "host" run there
  Problem pr = Problem::Build(std::move(g), std::move(p), &error, host);
  EXPECT_EQ(error, "");
  return pr;
}

struct StgKnownRow {
  std::string file;
  int m = 0;
  double lower = 0, upper = 0;  // equal when the optimum is known
  bool exact() const { return lower == upper; }
};

// Every data row of known.csv in file order (comments, blank and header
// lines skipped). Empty when the file is missing.
inline std::vector<StgKnownRow> ReadStgKnown() {
  std::ifstream in(std::string(DIVIML_TEST_DATA) + "/stg50/known.csv");
  std::vector<StgKnownRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("file", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (f.size() < 3) continue;
    StgKnownRow r;
    r.file = f[0];
    r.m = std::stoi(f[1]);
    r.lower = std::stod(f[2]);
    r.upper = f.size() >= 4 ? std::stod(f[3]) : r.lower;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace diviml::testutil
