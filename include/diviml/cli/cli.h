// The commands of the `diviml` executable as library functions, so tests
// can run them without a process. They parse nothing (tools/main.cc does)
// and solve nothing themselves: each builds a pipeline request
// (include/diviml/pipeline/pipeline.h) and prints with an exporter. Each
// returns the process exit code: 0 a valid plan, 1 bad input or an error,
// 2 no plan (no_solution_found, infeasible), 3 a bound above the plan
// under --strict.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "diviml/pipeline/pipeline.h"

namespace diviml {

struct CommonArgs : Inputs {
  bool json = false;  // one JSON object on stdout
};

struct SolveArgs : CommonArgs {
  std::string solver = "heft";
  std::string objective = "latency";
  std::string out;    // plan JSON path
  std::string gantt;  // SVG path
  std::string report; // --report: HTML report path (docs/report.md)
  SolveOptions options;
  // Throughput (include/diviml/throughput.h): "auto" or a count.
  std::string replicas = "auto";
  double max_latency_s = std::numeric_limits<double>::infinity();  // --max-latency
  double min_throughput_per_s = 0;                                 // --min-throughput
  int module_size = 0;  // --module-size: alias of --param split.module_size (0 = not given)
  std::vector<std::string> params;  // --param NAME=VALUE
  bool strict = false;  // --strict: exit 3 when a bound lies above the plan
  // --export NAME: print that exporter's output after the summary (or, with
  // --out, write it there instead of the plan JSON). LLM planners
  // (docs/llm.md): --target, --tensor-parallel, --max-servers are aliases
  // of --param <solver>.target / .tensor_parallel / .max_servers.
  std::string export_format;
  std::string target, tensor_parallel;
  int max_servers = 0;
  // Test-only: passed to Request::bound_hook_for_testing.
  std::function<void(BoundReport*)> bound_hook_for_testing;
};

struct EvalArgs : CommonArgs {
  std::string plan;   // plan JSON path
  std::string gantt;  // SVG path
  std::string objective = "latency";  // or throughput (simulated figures)
};

int RunSolve(const SolveArgs& args, std::ostream& out, std::ostream& err);

// `diviml report` (src/cli/report_command.cc): the HTML report of a plan
// file (docs/report.md), optionally with a `diviml bench --json` file.
// The plan is checked as `eval` checks it; a plan for another graph or a
// bench file of another format is one line on err, exit 1, nothing written.
struct ReportArgs : CommonArgs {
  std::string plan;   // plan JSON (solve --out); its "objective" picks latency or throughput
  std::string bench;  // optional `diviml bench --json` file
  std::string out;    // the HTML path
};
int RunReport(const ReportArgs& args, std::ostream& out, std::ostream& err);
// `bound --module-exact SECONDS`: also the exact module bounds
// (module_exact, module_chain) with that budget; 0 = the cheap bounds.
struct BoundArgs : CommonArgs {
  double module_exact_s = 0;
  int threads = 1;  // workers for module_chain's segment MILPs
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
// `diviml solvers`: every solver of the registry with its objectives and
// parameters (name, type, unit, default, bounds, description).
int RunSolvers(bool json, std::ostream& out, std::ostream& err);
// The help text of --solver, from the registry.
std::string SolverHelp();
// Graph size, flops, parameters, heaviest operators (only args.graph used);
// for llm: models the parameters, weight and KV-cache bytes and flops per
// token of each phase (src/cli/llm_command.cc).
int RunInfo(const CommonArgs& args, std::ostream& out, std::ostream& err);
// `diviml export --format onnx-parts` (src/cli/export_command.cc): the
// plan's per-device ONNX parts and their manifest (docs/runtime.md).
struct ExportArgs {
  std::string graph;                 // .onnx file or zoo:NAME
  std::string plan;                  // latency plan JSON
  std::string format = "onnx-parts";
  std::string out;                   // directory
  std::string fill_weights = "auto"; // auto (random for zoo models) | random | none
  uint64_t seed = 0;
  bool json = false;                 // print the manifest
};
int RunExport(const ExportArgs& args, std::ostream& out, std::ostream& err);
int RunLlmInfo(const CommonArgs& args, std::ostream& out, std::ostream& err);
// `solve` with an LLM planner (src/cli/llm_command.cc), called by RunSolve.
int RunLlmSolve(const SolveArgs& args, Request request, std::ostream& out, std::ostream& err);
// The bundled models and platform presets.
int RunZoo(bool json, std::ostream& out, std::ostream& err);


}  // namespace diviml
