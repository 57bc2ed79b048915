// The commands of the `diviml` executable as library functions, so tests
// can run them without a process. Each returns the process exit code:
// 0 success (any solver status, including infeasible), 1 bad input.
#pragma once

#include <ostream>
#include <string>

#include "diviml/solver.h"

namespace diviml {

struct CommonArgs {
  std::string graph;     // file path (.graph.json, .stg)
  std::string platform;  // file path or identical:M
  std::string profile;   // measured times (JSON or CSV), override everything
  bool coarsen = false;   // fuse trivial operators into neighbours first
  bool json = false;      // one JSON object on stdout
};

struct SolveArgs : CommonArgs {
  std::string solver = "heft";
  std::string objective = "latency";
  std::string out;    // plan JSON path
  std::string gantt;  // SVG path
  SolveOptions options;
};

struct EvalArgs : CommonArgs {
  std::string plan;   // plan JSON path
  std::string gantt;  // SVG path
};

int RunSolve(const SolveArgs& args, std::ostream& out, std::ostream& err);
int RunBound(const CommonArgs& args, std::ostream& out, std::ostream& err);
int RunEval(const EvalArgs& args, std::ostream& out, std::ostream& err);
// Graph size, flops, parameters, heaviest operators (only args.graph used).
int RunInfo(const CommonArgs& args, std::ostream& out, std::ostream& err);
// The bundled models and platform presets.
int RunZoo(bool json, std::ostream& out, std::ostream& err);

// Loads graph and platform, applies the profile, coarsens when asked, fills
// missing times from the roofline cost model and builds the Problem;
// InputError on failure.
class Problem;
Problem LoadProblem(const CommonArgs& args);

// Writes text to path atomically (temp file + rename); InputError on failure.
void WriteFileAtomic(const std::string& path, const std::string& text);

}  // namespace diviml
