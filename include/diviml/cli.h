// The commands of the `diviml` executable as library functions, so tests
// can run them without a process. Each returns the process exit code:
// 0 success (any solver status, including infeasible), 1 bad input.
#pragma once

#include <limits>
#include <ostream>
#include <string>
#include <vector>

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
  // Throughput (include/diviml/throughput.h): "auto" or a count.
  std::string replicas = "auto";
  double max_latency_s = std::numeric_limits<double>::infinity();  // --max-latency
  double min_throughput_per_s = 0;                                 // --min-throughput
  int module_size = 0;  // --module-size: split's group size (0 = SplitOptions' default, 24)
};

struct EvalArgs : CommonArgs {
  std::string plan;   // plan JSON path
  std::string gantt;  // SVG path
  std::string objective = "latency";  // or throughput (simulated figures)
};

int RunSolve(const SolveArgs& args, std::ostream& out, std::ostream& err);
int RunBound(const CommonArgs& args, std::ostream& out, std::ostream& err);
// `bound --module-exact SECONDS`: also the exact module bound ("module_exact",
// include/diviml/split.h) with that budget; 0 = as RunBound above.
struct BoundArgs : CommonArgs {
  double module_exact_s = 0;
};
int RunBound(const BoundArgs& args, std::ostream& out, std::ostream& err);

// `diviml bench` (src/cli/bench_command.cc): every model x platform x solver
// in one table, optionally also CSV and JSON. Lists are comma-separated
// (randwire specs may contain commas; ';' also separates).
struct BenchArgs {
  std::string models;                       // "" = DefaultBenchModels()
  std::string platforms = "paper,modern";   // zoo presets or files
  std::string solvers = "single,heft,peft,split";
  double time_limit_s = 0;                  // split's budget (0 = its default)
  double milp_time_limit_s = 60;            // milp's limit
  double module_exact_s = 0;                // > 0: also the exact module bound
  int module_size = 0;                      // split's group size (0 = default)
  std::string csv, json_path;
  bool quiet = false;                       // no progress bar
  // Throughput columns (--throughput / --no-throughput): per model and
  // platform the best single device (R = 1) and the split throughput
  // heuristic (R = auto), and the speed-up of split over single.
  bool throughput = true;
  double throughput_time_limit_s = 0;       // split's throughput budget (0 = none)
};
std::vector<std::string> DefaultBenchModels();
int RunBench(const BenchArgs& args, std::ostream& out, std::ostream& err);
int RunEval(const EvalArgs& args, std::ostream& out, std::ostream& err);
// --objective throughput (or a throughput floor) for solve, and eval of a
// throughput plan (src/throughput/cli.cc).
int RunSolveThroughput(const SolveArgs& args, std::ostream& out, std::ostream& err);
int RunEvalThroughput(const EvalArgs& args, std::ostream& out, std::ostream& err);
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
